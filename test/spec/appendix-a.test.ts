/**
 * The computed vectors of the operator spec's Appendix A (test/vectors/stakewise-operator-appendix-a.md,
 * a verbatim copy), read from the first ```json block after the heading at test time: seed, keys, deposit data for
 * mainnet/hoodi × 0x01/0x02, the voluntary-exit signatures, and the hot-wallet address.
 *
 * Not covered here: the validators Merkle tree, multiproof, Shamir split and validators_manager_v4
 * entries (tested with the tree code).
 */
import assert from "node:assert/strict";
import { ECDH } from "node:crypto";
import { describe, it } from "node:test";
import { PublicKey, Signature, verify } from "@chainsafe/blst";
import { keccak_256 } from "@noble/hashes/sha3.js";
import { HDKey } from "@scure/bip32";
import { deriveValidatorKey, signingKeyPath } from "../../src/crypto/bls-keys.ts";
import { mnemonicToSeed, parseMnemonic } from "../../src/crypto/mnemonic.ts";
import {
  computeDepositDomain,
  computeDomain,
  computeSigningRoot,
  DOMAIN_VOLUNTARY_EXIT,
} from "../../src/crypto/signing.ts";
import { DepositMessage, VoluntaryExit } from "../../src/crypto/ssz-types.ts";
import { buildDepositDatum, depositDataRoot } from "../../src/keys/deposit-datum.ts";
import { SecretKeySigner } from "../../src/keys/sources/secret-key-signer.ts";
import { vaultWithdrawalCredentials } from "../../src/keys/withdrawal-credentials.ts";
import { APPENDIX_NETWORKS as NETWORKS, readAppendixA } from "./appendix-a-vectors.ts";
import { bytesHex, bytesHex0x, hexBytes } from "./vectors.ts";

const vectors = readAppendixA();

const seed = mnemonicToSeed(parseMnemonic(vectors.mnemonic));

describe("Appendix A: seed and keys", () => {
  it("mnemonic → seed (empty passphrase)", () => {
    assert.equal(bytesHex0x(seed), vectors.seed);
  });

  it("has keys 0-2", () => {
    assert.deepEqual(
      vectors.keys.map((k) => k.index),
      [0, 1, 2],
    );
    assert.equal(vectors.first_public_key, vectors.keys[0]?.pubkey);
  });

  for (const k of vectors.keys) {
    it(`key ${k.index}: path, sk, pubkey`, () => {
      assert.equal(signingKeyPath(k.index), k.path);
      const key = deriveValidatorKey(seed, k.index);
      assert.equal(key.path, k.path);
      assert.equal(bytesHex0x(key.secretKey.toBytes()), k.sk);
      assert.equal(bytesHex0x(key.publicKey), k.pubkey);
    });
  }
});

