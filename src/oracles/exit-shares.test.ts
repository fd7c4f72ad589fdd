import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SecretKey } from "@chainsafe/blst";
import { secp256k1 } from "@noble/curves/secp256k1.js";
// The oracles' side, with the devnet oracles' own code: what the operator builds is checked by
// code that shares none of it.
import { decryptShard, publicKeySharesInterpolate, verifyShard } from "../../test/support/oracle-side.ts";
import { eciesEncrypt } from "../crypto/ecies.ts";
import { type ExitNetwork, exitSigningRoot, signExit } from "../crypto/exit-message.ts";
import { combineSignatureShares, splitSignature } from "../crypto/shamir.ts";
import { parseHex, toPrefixedHex } from "../lib/hex.ts";
import { buildExitShards, type ExitShards, exitShardsFor, prepareOracleRecipients } from "./exit-shares.ts";

const MAINNET: ExitNetwork = {
  capellaForkVersion: "0x03000000",
  capellaEpoch: 194048,
  genesisValidatorsRoot: "0x4b363db94e286120d76eb905340fdd4e54bfe9f06bf33ff6cf5ad27f511bfe95",
};
// Appendix A: key 0 of the "legal winner …" mnemonic, validator index 123.
const VALIDATOR_KEY = SecretKey.fromHex("0x40a080d6866a4bfa7e97dbc324dbb97550d66629488a40dc6c909ac7de702261");
const VALIDATOR_PUBKEY = VALIDATOR_KEY.toPublicKey().toBytes(true);
const INDEX = 123;
const SIGNING_ROOT = exitSigningRoot(MAINNET, INDEX);

function oracleSet(size: number) {
  const privateKeys = Array.from({ length: size }, () => secp256k1.utils.randomSecretKey());
  // The protocol config spells each key as 64-byte x ‖ y hex.
  const config = privateKeys.map((sk) => ({
    publicKey: Buffer.from(secp256k1.getPublicKey(sk, false).subarray(1)).toString("hex"),
  }));
  return { privateKeys, config, recipients: prepareOracleRecipients(config) };
}

function bytes(text: string): Uint8Array {
  const value = parseHex(text);
  assert.ok(value);
  return value;
}

/** What every oracle checks; returns the decrypted shares. */
function oracleChecks(
  shards: ExitShards,
  privateKeys: readonly Uint8Array[],
  threshold: number,
): Uint8Array[] {
  assert.ok(publicKeySharesInterpolate(shards.publicKeyShards, threshold, toPrefixedHex(VALIDATOR_PUBKEY)));
  return privateKeys.map((sk, j) => {
    const share = decryptShard(sk, shards.exitSignatureShards[j] ?? "");
    assert.ok(verifyShard(share, shards.publicKeyShards[j] ?? "", SIGNING_ROOT), `oracle ${j}`);
    return share;
  });
}

