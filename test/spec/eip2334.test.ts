/**
 * EIP-2334 (deterministic account hierarchy) against test/vectors/eip2334.json: path parsing and
 * the withdrawal (m/12381/3600/i/0) and signing (m/12381/3600/i/0/0) keys of validators 0-2.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { mnemonicToSeedSync } from "@scure/bip39";
import {
  deriveSecretKey,
  deriveValidatorKey,
  parseKeyPath,
  signingKeyPath,
} from "../../src/crypto/bls-keys.ts";
import { mnemonicToSeed, parseMnemonic } from "../../src/crypto/mnemonic.ts";
import { bytesHex, bytesToBigInt, readVectorJson } from "./vectors.ts";

interface PathExample {
  path: string;
  valid: boolean;
  nodes?: number[];
}

interface DerivedKey {
  validator_index: number;
  kind: "withdrawal" | "signing";
  path: string;
  nodes: number[];
  SK: string;
  SK_hex: string;
  pubkey: string;
}

interface Eip2334Vectors {
  purpose: number;
  coin_type: number;
  withdrawal_key_path_template: string;
  signing_key_path_template: string;
  hardened_marker_allowed: boolean;
  path_parse_examples: PathExample[];
  mnemonic: string;
  mnemonic_passphrase: string;
  derived: DerivedKey[];
  eip2333_case0_via_path: { mnemonic: string; passphrase: string; path: string; SK: string };
}

const vectors = readVectorJson<Eip2334Vectors>("eip2334.json");

describe("EIP-2334 path parsing", () => {
  for (const example of vectors.path_parse_examples) {
    it(`${example.valid ? "accepts" : "rejects"} ${example.path}`, () => {
      if (example.valid) {
        assert.deepEqual(parseKeyPath(example.path), example.nodes);
      } else {
        assert.throws(() => parseKeyPath(example.path));
      }
    });
  }

  it("every derived path parses to its nodes", () => {
    for (const key of vectors.derived) assert.deepEqual(parseKeyPath(key.path), key.nodes);
  });

  it("signingKeyPath follows the signing template", () => {
    assert.equal(vectors.signing_key_path_template, "m/12381/3600/i/0/0");
    for (const i of [0, 1, 2, 1000]) {
      assert.equal(signingKeyPath(i), vectors.signing_key_path_template.replace("/i/", `/${i}/`));
    }
  });

  it(`the hardened marker is ${vectors.hardened_marker_allowed ? "allowed" : "rejected"}`, () => {
    assert.equal(vectors.hardened_marker_allowed, false);
    assert.throws(() => parseKeyPath("m/12381/3600/0'/0/0"));
  });
});

describe("EIP-2334 keys of validators 0-2", () => {
  const parsed = parseMnemonic(vectors.mnemonic);
  assert.equal(vectors.mnemonic_passphrase, "");
  const seed = mnemonicToSeed(parsed);

  it("has a withdrawal and a signing key for each of validators 0-2", () => {
    assert.deepEqual(
      vectors.derived.map((k) => `${k.validator_index}:${k.kind}`),
      ["0:withdrawal", "0:signing", "1:withdrawal", "1:signing", "2:withdrawal", "2:signing"],
    );
  });

  for (const key of vectors.derived) {
    it(`validator ${key.validator_index} ${key.kind} key (${key.path})`, () => {
      const template =
        key.kind === "signing" ? vectors.signing_key_path_template : vectors.withdrawal_key_path_template;
      assert.equal(key.path, template.replace("/i/", `/${key.validator_index}/`));
      assert.equal(BigInt(`0x${key.SK_hex}`), BigInt(key.SK));

      const secretKey = deriveSecretKey(seed, key.path);
      assert.equal(bytesToBigInt(secretKey.toBytes()), BigInt(key.SK));
      assert.equal(bytesHex(secretKey.toBytes()), key.SK_hex);
      assert.equal(bytesHex(secretKey.toPublicKey().toBytes(true)), key.pubkey);

      if (key.kind === "signing") {
        const validator = deriveValidatorKey(seed, key.validator_index);
        assert.equal(validator.index, key.validator_index);
        assert.equal(validator.path, key.path);
        assert.equal(bytesHex(validator.secretKey.toBytes()), key.SK_hex);
        assert.equal(bytesHex(validator.publicKey), key.pubkey);
      }
    });
  }

  it("the signing key is child 0 of the withdrawal key", () => {
    for (const i of [0, 1, 2]) {
      const withdrawal = vectors.derived.find((k) => k.validator_index === i && k.kind === "withdrawal");
      const signing = vectors.derived.find((k) => k.validator_index === i && k.kind === "signing");
      assert.ok(withdrawal && signing);
      const child = deriveSecretKey(seed, withdrawal.path).deriveChildEip2333(0);
      assert.equal(bytesHex(child.toBytes()), signing.SK_hex);
    }
  });
});

describe("EIP-2333 test_case_0 through a path", () => {
  it("BIP-39 seed (passphrase TREZOR) along m/0", () => {
    const v = vectors.eip2333_case0_via_path;
    const seed = mnemonicToSeedSync(v.mnemonic, v.passphrase);
    assert.equal(bytesToBigInt(deriveSecretKey(seed, v.path).toBytes()), BigInt(v.SK));
  });
});
