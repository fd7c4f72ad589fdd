/**
 * EIP-2333 (BLS12-381 key derivation) against test/vectors/eip2333.json. Our derivation is
 * @chainsafe/blst's deriveMasterEip2333 / deriveChildEip2333, reached through deriveSecretKey.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SecretKey } from "@chainsafe/blst";
import { mnemonicToSeedSync } from "@scure/bip39";
import { deriveSecretKey } from "../../src/crypto/bls-keys.ts";
import { bytesHex, bytesToBigInt, hexBytes, readVectorJson } from "./vectors.ts";

interface Eip2333Case {
  name: string;
  seed: string;
  master_SK: string;
  child_index: number;
  child_SK: string;
  master_SK_hex: string;
  child_SK_hex: string;
}

interface Eip2333Vectors {
  test_case_0_mnemonic: { mnemonic: string; passphrase: string };
  cases: Eip2333Case[];
  intermediate: {
    seed: string;
    master_SK: string;
    child_index: number;
    lamport_0: string[];
    lamport_1: string[];
    compressed_lamport_PK: string;
    child_SK: string;
  };
}

const vectors = readVectorJson<Eip2333Vectors>("eip2333.json");

describe("EIP-2333 test cases", () => {
  it("has cases 0-3", () => {
    assert.deepEqual(
      vectors.cases.map((c) => c.name),
      ["test_case_0", "test_case_1", "test_case_2", "test_case_3"],
    );
  });

  for (const c of vectors.cases) {
    describe(c.name, () => {
      it("the vector's decimal and hex values agree", () => {
        assert.equal(BigInt(`0x${c.master_SK_hex}`), BigInt(c.master_SK));
        assert.equal(BigInt(`0x${c.child_SK_hex}`), BigInt(c.child_SK));
      });

      it("seed → master_SK", () => {
        const master = SecretKey.deriveMasterEip2333(hexBytes(c.seed));
        assert.equal(bytesToBigInt(master.toBytes()), BigInt(c.master_SK));
        // The path-based API with the empty path "m" is the master key too.
        assert.equal(bytesHex(deriveSecretKey(hexBytes(c.seed), "m").toBytes()), c.master_SK_hex);
      });

      it("master_SK, child_index → child_SK", () => {
        const master = SecretKey.fromBytes(hexBytes(c.master_SK_hex));
        const child = master.deriveChildEip2333(c.child_index);
        assert.equal(bytesToBigInt(child.toBytes()), BigInt(c.child_SK));
      });

      it(`deriveSecretKey(seed, "m/${c.child_index}") → child_SK`, () => {
        const child = deriveSecretKey(hexBytes(c.seed), `m/${c.child_index}`);
        assert.equal(bytesToBigInt(child.toBytes()), BigInt(c.child_SK));
      });
    });
  }

  it("test_case_0's seed is the BIP-39 seed of its mnemonic with passphrase TREZOR", () => {
    const { mnemonic, passphrase } = vectors.test_case_0_mnemonic;
    const case0 = vectors.cases[0] as Eip2333Case;
    assert.equal(bytesHex(mnemonicToSeedSync(mnemonic, passphrase)), case0.seed);
  });
});

describe("EIP-2333 intermediate-values case", () => {
  const v = vectors.intermediate;

  it("seed → master_SK → child_SK end to end", () => {
    const master = SecretKey.deriveMasterEip2333(hexBytes(v.seed));
    assert.equal(bytesToBigInt(master.toBytes()), BigInt(v.master_SK));
    const child = master.deriveChildEip2333(v.child_index);
    assert.equal(bytesToBigInt(child.toBytes()), BigInt(v.child_SK));
  });

  it("has the 255 + 255 lamport values and the compressed lamport PK", () => {
    assert.equal(v.lamport_0.length, 255);
    assert.equal(v.lamport_1.length, 255);
    assert.match(v.compressed_lamport_PK, /^[0-9a-f]{64}$/);
  });

  // blst's deriveChildEip2333 does parent_SK_to_lamport_PK and HKDF_mod_r internally and exposes
  // neither the lamport secret keys nor the compressed lamport PK, so these intermediate values
  // cannot be checked through our API; the end-to-end child_SK above covers the same computation.
  it.skip("lamport_0 / lamport_1 / compressed_lamport_PK (not exposed by @chainsafe/blst)");
});
