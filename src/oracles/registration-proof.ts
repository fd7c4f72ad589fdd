import { multiProofIndexes, type ValidatorsTree } from "../keys/validators-tree.ts";
import { toPrefixedHex } from "../lib/hex.ts";

/**
 * The Merkle proof that the next `count` deposit data entries (from the vault's validatorIndex
 * on) belong to the vault's validators root, in the forms the oracles and the vault take it
 * (spec §3.3): a multiproof for the approval request and registerValidators, the single proof
 * for registerValidator.
 */
export interface RegistrationProof {
  /** Multiproof hashes. */
  proof: `0x${string}`[];
  proofFlags: boolean[];
  /** Deposit data indexes in the order of the multiproof's leaves (`proof_indexes`). */
  proofIndexes: number[];
  /** registerValidators' `indexes`: where each validator, in registration order, sits among the leaves. */
  indexes: number[];
  /** registerValidator's proof, when count is 1. */
  singleProof: `0x${string}`[] | undefined;
}

export function registrationProof(
  tree: ValidatorsTree,
  startIndex: number,
  count: number,
): RegistrationProof {
  const order = Array.from({ length: count }, (_, k) => startIndex + k);
  const multi = tree.getMultiProof(order);
  return {
    proof: multi.proof.map(toPrefixedHex),
    proofFlags: multi.proofFlags,
    proofIndexes: multi.leaves,
    indexes: multiProofIndexes(multi.leaves, order),
    singleProof: count === 1 ? tree.getProof(startIndex).map(toPrefixedHex) : undefined,
  };
}