for (const [size, threshold] of [
  [3, 2],
  [11, 5],
] as const) {
  describe(`exit shards for ${size} oracles, threshold ${threshold}`, () => {
    const oracles = oracleSet(size);
    const exitSignature = signExit(VALIDATOR_KEY, MAINNET, INDEX);
    const build = () =>
      buildExitShards({
        exitSignature,
        validatorPublicKey: VALIDATOR_PUBKEY,
        validatorIndex: INDEX,
        network: MAINNET,
        threshold,
        oracles: oracles.recipients,
      });

    it("an honest bundle: every oracle decrypts and verifies its shard; t shards recombine", () => {
      const shards = build();
      assert.equal(shards.publicKeyShards.length, size);
      assert.equal(shards.exitSignatureShards.length, size);
      for (const shard of shards.exitSignatureShards) assert.match(shard, /^0x[0-9a-f]{386}$/);
      for (const shard of shards.publicKeyShards) assert.match(shard, /^0x[0-9a-f]{96}$/);
      const shares = oracleChecks(shards, oracles.privateKeys, threshold);
      const lastT = shares
        .slice(-threshold)
        .map((signature, i) => ({ x: size - threshold + i + 1, signature }));
      assert.deepEqual(combineSignatureShares(lastT), exitSignature.toBytes(true));
    });

    it("a shard encrypted to the wrong oracle does not decrypt", () => {
      const shards = build();
      const [first, second] = shards.exitSignatureShards as [string, string];
      assert.throws(() => decryptShard(oracles.privateKeys[0] ?? new Uint8Array(), second));
      assert.throws(() => decryptShard(oracles.privateKeys[1] ?? new Uint8Array(), first));
    });

    it("a swapped signature share (σ_2 encrypted to oracle 1) fails verification", () => {
      const shares = splitSignature({
        signature: exitSignature,
        publicKey: VALIDATOR_PUBKEY,
        message: SIGNING_ROOT,
        threshold,
        shares: size,
      });
      const swapped = eciesEncrypt(
        oracles.recipients[0] ?? new Uint8Array(),
        shares[1]?.signature ?? new Uint8Array(),
      );
      const decrypted = decryptShard(oracles.privateKeys[0] ?? new Uint8Array(), swapped);
      assert.ok(!verifyShard(decrypted, shares[0]?.publicKey ?? new Uint8Array(), SIGNING_ROOT));
      assert.ok(verifyShard(decrypted, shares[1]?.publicKey ?? new Uint8Array(), SIGNING_ROOT));
    });

    it("a share of another validator's exit fails verification", () => {
      const shards = build();
      const share = decryptShard(
        oracles.privateKeys[0] ?? new Uint8Array(),
        shards.exitSignatureShards[0] ?? "",
      );
      assert.ok(!verifyShard(share, shards.publicKeyShards[0] ?? "", exitSigningRoot(MAINNET, INDEX + 1)));
    });

    it("public-key shards that do not interpolate to the validator key are rejected", () => {
      const shards = build();
      const other = build();
      const pubkey = toPrefixedHex(VALIDATOR_PUBKEY);
      // One shard from another (honest) split of the same key: each split alone is consistent.
      const mixed = [...shards.publicKeyShards.slice(0, -1), other.publicKeyShards.at(-1) ?? ""];
      assert.ok(!publicKeySharesInterpolate(mixed, threshold, pubkey));
      const reordered = [...shards.publicKeyShards].reverse();
      assert.ok(!publicKeySharesInterpolate(reordered, threshold, pubkey));
      const otherKey = SecretKey.fromKeygen(new Uint8Array(32).fill(1)).toPublicKey().toBytes(true);
      assert.ok(!publicKeySharesInterpolate(shards.publicKeyShards, threshold, otherKey));
      assert.ok(
        !publicKeySharesInterpolate(shards.publicKeyShards.slice(0, threshold - 1), threshold, pubkey),
      );
      assert.ok(!publicKeySharesInterpolate([...shards.publicKeyShards.slice(1), "0xzz"], threshold, pubkey));
    });
  });
}