describe("Appendix A: deposits", () => {
  for (const k of vectors.keys) {
    it(`key ${k.index} has the four deposit variants`, () => {
      assert.deepEqual(Object.keys(k.deposits).sort(), [
        "hoodi_0x01_32eth",
        "hoodi_0x02_32eth",
        "mainnet_0x01_32eth",
        "mainnet_0x02_32eth",
      ]);
    });

    for (const [variant, d] of Object.entries(k.deposits)) {
      it(`key ${k.index} ${variant}`, () => {
        const match = /^(mainnet|hoodi)_0x(01|02)_32eth$/.exec(variant);
        assert.ok(match, `known variant ${variant}`);
        const network = NETWORKS[match[1] as keyof typeof NETWORKS];
        const prefix = match[2] === "01" ? 0x01 : 0x02;
        const genesisForkVersion = hexBytes(network.genesisForkVersion);
        const amountGwei = Number(d.amount_gwei);
        assert.equal(amountGwei, 32e9);

        const withdrawalCredentials = vaultWithdrawalCredentials(vectors.vault, prefix);
        assert.equal(bytesHex0x(withdrawalCredentials), d.withdrawal_credentials);

        const domain = computeDepositDomain(genesisForkVersion);
        assert.equal(bytesHex0x(domain), d.deposit_domain);

        const key = deriveValidatorKey(seed, k.index);
        const messageRoot = DepositMessage.hashTreeRoot({
          pubkey: key.publicKey,
          withdrawalCredentials,
          amount: amountGwei,
        });
        assert.equal(bytesHex0x(messageRoot), d.deposit_message_root);
        const signingRoot = computeSigningRoot(messageRoot, domain);
        assert.equal(bytesHex0x(signingRoot), d.signing_root);

        const datum = buildDepositDatum({
          secretKey: key.secretKey,
          publicKey: key.publicKey,
          withdrawalCredentials,
          amountGwei,
          genesisForkVersion,
          networkName: match[1] as string,
        });
        assert.equal(`0x${datum.deposit_message_root}`, d.deposit_message_root);
        assert.equal(`0x${datum.signature}`, d.signature);
        assert.equal(`0x${datum.deposit_data_root}`, d.deposit_data_root);
        assert.equal(`0x${datum.withdrawal_credentials}`, d.withdrawal_credentials);
        assert.equal(`0x${datum.pubkey}`, k.pubkey);
        assert.equal(`0x${datum.fork_version}`, network.genesisForkVersion);

        const signature = hexBytes(d.signature);
        assert.ok(
          verify(signingRoot, PublicKey.fromBytes(key.publicKey, true), Signature.fromBytes(signature, true)),
        );
        assert.equal(
          bytesHex0x(depositDataRoot(key.publicKey, withdrawalCredentials, amountGwei, signature)),
          d.deposit_data_root,
        );
      });

      it(`key ${k.index} ${variant}: a signer over the key signs the same deposit`, async () => {
        const match = /^(mainnet|hoodi)_0x(01|02)_32eth$/.exec(variant) as RegExpExecArray;
        const network = NETWORKS[match[1] as keyof typeof NETWORKS];
        const key = deriveValidatorKey(seed, k.index);
        const publicKey = bytesHex0x(key.publicKey) as `0x${string}`;
        const signer = new SecretKeySigner(
          {
            size: 1,
            has: (candidate) => candidate === publicKey,
            publicKeys: () => [publicKey],
            getSecretKey: async () => key.secretKey,
          },
          "one key",
        );
        const signature = await signer.signDeposit(publicKey, {
          withdrawalCredentials: hexBytes(d.withdrawal_credentials),
          amountGwei: Number(d.amount_gwei),
          genesisForkVersion: hexBytes(network.genesisForkVersion),
        });
        assert.equal(bytesHex0x(signature), d.signature);
      });
    }
  }
});

describe("Appendix A: voluntary exits (validator index 123, key 0)", () => {
  for (const [name, networkName] of [
    ["exit_mainnet_index123_key0", "mainnet"],
    ["exit_hoodi_index123_key0", "hoodi"],
  ] as const) {
    it(name, () => {
      const v = vectors[name];
      const network = NETWORKS[networkName];
      const domain = computeDomain(
        DOMAIN_VOLUNTARY_EXIT,
        hexBytes(network.capellaForkVersion),
        hexBytes(network.genesisValidatorsRoot),
      );
      assert.equal(bytesHex0x(domain), v.exit_domain);

      const messageRoot = VoluntaryExit.hashTreeRoot({ epoch: Number(v.epoch), validatorIndex: 123 });
      const signingRoot = computeSigningRoot(messageRoot, domain);
      assert.equal(bytesHex0x(signingRoot), v.signing_root);

      const key = deriveValidatorKey(seed, 0);
      assert.equal(bytesHex0x(key.secretKey.sign(signingRoot).toBytes(true)), v.signature);
    });
  }
});

describe("Appendix A: hot wallet", () => {
  it("m/44'/60'/0'/0/0 address", () => {
    // A stand-in for the wallet module: BIP-32 derivation, then keccak-256 of the uncompressed
    // public key without its 0x04 prefix, last 20 bytes.
    const node = HDKey.fromMasterSeed(seed).derive("m/44'/60'/0'/0/0");
    assert.ok(node.publicKey);
    const uncompressed = ECDH.convertKey(
      node.publicKey,
      "secp256k1",
      undefined,
      undefined,
      "uncompressed",
    ) as Buffer;
    assert.equal(uncompressed.length, 65);
    assert.equal(uncompressed[0], 0x04);
    const address = bytesHex(keccak_256(uncompressed.subarray(1)).subarray(12));
    assert.equal(`0x${address}`, vectors.hot_wallet_address_m44_60_0_0_0.toLowerCase());

    // The vector is written with the EIP-55 checksum.
    const hash = bytesHex(keccak_256(new TextEncoder().encode(address)));
    const checksummed = [...address]
      .map((c, i) => (Number.parseInt(hash[i] as string, 16) >= 8 ? c.toUpperCase() : c))
      .join("");
    assert.equal(`0x${checksummed}`, vectors.hot_wallet_address_m44_60_0_0_0);
  });
});
