import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SecretKey } from "@chainsafe/blst";
import type { Hex } from "viem";
import type { VaultState } from "../../chain/vault-state-reader.ts";
import { resolveNetwork } from "../../config/networks.ts";
import { vaultDepositSigningRoot } from "../../keys/vault-deposit-entries.ts";
import { toPrefixedHex } from "../../lib/hex.ts";
import type { OracleSet } from "../../oracles/oracle-set.ts";
import {
  type OperatorRelayerClient,
  RelayerNotReadyError,
  type RelayerRegistration,
} from "../relayer/relayer-client.ts";
import type { SlotSnapshot } from "../snapshot.ts";
import { waitOf } from "../wait-errors.ts";
import { createRelayerFlow, RelayerAnswerError, readyValidators } from "./relayer-flow.ts";

const VAULT = "0x3320ad928c20187602a2b2c04eeaa813fa899468";
const ETH = 10n ** 18n;
const GWEI_ETH = 1_000_000_000n;
const NETWORK = resolveNetwork("hoodi", { devnetFile: "/nonexistent" });
const SHARDS = { publicKeys: [`0x${"aa".repeat(48)}` as Hex], encryptedExitSignatures: ["0x01" as Hex] };
const SIGNATURE = `0x${"cd".repeat(65)}` as Hex;

const secret = SecretKey.fromKeygen(new Uint8Array(32).fill(7));
const PUBLIC_KEY = toPrefixedHex(secret.toPublicKey().toBytes(true));

function depositSignature(amountGwei: bigint): Hex {
  const root = vaultDepositSigningRoot({
    publicKey: secret.toPublicKey().toBytes(true),
    vault: VAULT,
    validatorType: "0x02",
    amountGwei,
    genesisForkVersion: Buffer.from(NETWORK.genesisForkVersion.replace(/^0x/, ""), "hex"),
  });
  return toPrefixedHex(secret.sign(root).toBytes(true));
}

/** A relayer that answers every POST /register with `answer` and records the requests. */
function scriptedRelayer(answer: RelayerRegistration) {
  const requests: unknown[] = [];
  const relayer: OperatorRelayerClient = {
    endpoint: "http://relayer.test",
    info: async () => ({ network: "hoodi", validatorsManager: undefined }),
    register: async (request) => {
      requests.push(request);
      return answer;
    },
    managerSignature: async () => assert.fail("registration asks no /fund or /withdraw"),
  };
  return { relayer, requests };
}

function flow(relayer: OperatorRelayerClient) {
  return createRelayerFlow({
    vault: VAULT,
    network: NETWORK,
    relayer,
    validatorType: "0x02",
    maxValidatorBalanceGwei: 1945n * GWEI_ETH,
    minDepositAmountGwei: 10n * GWEI_ETH,
    vaultMinBalanceGwei: 0n,
    registryRoot: async () => `0x${"11".repeat(32)}`,
    oracleTimeoutMs: 1000,
  });
}

const snapshot = (stakeable: bigint) =>
  ({
    vault: { depositRoot: `0x${"11".repeat(32)}` } as VaultState,
    head: { number: 10n, timestamp: 1_700_000_000 },
    deposits: { count: 42, has: () => false },
    oracles: {
      batchLimit: 10,
      targets: [],
      recipients: [],
      recoverThreshold: 1,
      validatorsMinOracles: 1,
      signatureValidityPeriod: 300,
    } as unknown as OracleSet,
    stakeable,
  }) as unknown as SlotSnapshot<VaultState>;

const validator = (over: Partial<RelayerRegistration["validators"][number]> = {}) => ({
  publicKey: PUBLIC_KEY,
  amountGwei: 100n * GWEI_ETH,
  depositSignature: depositSignature(100n * GWEI_ETH),
  oracleShards: SHARDS,
  ...over,
});

