import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { describe, it } from "node:test";
import { PublicKey, SecretKey, Signature, verify } from "@chainsafe/blst";
import { type DepositVector, readAppendixA } from "../../test/spec/appendix-a-vectors.ts";
import { parseHex, toPrefixedHex } from "../lib/hex.ts";
import { encodeValidatorDepositEntry } from "./validator-entries.ts";
import {
  DepositAmountError,
  registrationEntry,
  signedRegistrationEntry,
  topUpEntry,
  vaultCredentials,
  vaultDepositSigningRoot,
} from "./vault-deposit-entries.ts";

const vector = readAppendixA();
const key0 = vector.keys[0];
if (!key0) throw new Error("Appendix A has key 0");
const secretKey = SecretKey.fromBytes(parseHex(key0.sk, 32) as Uint8Array);
const publicKey = parseHex(key0.pubkey, 48) as Uint8Array;
const MAINNET_FORK = new Uint8Array(4);
const ETH = 1_000_000_000n;

const sha256 = (...parts: Uint8Array[]) => {
  const hash = createHash("sha256");
  for (const part of parts) hash.update(part);
  return new Uint8Array(hash.digest());
};

/**
 * hash_tree_root(DepositData) written out by hand from the SSZ rules, the way the deposit contract
 * computes it: no SSZ library, so it checks ours independently.
 */
function depositDataRootByHand(
  pubkey: Uint8Array,
  credentials: Uint8Array,
  amountGwei: bigint,
  signature: Uint8Array,
) {
  const amount = new Uint8Array(32);
  new DataView(amount.buffer).setBigUint64(0, amountGwei, true);
  const pubkeyRoot = sha256(pubkey, new Uint8Array(16));
  const signatureRoot = sha256(
    sha256(signature.slice(0, 64)),
    sha256(signature.slice(64), new Uint8Array(32)),
  );
  return sha256(sha256(pubkeyRoot, credentials), sha256(amount, signatureRoot));
}

describe("vaultCredentials", () => {
  it("is prefix ‖ 11 zero bytes ‖ vault, as the vault builds them", () => {
    // v3-core v4.0.1 ValidatorUtils.sol:89
    // `validatorDeposit.withdrawalCredentials = abi.encodePacked(withdrawalCredsPrefix, bytes11(0x0), address(this));`
    const deposits = key0.deposits;
    assert.equal(
      toPrefixedHex(vaultCredentials(vector.vault, "0x02")),
      deposits.mainnet_0x02_32eth?.withdrawal_credentials,
    );
    assert.equal(
      toPrefixedHex(vaultCredentials(vector.vault, "0x01")),
      deposits.mainnet_0x01_32eth?.withdrawal_credentials,
    );
  });
});

describe("registrationEntry", () => {
  it("matches the spec's 0x02 and 0x01 deposit vectors (Appendix A, key 0, mainnet)", () => {
    for (const [type, name] of [
      ["0x02", "mainnet_0x02_32eth"],
      ["0x01", "mainnet_0x01_32eth"],
    ] as const) {
      const expected: DepositVector | undefined = key0.deposits[name];
      assert.ok(expected);
      const { entry, depositDatum } = registrationEntry({
        secretKey,
        publicKey,
        vault: vector.vault,
        validatorType: type,
        amountGwei: 32n * ETH,
        genesisForkVersion: MAINNET_FORK,
        networkName: "mainnet",
      });
      assert.equal(toPrefixedHex(entry.signature), expected.signature);
      assert.equal(toPrefixedHex(entry.depositDataRoot), expected.deposit_data_root);
      assert.equal(`0x${depositDatum.deposit_data_root}`, expected.deposit_data_root);
      assert.equal(entry.amountGwei, type === "0x02" ? 32n * ETH : undefined);
    }
  });

  it("makes a 100 ETH 0x02 deposit whose root and signature check out independently", () => {
    const { entry } = registrationEntry({
      secretKey,
      publicKey,
      vault: vector.vault,
      validatorType: "0x02",
      amountGwei: 100n * ETH,
      genesisForkVersion: MAINNET_FORK,
      networkName: "mainnet",
    });
    const credentials = vaultCredentials(vector.vault, "0x02");
    assert.deepEqual(
      entry.depositDataRoot,
      depositDataRootByHand(publicKey, credentials, 100n * ETH, entry.signature),
    );
    const signingRoot = vaultDepositSigningRoot({
      publicKey,
      vault: vector.vault,
      validatorType: "0x02",
      amountGwei: 100n * ETH,
      genesisForkVersion: MAINNET_FORK,
    });
    assert.ok(verify(signingRoot, PublicKey.fromBytes(publicKey), Signature.fromBytes(entry.signature)));
    assert.equal(encodeValidatorDepositEntry(entry).length, 184);
  });

  it("refuses amounts the vault refuses", () => {
    const base = {
      secretKey,
      publicKey,
      vault: vector.vault,
      genesisForkVersion: MAINNET_FORK,
      networkName: "mainnet",
    };
    assert.throws(
      () => registrationEntry({ ...base, validatorType: "0x01", amountGwei: 64n * ETH }),
      DepositAmountError,
    );
    assert.throws(
      () => registrationEntry({ ...base, validatorType: "0x02", amountGwei: 31n * ETH }),
      DepositAmountError,
    );
    assert.throws(
      () => registrationEntry({ ...base, validatorType: "0x02", amountGwei: 2049n * ETH }),
      DepositAmountError,
    );
  });
});

describe("signedRegistrationEntry", () => {
  it("gives the same entry as a local key when handed the same signature", () => {
    const local = registrationEntry({
      secretKey,
      publicKey,
      vault: vector.vault,
      validatorType: "0x02",
      amountGwei: 2048n * ETH,
      genesisForkVersion: MAINNET_FORK,
      networkName: "mainnet",
    });
    const remote = signedRegistrationEntry({
      publicKey,
      vault: vector.vault,
      validatorType: "0x02",
      amountGwei: 2048n * ETH,
      signature: local.entry.signature,
    });
    assert.deepEqual(remote, local.entry);
  });
});

describe("topUpEntry", () => {
  it("is pubkey ‖ zero signature ‖ root of the zero-signature 0x02 deposit ‖ amount (spec §6.4 step 2)", () => {
    const entry = topUpEntry({ publicKey, vault: vector.vault, amountGwei: 50n * ETH });
    assert.deepEqual(entry.signature, new Uint8Array(96));
    assert.equal(entry.amountGwei, 50n * ETH);
    const expected = depositDataRootByHand(
      publicKey,
      vaultCredentials(vector.vault, "0x02"),
      50n * ETH,
      new Uint8Array(96),
    );
    assert.deepEqual(entry.depositDataRoot, expected);
    const encoded = encodeValidatorDepositEntry(entry);
    assert.equal(encoded.length, 184);
    assert.deepEqual(encoded.slice(48, 144), new Uint8Array(96));
  });

  it("takes any positive amount, even below 32 ETH, and refuses nothing or absurd amounts", () => {
    assert.equal(topUpEntry({ publicKey, vault: vector.vault, amountGwei: 1n * ETH }).amountGwei, ETH);
    assert.throws(() => topUpEntry({ publicKey, vault: vector.vault, amountGwei: 0n }), DepositAmountError);
    assert.throws(
      () => topUpEntry({ publicKey, vault: vector.vault, amountGwei: 1n << 60n }),
      DepositAmountError,
    );
  });
});
