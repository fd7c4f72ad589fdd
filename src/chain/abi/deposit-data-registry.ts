import { protocolErrorsAbi } from "./errors.ts";
import { approvalParamsComponents, harvestParamsComponents } from "./structs.ts";

/**
 * The DepositDataRegistry (v3-core v2.0.0 on, as in v4.0.1): holds the deposit-data root and next
 * index of every vault whose validators manager it is, registers their validators against that
 * root, and harvests a vault for the caller (`updateVaultState`) so both fit one multicall.
 */
export const depositDataRegistryAbi = [
  {
    type: "function",
    name: "depositDataIndexes",
    stateMutability: "view",
    inputs: [{ name: "vault", type: "address" }],
    outputs: [{ name: "validatorIndex", type: "uint256" }],
  },
  {
    type: "function",
    name: "depositDataRoots",
    stateMutability: "view",
    inputs: [{ name: "vault", type: "address" }],
    outputs: [{ name: "depositDataRoot", type: "bytes32" }],
  },
  {
    type: "function",
    name: "getDepositDataManager",
    stateMutability: "view",
    inputs: [{ name: "vault", type: "address" }],
    outputs: [{ name: "", type: "address" }],
  },
  {
    type: "function",
    name: "setDepositDataManager",
    stateMutability: "nonpayable",
    inputs: [
      { name: "vault", type: "address" },
      { name: "depositDataManager", type: "address" },
    ],
    outputs: [],
  },
  {
    type: "function",
    name: "setDepositDataRoot",
    stateMutability: "nonpayable",
    inputs: [
      { name: "vault", type: "address" },
      { name: "depositDataRoot", type: "bytes32" },
    ],
    outputs: [],
  },
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
    name: "registerValidator",
    stateMutability: "nonpayable",
    inputs: [
      { name: "vault", type: "address" },
      { name: "keeperParams", type: "tuple", components: approvalParamsComponents },
      { name: "proof", type: "bytes32[]" },
    ],
    outputs: [],
  },
  {
    type: "function",
    name: "registerValidators",
    stateMutability: "nonpayable",
    inputs: [
      { name: "vault", type: "address" },
      { name: "keeperParams", type: "tuple", components: approvalParamsComponents },
      { name: "indexes", type: "uint256[]" },
      { name: "proofFlags", type: "bool[]" },
      { name: "proof", type: "bytes32[]" },
    ],
    outputs: [],
  },
  {
    type: "function",
    name: "migrate",
    stateMutability: "nonpayable",
    inputs: [
      { name: "depositDataRoot", type: "bytes32" },
      { name: "validatorIndex", type: "uint256" },
      { name: "depositDataManager", type: "address" },
    ],
    outputs: [],
  },
  {
    type: "function",
    name: "multicall",
    stateMutability: "nonpayable",
    inputs: [{ name: "data", type: "bytes[]" }],
    outputs: [{ name: "results", type: "bytes[]" }],
  },
  {
    type: "event",
    name: "DepositDataManagerUpdated",
    inputs: [
      { name: "vault", type: "address", indexed: true },
      { name: "depositDataManager", type: "address", indexed: false },
    ],
  },
  {
    type: "event",
    name: "DepositDataRootUpdated",
    inputs: [
      { name: "vault", type: "address", indexed: true },
      { name: "depositDataRoot", type: "bytes32", indexed: false },
    ],
  },
  {
    type: "event",
    name: "DepositDataMigrated",
    inputs: [
      { name: "vault", type: "address", indexed: true },
      { name: "depositDataRoot", type: "bytes32", indexed: false },
      { name: "validatorIndex", type: "uint256", indexed: false },
      { name: "depositDataManager", type: "address", indexed: false },
    ],
  },
  ...protocolErrorsAbi,
] as const;