describe("relayer flow (start --relayer-endpoint)", () => {
  it("plans the amounts from the vault's assets, with no keys of its own", () => {
    const { relayer } = scriptedRelayer({ validators: [], validatorsManagerSignature: undefined });
    const plan = flow(relayer).plan(snapshot(100n * ETH));
    assert.deepEqual(plan, {
      kind: "register",
      validators: 1,
      payload: { amountsGwei: [100n * GWEI_ETH] },
    });
    assert.equal(flow(relayer).unusedKeys(snapshot(0n)), 0);
    const wait = flow(relayer).plan(snapshot(5n * ETH));
    assert.equal(wait.kind === "wait" && wait.for, "assets");
  });

  it("asks the relayer for the next beacon index and the amounts, and waits while signatures are missing", async () => {
    const { relayer, requests } = scriptedRelayer({
      validators: [validator({ depositSignature: undefined })],
      validatorsManagerSignature: undefined,
    });
    const f = flow(relayer);
    const plan = f.plan(snapshot(100n * ETH));
    assert.equal(plan.kind, "register");
    if (plan.kind !== "register") return;
    await assert.rejects(f.prepare(plan, snapshot(100n * ETH), new AbortController().signal), (error) => {
      assert.ok(error instanceof RelayerNotReadyError);
      assert.match(error.message, /waiting for the relayer http:\/\/relayer.test: 1 of 1 validators lack/);
      assert.deepEqual(waitOf(error), { kind: "waiting", for: "relayer", reason: error.message });
      return true;
    });
    assert.deepEqual(requests, [
      { vault: VAULT, validatorsStartIndex: 42, amountsGwei: [100n * GWEI_ETH], validatorType: "0x02" },
    ]);
  });

  it("refuses a deposit signature that does not verify for the vault and amount", async () => {
    const { relayer } = scriptedRelayer({
      validators: [validator({ depositSignature: depositSignature(32n * GWEI_ETH) })],
      validatorsManagerSignature: SIGNATURE,
    });
    const f = flow(relayer);
    const plan = f.plan(snapshot(100n * ETH));
    if (plan.kind !== "register") return assert.fail("expected a registration");
    await assert.rejects(
      f.prepare(plan, snapshot(100n * ETH), new AbortController().signal),
      (error) => error instanceof RelayerAnswerError && /does not verify/.test(error.message),
    );
  });

  it("with every signature verified goes on to the oracles (none answer here: too few approvals)", async () => {
    const { relayer } = scriptedRelayer({ validators: [validator()], validatorsManagerSignature: SIGNATURE });
    const f = flow(relayer);
    const plan = f.plan(snapshot(100n * ETH));
    if (plan.kind !== "register") return assert.fail("expected a registration");
    await assert.rejects(
      f.prepare(plan, snapshot(100n * ETH), new AbortController().signal),
      (error) => waitOf(error)?.kind === "waiting" && (waitOf(error) as { for: string }).for === "oracles",
    );
  });
});

describe("readyValidators", () => {
  const amounts = [100n * GWEI_ETH, 100n * GWEI_ETH];
  const at = "http://r";

  it("takes fewer validators than asked when the relayer has no more keys", () => {
    const ready = readyValidators(
      { validators: [validator()], validatorsManagerSignature: SIGNATURE },
      amounts,
      at,
    );
    assert.equal(ready.validators.length, 1);
    assert.equal(ready.managerSignature, SIGNATURE);
  });

  it("waits without the manager signature, or without any key", () => {
    assert.throws(
      () =>
        readyValidators({ validators: [validator()], validatorsManagerSignature: undefined }, amounts, at),
      (error) => error instanceof RelayerNotReadyError && /manager signature is missing/.test(error.message),
    );
    assert.throws(
      () => readyValidators({ validators: [], validatorsManagerSignature: undefined }, amounts, at),
      (error) => error instanceof RelayerNotReadyError && /no public keys left/.test(error.message),
    );
    assert.throws(
      () =>
        readyValidators(
          { validators: [validator({ oracleShards: undefined })], validatorsManagerSignature: SIGNATURE },
          amounts,
          at,
        ),
      RelayerNotReadyError,
    );
  });

  it("refuses another amount than asked, or more validators than amounts", () => {
    assert.throws(
      () =>
        readyValidators(
          { validators: [validator({ amountGwei: 32n * GWEI_ETH })], validatorsManagerSignature: SIGNATURE },
          amounts,
          at,
        ),
      (error) =>
        error instanceof RelayerAnswerError && /32000000000 gwei where 100000000000/.test(error.message),
    );
    assert.throws(
      () =>
        readyValidators(
          { validators: [validator(), validator(), validator()], validatorsManagerSignature: SIGNATURE },
          amounts,
          at,
        ),
      RelayerAnswerError,
    );
  });
});
