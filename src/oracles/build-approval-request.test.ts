import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SecretKey } from "@chainsafe/blst";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import type { ExitNetwork } from "../crypto/exit-message.ts";
import { signExit } from "../crypto/exit-message.ts";
import { ApprovalRequestSchema, ManagerApprovalRequestSchema } from "./approval-request.ts";
import {
  type BuildManagerApprovalRequestParameters,
  buildApprovalRequest,
  buildManagerApprovalRequest,
} from "./build-approval-request.ts";
import { prepareOracleRecipients } from "./exit-shares.ts";

const NETWORK: ExitNetwork = {
  capellaForkVersion: "0x03000000",
  capellaEpoch: 194048,
  genesisValidatorsRoot: "0x4b363db94e286120d76eb905340fdd4e54bfe9f06bf33ff6cf5ad27f511bfe95",
};
const VAULT = "0x3320ad928c20187602a2b2c04eeaa813fa899468";
const ROOT = `0x${"11".repeat(32)}` as const;
const MANAGER_SIGNATURE = `0x${"ab".repeat(65)}` as const;

function parameters(amountsGwei: readonly bigint[] | undefined): BuildManagerApprovalRequestParameters {
  const keys = [1, 2].map((k) => SecretKey.fromKeygen(new Uint8Array(32).fill(k)));
  const oracles = prepareOracleRecipients(
    [3, 4, 5].map(() => ({
      publicKey: Buffer.from(
        secp256k1.getPublicKey(secp256k1.utils.randomSecretKey(), false).subarray(1),
      ).toString("hex"),
    })),
  );
  return {
    vault: VAULT,
    validatorIndex: 40,
    registryRoot: ROOT,
    validators: keys.map((key, k) => ({
      publicKey: key.toPublicKey().toBytes(true),
      depositSignature: new Uint8Array(96).fill(7 + k),
      exitSignature: signExit(key, NETWORK, 40 + k).toBytes(true),
    })),
    oracles,
    recoverThreshold: 2,
    network: NETWORK,
    deadline: 1_700_000_000,
    validatorsManagerSignature: MANAGER_SIGNATURE,
    amountsGwei,
  };
}

describe("buildManagerApprovalRequest (spec §5.1, v4+ body)", () => {
  it("has the Python operator v4's fields in its order, no proof, the manager's signature", () => {
    const body = buildManagerApprovalRequest(parameters([100_000_000_000n, 32_000_000_000n]));
    // stakewise/v3-operator v4.1.9 src/validators/typings.py, class ApprovalRequest field order.
    assert.deepEqual(Object.keys(body), [
      "validator_index",
      "vault_address",
      "validators_root",
      "public_keys",
      "deposit_signatures",
      "public_key_shards",
      "exit_signature_shards",
      "validators_manager_signature",
      "deadline",
      "amounts",
    ]);
    assert.equal(body.validators_manager_signature, MANAGER_SIGNATURE);
    assert.deepEqual(body.amounts, [100_000_000_000, 32_000_000_000]);
    assert.equal(body.public_key_shards.length, 2);
    assert.equal(body.exit_signature_shards[0]?.length, 3);
    ManagerApprovalRequestSchema.parse(body);
    assert.equal(ApprovalRequestSchema.safeParse(body).success, false, "not a first-generation body");
  });

  it("sends amounts as null for 0x01 validators", () => {
    const body = buildManagerApprovalRequest(parameters(undefined));
    assert.equal(body.amounts, null);
    ManagerApprovalRequestSchema.parse(body);
  });

  it("keeps the first-generation body unchanged", () => {
    const { validatorsManagerSignature: _s, amountsGwei: _a, ...rest } = parameters(undefined);
    const body = buildApprovalRequest({
      ...rest,
      proof: { proof: [], proofFlags: [], proofIndexes: [0, 1], indexes: [0, 1], singleProof: undefined },
    });
    assert.ok(!("amounts" in body));
    ApprovalRequestSchema.parse(body);
  });
});