describe("exit shards with Appendix A's fixed coefficient (t = 2, n = 3, c_1 = 7)", () => {
  it("carries the spec's public-key shares and, encrypted, its signature shares", () => {
    const oracles = oracleSet(3);
    const shards = buildExitShards({
      exitSignature: signExit(VALIDATOR_KEY, MAINNET, INDEX),
      validatorPublicKey: VALIDATOR_PUBKEY,
      validatorIndex: INDEX,
      network: MAINNET,
      threshold: 2,
      oracles: oracles.recipients,
      coefficients: [7n],
    });
    assert.deepEqual(shards.publicKeyShards, [
      "0xb6141e43396885f7956fb0c09af6397ddfe215c30cb9ce5a2ab1c7d24b835b3a0283b6843528d5ca197adca5d7d86386",
      "0x9578af7e7f25f617965178047a4c58c67f1cf1b1adddd8f7db59043d6c53132546a2969aff899d477824f92fac5875a6",
      "0x85d3d2e8cf4bdd80eb5ddf7fd27a5ef3f7809eb029d61ac39a84c6282b04502636093faff36c5df3ec511b9b62abc910",
    ]);
    const first = decryptShard(
      oracles.privateKeys[0] ?? new Uint8Array(),
      shards.exitSignatureShards[0] ?? "",
    );
    assert.deepEqual(
      first,
      bytes(
        "0xa50ca1868ea288a61b8b784709e9f8b025baf0128fe1900dd6153d406d444e9319c8cd8d1bbc2477cd6834740eefebf604a537cd7472e9afe31d277ae10139b54d645a94f42badeba5ea1528f29e320392559f4ce0c4fc4334b7b0acf2d9e397",
      ),
    );
  });

  it("rejects a threshold above the oracle count and a malformed oracle key", () => {
    const oracles = oracleSet(2);
    assert.throws(
      () =>
        buildExitShards({
          exitSignature: signExit(VALIDATOR_KEY, MAINNET, INDEX),
          validatorPublicKey: VALIDATOR_PUBKEY,
          validatorIndex: INDEX,
          network: MAINNET,
          threshold: 3,
          oracles: oracles.recipients,
        }),
      { name: "ShamirError" },
    );
    assert.throws(() => prepareOracleRecipients([{ publicKey: "0x1234" }]), { name: "InvalidKeyError" });
    assert.throws(() => prepareOracleRecipients([{ publicKey: "not hex" }]), { name: "InvalidKeyError" });
  });
});

describe("exit shards already encrypted for the oracles (a legacy DVT relayer)", () => {
  const oracles = oracleSet(3);
  const made = buildExitShards({
    exitSignature: signExit(VALIDATOR_KEY, MAINNET, INDEX),
    validatorPublicKey: VALIDATOR_PUBKEY,
    validatorIndex: INDEX,
    network: MAINNET,
    threshold: 2,
    oracles: oracles.recipients,
  });
  const params = {
    validatorPublicKey: VALIDATOR_PUBKEY,
    validatorIndex: INDEX,
    network: MAINNET,
    threshold: 2,
    oracles: oracles.recipients,
  };
  const encrypted = (publicKeys: `0x${string}`[], encryptedExitSignatures: `0x${string}`[]) =>
    ({ kind: "encrypted", publicKeys, encryptedExitSignatures }) as const;

  it("passes one key share and one ciphertext per oracle through unchanged; every oracle verifies its shard", () => {
    const shards = exitShardsFor(encrypted(made.publicKeyShards, made.exitSignatureShards), params);
    assert.deepEqual(shards, made);
    shards.exitSignatureShards.forEach((shard, j) => {
      const share = decryptShard(oracles.privateKeys[j] as Uint8Array, shard);
      assert.ok(verifyShard(share, shards.publicKeyShards[j] as string, SIGNING_ROOT), `oracle ${j}`);
    });
  });

  it("refuses shards for another number of oracles, a key share off the curve, a ciphertext of the wrong length", () => {
    assert.throws(
      () =>
        exitShardsFor(encrypted(made.publicKeyShards.slice(1), made.exitSignatureShards.slice(1)), params),
      {
        name: "InvalidKeyError",
        message: /2 public key shares and 2 encrypted exit signatures for 3 oracles/,
      },
    );
    const offCurve = [`0x${"ab".repeat(48)}` as const, ...made.publicKeyShards.slice(1)];
    assert.throws(() => exitShardsFor(encrypted(offCurve, made.exitSignatureShards), params), {
      name: "InvalidKeyError",
      message: /public key share 0 is not a compressed G1 point/,
    });
    const short = [...made.exitSignatureShards.slice(0, 2), "0x0102" as const];
    assert.throws(() => exitShardsFor(encrypted(made.publicKeyShards, short), params), {
      name: "InvalidKeyError",
      message: /encrypted exit signature 2 is not 193 bytes/,
    });
  });
});
