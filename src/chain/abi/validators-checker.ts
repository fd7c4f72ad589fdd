import { protocolErrorsAbi } from "./errors.ts";
import { harvestParamsComponents } from "./structs.ts";

/**
 * The ValidatorsChecker (v3-core v4): the exit-queue views a withdrawal planner reads (how many
 * assets the queue still misses up to a ticket, after an optional harvest in the same multicall),
 * and dry-run checks of a validators-manager signature.
 */
export const validatorsCheckerAbi = [
  {
    type: "function",
    name: "updateVaultState",
    stateMutability: "nonpayable",
    inputs: [
      { name: "vault", type: "address" },
      { name: "harvestParams", type: "tuple", components: harvestParamsComponents },
    ],
    outputs: [],
  },
  {
    type: "function",
    name: "getExitQueueCumulativeTickets",
    stateMutability: "view",
    inputs: [{ name: "vault", type: "address" }],
    outputs: [{ name: "", type: "uint256" }],
  },
  {
    type: "function",
    name: "getExitQueueMissingAssets",
    stateMutability: "view",
    inputs: [
      { name: "vault", type: "address" },
      { name: "withdrawingAssets", type: "uint256" },
      { name: "targetCumulativeTickets", type: "uint256" },
    ],
    outputs: [{ name: "missingAssets", type: "uint256" }],
  },
  {
    type: "function",
    name: "checkValidatorsManagerSignature",
    stateMutability: "view",
    inputs: [
      { name: "vault", type: "address" },
      { name: "validatorsRegistryRoot", type: "bytes32" },
      { name: "validators", type: "bytes" },
      { name: "signature", type: "bytes" },
    ],
    outputs: [
      { name: "blockNumber", type: "uint256" },
      { name: "status", type: "uint8" },
    ],
  },
  {
    type: "function",
    name: "multicall",
    stateMutability: "nonpayable",
    inputs: [{ name: "data", type: "bytes[]" }],
    outputs: [{ name: "results", type: "bytes[]" }],
  },
  ...protocolErrorsAbi,
] as const;
