import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { processMultiProof, processProof } from "../devnet/oracles/merkle-proof.ts";
import { parseHex, toPrefixedHex } from "../lib/hex.ts";
import {
  createKeccakHasher,
  type KeccakHasher,
  multiProofIndexes,
  TX_VALIDATOR_LENGTH,
  txValidator,
  ValidatorsTree,
} from "./validators-tree.ts";

// The tree's proofs are checked as the oracles check them, with the devnet oracles' own proof
// code and keccak (@noble/hashes), not with the tree's.
function verifyProof(root: Uint8Array, leafHash: Uint8Array, proof: readonly Uint8Array[]): boolean {
  return Buffer.compare(processProof(leafHash, proof), root) === 0;
}

function verifyMultiProof(
  root: Uint8Array,
  leafHashes: readonly Uint8Array[],
  proof: readonly Uint8Array[],
  proofFlags: readonly boolean[],
): boolean {
  const computed = processMultiProof(leafHashes, proof, proofFlags);
  return computed !== undefined && Buffer.compare(computed, root) === 0;
}

function hex(text: string, length?: number): Uint8Array {
  const bytes = parseHex(text, length);
  assert.ok(bytes, `bad hex in test vector: ${text}`);
  return bytes;
}

const hexAll = (list: readonly Uint8Array[]): string[] => list.map((b) => toPrefixedHex(b));

// Spec Appendix A: mainnet deposit data of 3 mnemonic-derived keys for vault
// 0x3320ad928c20187602a2b2c04eeaa813fa899468 (0x01 credentials, 32 ETH).
const APPENDIX_A = [
  {
    pubkey:
      "90d317fa6a570715d34556f27f5b390a9c6b3deab4ef0092b45214e553f2302724d22324eeae418ba8b358cb108125ec",
    signature:
      "89bddea93e390f5e287d555d7767a28f691c6d883174a1bc7a6a624b18cb65440aa267a4ba3bbbc92bd3397c705bda200e3837072722d6e0813e831dca8b8160b0bc4ddaa7270be5c3e7d328ecba6f301085df389ff1ffb806bedf1857d95ef2",
    depositDataRoot: "305bf846d7cd1c36334c2eb29d373c71b16e5d1c687221a94646e3b984fc674c",
  },
  {
    pubkey:
      "a1bfc1bb4c5f8b1fe607a746dd73d47e41927e700b830f4e67b07460bd78235eccd387fe21d3add095d980157a42dff7",
    signature:
      "95f2fce3a5c22d21ddaa97f087006743baf4469cb462741b288134674535572902a20d316a4d992764d2320c305690341264b2ce9524330c8caad8e9cee7d237be53cb1c070e55e1f6efdc56eeadf31cc3ddc1b0cd2fbcebb11ccb28a55747a4",
    depositDataRoot: "032740ecf88cedc9829c1caeb0e4e41b82ff5b4d1388812b9b1d27b6a820180e",
  },
  {
    pubkey:
      "b0ad35e61a768b75844907ab6b065c3a5c99ec202bd14f8c4bd3a86881412819f9848bfdd4d2ef11940479c421a624a3",
    signature:
      "846625e87b16f98774a91766008af65cdc79979f18e6f20bcabe7956e55d5d269e585c3e81c8b60853c758e4f169c8a50748e392697fbecefd4e7d203e55453d0c03495b9334efa442e56e4dc0bdd4d6b9b26435cb5d4ebc20d5555e230b1d4d",
    depositDataRoot: "22067b52be74fda50a1195c8405755a64c6d013373d835f646e85b4c3a4aacdd",
  },
] as const;

const APPENDIX_A_ROOT = "0xf96c9bb168a4de2fd8faf38e9fdb60264675e56a02308b04a04364378dba57e4";
const APPENDIX_A_LEAF_0 = "0x1ea24c07476fa58e52a86b419b6d8e93153f4662d01bf64fbe5847457ef1d4da";
const APPENDIX_A_PROOF_0 = [
  "0xa953b7844914553d18c5a80231f6b4216241b52e1b822acb8b5f14f0895c8a3e",
  "0xe008c96529c0240d26b8d510d357366fbd1fd5958f2890a1a519dbbcbde31d88",
];

function appendixATxValidators(): Uint8Array[] {
  return APPENDIX_A.map((e) =>
    txValidator(hex(e.pubkey, 48), hex(e.signature, 96), hex(e.depositDataRoot, 32)),
  );
}

/** Deterministic PRNG (mulberry32) so a failure reproduces. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

function randomBytes(random: () => number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = Math.floor(random() * 256);
  return out;
}

/** A random subset of 0..n-1 in random order. */
function randomSubset(random: () => number, n: number): number[] {
  const all = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [all[i], all[j]] = [all[j] as number, all[i] as number];
  }
  return all.slice(0, Math.floor(random() * (n + 1)));
}

