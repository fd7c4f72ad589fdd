import assert from "node:assert/strict";
import { after, afterEach, before, describe, it } from "node:test";
import { SecretKey } from "@chainsafe/blst";
import {
  depositSigningRootOf,
  startWeb3Signer,
  voluntaryExitSigningRoot,
  type Web3SignerDouble,
} from "../../../test/support/web3signer.ts";
import { verifySignatureShare } from "../../crypto/shamir.ts";
import { OperatorError, UserInputError } from "../../lib/errors.ts";
import { parseHex, toPrefixedHex } from "../../lib/hex.ts";
import type { DepositToSign, Hex } from "../sources/exit-signer.ts";
import { depositBody, SignerApi } from "./signer-api.ts";
import { WholeKeyRemoteSigner } from "./whole-keys.ts";

const HOODI_GENESIS_FORK_VERSION = "0x10000910";
const validator = SecretKey.fromKeygen(new Uint8Array(32).fill(5));
const validatorKey = toPrefixedHex(validator.toPublicKey().toBytes(true));
/** 0x02 credentials of a vault at 0x11…11, 64 ETH: a top-up sized deposit of a compounding validator. */
const DEPOSIT: DepositToSign = {
  withdrawalCredentials: parseHex(`0x02${"00".repeat(11)}${"11".repeat(20)}`, 32) as Uint8Array,
  amountGwei: 64_000_000_000,
  genesisForkVersion: parseHex(HOODI_GENESIS_FORK_VERSION, 4) as Uint8Array,
};
/** The root as the double computes it, with its own SSZ. */
const ROOT = depositSigningRootOf({
  pubkey: validatorKey,
  withdrawalCredentials: toPrefixedHex(DEPOSIT.withdrawalCredentials),
  amountGwei: 64_000_000_000n,
  genesisForkVersion: HOODI_GENESIS_FORK_VERSION,
});

