import { protocolErrorsAbi } from "./errors.ts";

/**
 * The ConsolidationsChecker (v3-core v4): verifies the oracles' EIP-712 approval of a
 * consolidation batch (domain "ConsolidationsChecker", version "1", the checker's own address).
 * The vault calls verifySignatures; the operator can call isValidSignatures first to fail early.
 * Both are `view` in the contract (the interface leaves the mutability out).
 */
export const consolidationsCheckerAbi = [
  {
    type: "function",
    name: "verifySignatures",
    stateMutability: "view",
    inputs: [
      { name: "vault", type: "address" },
      { name: "validators", type: "bytes" },
      { name: "signatures", type: "bytes" },
    ],
    outputs: [],
  },
  {
    type: "function",
    name: "isValidSignatures",
    stateMutability: "view",
    inputs: [
      { name: "vault", type: "address" },
      { name: "validators", type: "bytes" },
      { name: "signatures", type: "bytes" },
    ],
    outputs: [{ name: "", type: "bool" }],
  },
  {
    type: "function",
    name: "eip712Domain",
    stateMutability: "view",
    inputs: [],
    outputs: [
      { name: "fields", type: "bytes1" },
      { name: "name", type: "string" },
      { name: "version", type: "string" },
      { name: "chainId", type: "uint256" },
      { name: "verifyingContract", type: "address" },
      { name: "salt", type: "bytes32" },
      { name: "extensions", type: "uint256[]" },
    ],
  },
  ...protocolErrorsAbi,
] as const;