function ozTree(txValidators: readonly Uint8Array[]) {
  return StandardMerkleTree.of(
    txValidators.map((v, i) => [toPrefixedHex(v), i]),
    ["bytes", "uint256"],
  );
}

let hasher: KeccakHasher;
before(async () => {
  hasher = await createKeccakHasher();
});

describe("txValidator", () => {
  it("concatenates pubkey, signature and deposit data root", () => {
    const value = txValidator(
      new Uint8Array(48).fill(1),
      new Uint8Array(96).fill(2),
      new Uint8Array(32).fill(3),
    );
    assert.equal(value.length, TX_VALIDATOR_LENGTH);
    assert.equal(value[47], 1);
    assert.equal(value[48], 2);
    assert.equal(value[143], 2);
    assert.equal(value[144], 3);
    assert.equal(value[175], 3);
  });

  it("rejects wrong lengths", () => {
    assert.throws(
      () => txValidator(new Uint8Array(47), new Uint8Array(96), new Uint8Array(32)),
      /pubkey must be 48 bytes/,
    );
    assert.throws(
      () => txValidator(new Uint8Array(48), new Uint8Array(95), new Uint8Array(32)),
      /signature must be 96 bytes/,
    );
    assert.throws(
      () => txValidator(new Uint8Array(48), new Uint8Array(96), new Uint8Array(33)),
      /deposit_data_root must be 32 bytes/,
    );
  });
});

describe("ValidatorsTree: spec Appendix A vectors", () => {
  it("root, leaf hash and proof of entry 0", async () => {
    const tree = await ValidatorsTree.build(appendixATxValidators());
    assert.equal(tree.length, 3);
    assert.equal(toPrefixedHex(tree.root), APPENDIX_A_ROOT);
    assert.equal(toPrefixedHex(tree.leafHash(0)), APPENDIX_A_LEAF_0);
    assert.deepEqual(hexAll(tree.getProof(0)), APPENDIX_A_PROOF_0);
    assert.ok(verifyProof(tree.root, tree.leafHash(0), tree.getProof(0)));
  });

  it("multiproof of entries 0 and 1, and the registerValidators indexes", async () => {
    const tree = await ValidatorsTree.build(appendixATxValidators());
    const multiProof = tree.getMultiProof([0, 1]);
    assert.deepEqual(multiProof.leaves, [0, 1]);
    assert.deepEqual(hexAll(multiProof.proof), [APPENDIX_A_PROOF_0[0]]);
    assert.deepEqual(multiProof.proofFlags, [false, true]);
    assert.deepEqual(multiProofIndexes(multiProof.leaves, [0, 1]), [0, 1]);
    const leafHashes = multiProof.leaves.map((v) => tree.leafHash(v));
    assert.ok(verifyMultiProof(tree.root, leafHashes, multiProof.proof, multiProof.proofFlags));
  });

  it("agrees with the OpenZeppelin library", async () => {
    const values = appendixATxValidators();
    assert.equal(ozTree(values).root, APPENDIX_A_ROOT);
  });
});

describe("ValidatorsTree: edge cases", () => {
  it("rejects an empty input with a clear error", async () => {
    await assert.rejects(ValidatorsTree.build([]), /no deposit data entries/);
  });

  it("a single leaf is its own root, with an empty proof", async () => {
    const value = new Uint8Array(TX_VALIDATOR_LENGTH).fill(7);
    const tree = await ValidatorsTree.build([value]);
    const oz = ozTree([value]);
    assert.equal(toPrefixedHex(tree.root), oz.root);
    assert.equal(toPrefixedHex(tree.leafHash(0)), oz.root);
    assert.deepEqual(tree.getProof(0), []);
    const multiProof = tree.getMultiProof([0]);
    assert.deepEqual(multiProof, { leaves: [0], proof: [], proofFlags: [] });
    assert.ok(verifyMultiProof(tree.root, [tree.leafHash(0)], [], []));
  });

  it("rejects a tx_validator of the wrong length", async () => {
    await assert.rejects(ValidatorsTree.build([new Uint8Array(175)]), /tx_validator must be 176 bytes/);
  });

  it("rejects out-of-range and duplicated value indexes", async () => {
    const tree = await ValidatorsTree.build(appendixATxValidators());
    assert.throws(() => tree.getProof(3), RangeError);
    assert.throws(() => tree.getProof(-1), RangeError);
    assert.throws(() => tree.leafHash(1.5), RangeError);
    assert.throws(() => tree.getMultiProof([0, 3]), RangeError);
    assert.throws(() => tree.getMultiProof([1, 1]), /duplicated/);
  });

  it("returns copies, so callers cannot corrupt the tree", async () => {
    const tree = await ValidatorsTree.build(appendixATxValidators());
    tree.getProof(0)[0]?.fill(0);
    tree.leafHash(0).fill(0);
    assert.deepEqual(hexAll(tree.getProof(0)), APPENDIX_A_PROOF_0);
    assert.equal(toPrefixedHex(tree.leafHash(0)), APPENDIX_A_LEAF_0);
  });

  it("an empty multiproof is the root alone, like the library's", async () => {
    const values = appendixATxValidators();
    const tree = await ValidatorsTree.build(values);
    const multiProof = tree.getMultiProof([]);
    const oz = ozTree(values).getMultiProof([]);
    assert.deepEqual(multiProof.leaves, []);
    assert.deepEqual(hexAll(multiProof.proof), oz.proof);
    assert.deepEqual(multiProof.proofFlags, oz.proofFlags);
    assert.ok(verifyMultiProof(tree.root, [], multiProof.proof, multiProof.proofFlags));
  });

  it("the verifiers reject tampered proofs", async () => {
    const tree = await ValidatorsTree.build(appendixATxValidators());
    const proof = tree.getProof(2);
    assert.equal(verifyProof(tree.root, tree.leafHash(1), proof), false);
    const { leaves, proof: multi, proofFlags } = tree.getMultiProof([0, 1]);
    const leafHashes = leaves.map((v) => tree.leafHash(v));
    assert.equal(verifyMultiProof(tree.root, leafHashes, multi, proofFlags), true);
    assert.equal(verifyMultiProof(tree.root, leafHashes.slice().reverse(), multi, proofFlags), false);
    assert.equal(verifyMultiProof(tree.root, leafHashes, multi, [true, false]), false);
    assert.equal(verifyMultiProof(tree.root, leafHashes, [], proofFlags), false);
    assert.equal(verifyMultiProof(tree.root, [tree.leafHash(2), tree.leafHash(1)], multi, proofFlags), false);
    assert.equal(processMultiProof(leafHashes, [...multi, tree.root], proofFlags), undefined);
  });
});

