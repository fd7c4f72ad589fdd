/**
 * The devnet oracles' own verification (src/devnet/oracles: consensus-roots, bls-shares,
 * merkle-proof, shard-decrypt) against vectors made by other code: the operator spec's Appendix A
 * (independent JS, cross-checked with the deposit CLI and the Python operator), the
 * ethereum/bls12-381-tests verify cases, and eciesjs (the reference ECIES, a dev dependency).
 * None of these checks calls the operator's functions.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { encrypt as referenceEncrypt } from "eciesjs";
import {
  combineSignatureShares,
  createBlsVerifier,
  sharesInterpolate,
} from "../../src/devnet/oracles/bls-shares.ts";
import {
  depositDataRoot,
  depositDomain,
  depositMessageRoot,
  signingRoot,
  vaultCredentials,
  voluntaryExitDomain,
  voluntaryExitRoot,
} from "../../src/devnet/oracles/consensus-roots.ts";
import { leafHash, processMultiProof, processProof } from "../../src/devnet/oracles/merkle-proof.ts";
import { decryptShard } from "../../src/devnet/oracles/shard-decrypt.ts";
import { APPENDIX_NETWORKS, readAppendixA, readShamirExample } from "./appendix-a-vectors.ts";
import { bytesHex0x, hexBytes, listVectorFiles, readVectorJson } from "./vectors.ts";

const vectors = readAppendixA();
const shamir = readShamirExample();
const bls = createBlsVerifier();

describe("devnet oracles: consensus roots (Appendix A)", () => {
  for (const key of vectors.keys) {
    for (const [variant, d] of Object.entries(key.deposits)) {
      it(`key ${key.index} ${variant}: domain, message root, signing root, deposit data root`, () => {
        const network = APPENDIX_NETWORKS[variant.startsWith("mainnet") ? "mainnet" : "hoodi"];
        const pubkey = hexBytes(key.pubkey);
        const credentials = hexBytes(d.withdrawal_credentials);
        const amount = Number(d.amount_gwei);
        const domain = depositDomain(hexBytes(network.genesisForkVersion));
        const messageRoot = depositMessageRoot(pubkey, credentials, amount);
        assert.equal(bytesHex0x(domain), d.deposit_domain);
        assert.equal(bytesHex0x(messageRoot), d.deposit_message_root);
        assert.equal(bytesHex0x(signingRoot(messageRoot, domain)), d.signing_root);
        assert.equal(
          bytesHex0x(depositDataRoot(pubkey, credentials, amount, hexBytes(d.signature))),
          d.deposit_data_root,
        );
        if (variant.includes("0x01")) {
          assert.equal(bytesHex0x(vaultCredentials(hexBytes(vectors.vault))), d.withdrawal_credentials);
        }
      });
    }
  }

  for (const [name, exit] of [
    ["mainnet", vectors.exit_mainnet_index123_key0],
    ["hoodi", vectors.exit_hoodi_index123_key0],
  ] as const) {
    it(`${name} exit of validator 123: Capella domain and signing root`, () => {
      const network = APPENDIX_NETWORKS[name];
      const domain = voluntaryExitDomain(
        hexBytes(network.capellaForkVersion),
        hexBytes(network.genesisValidatorsRoot),
      );
      assert.equal(bytesHex0x(domain), exit.exit_domain);
      const root = signingRoot(voluntaryExitRoot(Number(exit.epoch), 123), domain);
      assert.equal(bytesHex0x(root), exit.signing_root);
    });
  }
});

describe("devnet oracles: BLS verification (@noble/curves)", () => {
  it("verifies the Appendix A deposit and exit signatures, and refuses them altered", () => {
    const key0 = vectors.keys[0];
    assert.ok(key0);
    const pubkey = hexBytes(key0.pubkey);
    for (const d of Object.values(key0.deposits)) {
      assert.ok(bls.verify(pubkey, hexBytes(d.signing_root), hexBytes(d.signature)));
    }
    const exit = vectors.exit_mainnet_index123_key0;
    assert.ok(bls.verify(pubkey, hexBytes(exit.signing_root), hexBytes(exit.signature)));
    assert.ok(
      !bls.verify(pubkey, hexBytes(vectors.exit_hoodi_index123_key0.signing_root), hexBytes(exit.signature)),
    );
    const other = hexBytes(vectors.keys[1]?.pubkey ?? "");
    assert.ok(!bls.verify(other, hexBytes(exit.signing_root), hexBytes(exit.signature)));
  });

  it("agrees with every ethereum/bls12-381-tests verify case", () => {
    const files = listVectorFiles("bls12-381-tests/verify/", /\.json$/);
    assert.ok(files.length >= 10);
    for (const file of files) {
      const { input, output } = readVectorJson<{
        input: { pubkey: string; message: string; signature: string };
        output: boolean;
      }>(`bls12-381-tests/verify/${file}`);
      const verdict = bls.verify(hexBytes(input.pubkey), hexBytes(input.message), hexBytes(input.signature));
      assert.equal(verdict, output, file);
    }
  });

  it("refuses malformed keys and signatures instead of throwing", () => {
    const exit = vectors.exit_mainnet_index123_key0;
    const root = hexBytes(exit.signing_root);
    const pubkey = hexBytes(vectors.keys[0]?.pubkey ?? "");
    assert.ok(!bls.verify(pubkey.subarray(1), root, hexBytes(exit.signature)));
    assert.ok(!bls.verify(pubkey, root, hexBytes(exit.signature).subarray(1)));
    assert.ok(!bls.verify(Uint8Array.of(0xc0, ...new Uint8Array(47)), root, hexBytes(exit.signature)));
  });
});

describe("devnet oracles: Shamir shares (Appendix A split example, t = 2, n = 3)", () => {
  const pubkeyShares = shamir.shares.map((s) => hexBytes(s.pubkey_share));
  const pubkey = hexBytes(shamir.pubkey);

  it("the public-key shares interpolate to the validator key at threshold 2 (and 3), not at 1", () => {
    assert.ok(sharesInterpolate(pubkeyShares, 2, pubkey));
    assert.ok(sharesInterpolate(pubkeyShares, 3, pubkey));
    assert.ok(!sharesInterpolate(pubkeyShares, 1, pubkey));
    assert.ok(!sharesInterpolate(pubkeyShares, 4, pubkey));
  });

  it("shares that are swapped, replaced or of another key do not interpolate", () => {
    const [a, b, c] = pubkeyShares as [Uint8Array, Uint8Array, Uint8Array];
    assert.ok(!sharesInterpolate([b, a, c], 2, pubkey));
    assert.ok(!sharesInterpolate([a, b, b], 2, pubkey));
    assert.ok(!sharesInterpolate(pubkeyShares, 2, hexBytes(vectors.keys[1]?.pubkey ?? "")));
    assert.ok(!sharesInterpolate([a, b, c.subarray(1)], 2, pubkey));
  });

  it("each signature share verifies under its public-key share for the exit message", () => {
    const root = hexBytes(vectors.exit_mainnet_index123_key0.signing_root);
    for (const [j, share] of shamir.shares.entries()) {
      assert.equal(share.verifies, true);
      assert.ok(
        bls.verify(hexBytes(share.pubkey_share), root, hexBytes(share.signature_share)),
        `x=${share.x}`,
      );
      const other = shamir.shares[(j + 1) % shamir.shares.length];
      assert.ok(!bls.verify(hexBytes(other?.pubkey_share ?? ""), root, hexBytes(share.signature_share)));
    }
  });

  it("any two signature shares combine to the exit signature; one share does not", () => {
    const shares = shamir.shares.map((s) => ({ x: s.x, signature: hexBytes(s.signature_share) }));
    for (const pair of [
      [1, 2],
      [0, 2],
      [2, 0],
    ]) {
      const chosen = pair.map((i) => shares[i] as (typeof shares)[number]);
      assert.equal(bytesHex0x(combineSignatureShares(chosen)), shamir.exit_signature, `${pair}`);
    }
    assert.notEqual(bytesHex0x(combineSignatureShares(shares.slice(0, 1))), shamir.exit_signature);
  });
});

describe("devnet oracles: Merkle proofs (Appendix A validators tree)", () => {
  const txValidator = (index: number) => {
    const key = vectors.keys[index];
    const d = key?.deposits.mainnet_0x01_32eth;
    assert.ok(key && d);
    return Uint8Array.from([
      ...hexBytes(key.pubkey),
      ...hexBytes(d.signature),
      ...hexBytes(d.deposit_data_root),
    ]);
  };
  const root = vectors.validators_root_mainnet_3keys;

  it("leaf hash of entry 0 and its single proof", () => {
    const leaf = leafHash(txValidator(0), 0);
    assert.equal(bytesHex0x(leaf), vectors.leaf_hash_0);
    assert.equal(bytesHex0x(processProof(leaf, vectors.single_proof_0.map(hexBytes))), root);
    assert.notEqual(
      bytesHex0x(processProof(leafHash(txValidator(0), 1), vectors.single_proof_0.map(hexBytes))),
      root,
    );
  });

  it("the multiproof of entries 0 and 1, and malformed ones", () => {
    const { leaves_indexes, proof, proofFlags } = vectors.multiproof_0_1;
    const leaves = leaves_indexes.map((i) => leafHash(txValidator(i), i));
    const nodes = proof.map(hexBytes);
    const computed = processMultiProof(leaves, nodes, proofFlags);
    assert.equal(computed && bytesHex0x(computed), root);
    assert.equal(processMultiProof(leaves, nodes, [...proofFlags, true]), undefined);
    assert.equal(processMultiProof(leaves, [], proofFlags), undefined);
    const swapped = processMultiProof(
      [leafHash(txValidator(0), 1), leafHash(txValidator(1), 0)],
      nodes,
      proofFlags,
    );
    assert.notEqual(swapped && bytesHex0x(swapped), root);
  });
});

describe("devnet oracles: shard decryption (eciesjs encrypts)", () => {
  const privateKey = secp256k1.utils.randomSecretKey();
  const publicKey = secp256k1.getPublicKey(privateKey, false);
  const share = hexBytes(shamir.shares[0]?.signature_share ?? "");

  it("decrypts what eciesjs encrypts to the oracle's key (65 bytes, and the config's 64-byte hex)", () => {
    assert.deepEqual(decryptShard(privateKey, new Uint8Array(referenceEncrypt(publicKey, share))), share);
    const fromConfigHex = referenceEncrypt(Buffer.from(publicKey.subarray(1)).toString("hex"), share);
    assert.deepEqual(decryptShard(privateKey, new Uint8Array(fromConfigHex)), share);
  });

  it("throws for another oracle's key, tampered bytes and short input", () => {
    const ciphertext = new Uint8Array(referenceEncrypt(publicKey, share));
    assert.equal(ciphertext.length, 193);
    assert.throws(() => decryptShard(secp256k1.utils.randomSecretKey(), ciphertext));
    for (const offset of [1, 70, 90, 150]) {
      const tampered = Uint8Array.from(ciphertext);
      tampered[offset] = (tampered[offset] ?? 0) ^ 1;
      assert.throws(() => decryptShard(privateKey, tampered), `byte ${offset}`);
    }
    assert.throws(() => decryptShard(privateKey, ciphertext.subarray(0, 96)));
  });
});