describe("WholeKeyRemoteSigner.signDeposit", () => {
  let web3signer: Web3SignerDouble;
  let signer: WholeKeyRemoteSigner;

  before(async () => {
    web3signer = await startWeb3Signer();
    web3signer.addKey(validator.toBytes());
    signer = await WholeKeyRemoteSigner.open(new SignerApi({ url: web3signer.url }));
  });
  afterEach(() => web3signer.setFault(null));
  after(async () => {
    await web3signer.close();
  });

  it("asks for a DEPOSIT signature and returns it once it verifies against the key", async () => {
    const signature = await signer.signDeposit(validatorKey, DEPOSIT);
    assert.deepEqual(signature, validator.sign(ROOT).toBytes(true));
    assert.ok(verifySignatureShare(ROOT, { publicKey: validator.toPublicKey().toBytes(true), signature }));
    const request = web3signer.requests.at(-1);
    assert.equal(request?.path, `/api/v1/eth2/sign/${validatorKey}`);
    assert.deepEqual(request?.body, {
      type: "DEPOSIT",
      signing_root: toPrefixedHex(ROOT),
      deposit: {
        pubkey: validatorKey,
        withdrawal_credentials: `0x02${"00".repeat(11)}${"11".repeat(20)}`,
        amount: "64000000000",
        genesis_fork_version: HOODI_GENESIS_FORK_VERSION,
      },
    });
  });

  it("takes the public key in any case, and sends it as the signer lists it", async () => {
    const upper = `0x${validatorKey.slice(2).toUpperCase()}` as Hex;
    assert.deepEqual(await signer.signDeposit(upper, DEPOSIT), validator.sign(ROOT).toBytes(true));
    assert.equal(web3signer.requests.at(-1)?.path, `/api/v1/eth2/sign/${validatorKey}`);
  });

  it("refuses a signature that does not verify", async () => {
    web3signer.setFault("wrong-signature");
    await assert.rejects(signer.signDeposit(validatorKey, DEPOSIT), (error: Error) => {
      assert.ok(error instanceof OperatorError);
      assert.match(
        error.message,
        /returned a deposit signature for validator 0x[0-9a-f]{96} that does not verify/,
      );
      return true;
    });
  });

  it("a key the signer does not hold is 'not present', with the fix", async () => {
    const other = toPrefixedHex(SecretKey.fromKeygen(new Uint8Array(32).fill(6)).toPublicKey().toBytes(true));
    await assert.rejects(signer.signDeposit(other, DEPOSIT), (error: Error) => {
      assert.ok(error instanceof UserInputError);
      assert.match(error.message, /public key not present in the remote signer: validator 0x/);
      assert.match(error.message, /setup-web3signer/);
      return true;
    });
  });

  it("a failing signer says it could not sign the deposit, and may be retried", async () => {
    web3signer.setFault("error");
    await assert.rejects(signer.signDeposit(validatorKey, DEPOSIT), (error: Error) => {
      assert.ok(error instanceof OperatorError);
      assert.match(error.message, /could not sign the deposit with validator 0x/);
      assert.equal(error.retryable, true);
      return true;
    });
    web3signer.setFault("down");
    await assert.rejects(signer.signDeposit(validatorKey, DEPOSIT), (error: Error) => {
      assert.ok(error instanceof OperatorError && error.retryable);
      return true;
    });
  });

  it("exits go through the same signer: VOLUNTARY_EXIT still signs, verified", async () => {
    const network = {
      capellaForkVersion: "0x40000910",
      capellaEpoch: 0,
      genesisValidatorsRoot: "0x212f13fc4df078b6cb7db228f1c8307566dcecf900867401a92023d7ba99cb5f",
    } as const;
    const signature = await signer.signExit(validatorKey, 7, network);
    const root = voluntaryExitSigningRoot({
      forkVersion: network.capellaForkVersion,
      genesisValidatorsRoot: network.genesisValidatorsRoot,
      epoch: 0n,
      validatorIndex: 7n,
    });
    assert.deepEqual(signature, validator.sign(root).toBytes(true));
  });

  it("a malformed public key is refused before any request", async () => {
    const before = web3signer.requests.length;
    await assert.rejects(signer.signDeposit("0x1234", DEPOSIT), /0x1234 is not a BLS public key/);
    assert.equal(web3signer.requests.length, before);
  });
});

describe("the Web3Signer double checks DEPOSIT requests as the signer does", () => {
  let web3signer: Web3SignerDouble;
  const body = depositBody({ publicKey: validatorKey, ...DEPOSIT, signingRoot: ROOT }) as {
    deposit: Record<string, unknown>;
  } & Record<string, unknown>;
  const post = (json: unknown) =>
    fetch(`${web3signer.url}/api/v1/eth2/sign/${validatorKey}`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify(json),
    });

  before(async () => {
    web3signer = await startWeb3Signer();
    web3signer.addKey(validator.toBytes());
  });
  after(async () => {
    await web3signer.close();
  });

  it("signs a well-formed request, with or without signing_root", async () => {
    for (const json of [body, { ...body, signing_root: undefined }]) {
      const response = await post(json);
      assert.equal(response.status, 200);
      const { signature } = (await response.json()) as { signature: string };
      assert.equal(signature, toPrefixedHex(validator.sign(ROOT).toBytes(true)));
    }
  });

  it("answers 400 to a missing field, a number amount, and a root other than its own", async () => {
    const bad = [
      { ...body, deposit: { ...body.deposit, genesis_fork_version: undefined } },
      { ...body, deposit: { ...body.deposit, withdrawal_credentials: "0x02" } },
      { ...body, deposit: { ...body.deposit, amount: 64_000_000_000 } },
      { ...body, deposit: { ...body.deposit, amount: "18446744073709551616" } },
      { ...body, deposit: { ...body.deposit, amount: "32000000000" } },
      { ...body, deposit: undefined },
    ];
    for (const json of bad) assert.equal((await post(json)).status, 400, JSON.stringify(json));
  });
});