describe("ValidatorsTree: random trees against @openzeppelin/merkle-tree", () => {
  it("sizes 1..40: root, every leaf hash and proof, random multiproofs", async () => {
    const random = prng(0x5eed);
    for (let n = 1; n <= 40; n++) {
      const values = Array.from({ length: n }, () => randomBytes(random, TX_VALIDATOR_LENGTH));
      const tree = await ValidatorsTree.build(values, hasher);
      const oz = ozTree(values);
      assert.equal(toPrefixedHex(tree.root), oz.root, `root, n=${n}`);
      for (let v = 0; v < n; v++) {
        assert.equal(
          toPrefixedHex(tree.leafHash(v)),
          oz.leafHash([toPrefixedHex(values[v] as Uint8Array), v]),
        );
        const proof = tree.getProof(v);
        assert.deepEqual(hexAll(proof), oz.getProof(v), `proof ${v}, n=${n}`);
        assert.ok(verifyProof(tree.root, tree.leafHash(v), proof));
      }
      for (let round = 0; round < 6; round++) {
        const subset = round === 0 ? Array.from({ length: n }, (_, i) => i) : randomSubset(random, n);
        const mine = tree.getMultiProof(subset);
        const theirs = oz.getMultiProof(subset);
        const context = `n=${n}, subset=[${subset.join(",")}]`;
        assert.deepEqual(
          mine.leaves,
          theirs.leaves.map((leaf) => leaf[1]),
          `leaves, ${context}`,
        );
        assert.deepEqual(hexAll(mine.proof), theirs.proof, `proof, ${context}`);
        assert.deepEqual(mine.proofFlags, theirs.proofFlags, `proofFlags, ${context}`);
        const leafHashes = mine.leaves.map((v) => tree.leafHash(v));
        assert.ok(verifyMultiProof(tree.root, leafHashes, mine.proof, mine.proofFlags), context);
        assert.ok(oz.verifyMultiProof(theirs));
      }
    }
  });
});

describe("multiProofIndexes", () => {
  it("maps each registered validator to its position in the multiproof leaves", () => {
    assert.deepEqual(multiProofIndexes([5, 2, 9], [2, 5, 9]), [1, 0, 2]);
    assert.deepEqual(multiProofIndexes([], []), []);
  });

  it("works on a real multiproof: registering in ascending deposit-data order", async () => {
    const random = prng(7);
    const values = Array.from({ length: 25 }, () => randomBytes(random, TX_VALIDATOR_LENGTH));
    const tree = await ValidatorsTree.build(values, hasher);
    const registered = [3, 4, 5, 6, 17];
    const { leaves } = tree.getMultiProof(registered);
    const indexes = multiProofIndexes(leaves, registered);
    assert.deepEqual(
      indexes.map((position) => leaves[position]),
      registered,
    );
  });

  it("rejects validators missing from the leaves, duplicates and count mismatches", () => {
    assert.throws(() => multiProofIndexes([1, 2], [1, 3]), /validator 3 is not in the multiproof/);
    assert.throws(() => multiProofIndexes([1, 2], [1, 1]), /validator 1 is registered twice/);
    assert.throws(() => multiProofIndexes([1, 2], [1]), /registering 1 validators/);
    assert.throws(() => multiProofIndexes([1, 1], [1, 1]), /duplicate/);
  });
});
