/**
 * Builds the validators Merkle tree over 100,000 random tx_validators: the hashing part of
 * `get-validators-root`, which must finish (with JSON parsing and SSZ) within 5 s.
 *
 * Run alone: node bench/validators-tree.bench.ts
 */
import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import { createKeccakHasher, TX_VALIDATOR_LENGTH, ValidatorsTree } from "../src/keys/validators-tree.ts";

const LEAVES = 100_000;
/** What this step alone may take; the whole command's limit is 5 s. */
const BUDGET_SECONDS = 2;

export async function run(): Promise<void> {
  const pool = randomBytes(LEAVES * TX_VALIDATOR_LENGTH);
  const txValidators = Array.from({ length: LEAVES }, (_, i) =>
    pool.subarray(i * TX_VALIDATOR_LENGTH, (i + 1) * TX_VALIDATOR_LENGTH),
  );
  const hasher = await createKeccakHasher();
  // Warm up the JIT and the wasm instance on a small tree first.
  await ValidatorsTree.build(txValidators.slice(0, 1000), hasher);

  const start = performance.now();
  const tree = await ValidatorsTree.build(txValidators, hasher);
  const seconds = (performance.now() - start) / 1000;

  const proofStart = performance.now();
  const multiProof = tree.getMultiProof(Array.from({ length: 100 }, (_, i) => i * 997));
  const proofMs = performance.now() - proofStart;

  console.log(
    `validators tree: ${LEAVES} leaves in ${seconds.toFixed(2)} s (limit 5 s for the whole get-validators-root)`,
  );
  console.log(
    `validators tree: multiproof of 100 leaves in ${proofMs.toFixed(1)} ms (${multiProof.proof.length} proof hashes)`,
  );
  if (seconds > BUDGET_SECONDS) {
    console.warn(`validators tree: slower than the ${BUDGET_SECONDS} s budget for this step`);
  }
}

if (import.meta.main) await run();
