import { protocolErrorsAbi } from "./errors.ts";

/**
 * A first-generation Ethereum vault (EthVault, version 1): the views and calls the operator uses
 * for deposit-data roots, validator registration (single proof / multiproof), harvests and
 * multicall. Signatures as in v3-core v1's IEthVault ABI.
 */
export const vaultAbi = [
  {
    type: "function",
    name: "version",
    stateMutability: "pure",
    inputs: [],
    outputs: [{ name: "", type: "uint8" }],
  },
  {
    type: "function",
    name: "vaultId",
    stateMutability: "pure",
    inputs: [],
    outputs: [{ name: "", type: "bytes32" }],
  },
  {
    type: "function",
    name: "admin",
    stateMutability: "view",
    inputs: [],
    outputs: [{ name: "", type: "address" }],
  },
  {
    type: "function",
    name: "keysManager",
    stateMutability: "view",
    inputs: [],
    outputs: [{ name: "", type: "address" }],
  },
  {
    type: "function",
    name: "validatorsRoot",
    stateMutability: "view",
    inputs: [],
    outputs: [{ name: "", type: "bytes32" }],
  },
  {
    type: "function",
    name: "validatorIndex",
    stateMutability: "view",
    inputs: [],
    outputs: [{ name: "", type: "uint256" }],
  },
  {
    type: "function",
    name: "mevEscrow",
    stateMutability: "view",
    inputs: [],
    outputs: [{ name: "", type: "address" }],
  },
  {
    type: "function",
    name: "totalAssets",
    stateMutability: "view",
    inputs: [],
    outputs: [{ name: "", type: "uint256" }],
  },
  {
    type: "function",
    name: "totalShares",
    stateMutability: "view",
    inputs: [],
    outputs: [{ name: "", type: "uint256" }],
  },
  {
    type: "function",
    name: "getShares",
    stateMutability: "view",
    inputs: [{ name: "account", type: "address" }],
    outputs: [{ name: "", type: "uint256" }],
  },
  {
    type: "function",
    name: "convertToShares",
    stateMutability: "view",
    inputs: [{ name: "assets", type: "uint256" }],
    outputs: [{ name: "shares", type: "uint256" }],
  },
  {
    type: "function",
    name: "convertToAssets",
    stateMutability: "view",
    inputs: [{ name: "shares", type: "uint256" }],
    outputs: [{ name: "assets", type: "uint256" }],
  },
  {
    type: "function",
    name: "capacity",
    stateMutability: "view",
    inputs: [],
    outputs: [{ name: "", type: "uint256" }],
  },
  {
    type: "function",
    name: "queuedShares",
    stateMutability: "view",
    inputs: [],
    outputs: [{ name: "", type: "uint128" }],
  },
  {
    type: "function",
    name: "withdrawableAssets",
    stateMutability: "view",
    inputs: [],
    outputs: [{ name: "", type: "uint256" }],
  },
  {
    type: "function",
    name: "isStateUpdateRequired",
    stateMutability: "view",
    inputs: [],
    outputs: [{ name: "", type: "bool" }],
  },
  {
    type: "function",
    name: "deposit",
    stateMutability: "payable",
    inputs: [
      { name: "receiver", type: "address" },
      { name: "referrer", type: "address" },
    ],
    outputs: [{ name: "shares", type: "uint256" }],
  },
  {
    type: "function",
    name: "updateStateAndDeposit",
    stateMutability: "payable",
    inputs: [
      { name: "receiver", type: "address" },
      { name: "referrer", type: "address" },
      {
        name: "harvestParams",
        type: "tuple",
        components: [
          { name: "rewardsRoot", type: "bytes32" },
          { name: "reward", type: "int160" },
          { name: "unlockedMevReward", type: "uint160" },
          { name: "proof", type: "bytes32[]" },
        ],
      },
    ],
    outputs: [{ name: "shares", type: "uint256" }],
  },
  {
    type: "function",
    name: "updateState",
    stateMutability: "nonpayable",
    inputs: [
      {
        name: "harvestParams",
        type: "tuple",
        components: [
          { name: "rewardsRoot", type: "bytes32" },
          { name: "reward", type: "int160" },
          { name: "unlockedMevReward", type: "uint160" },
          { name: "proof", type: "bytes32[]" },
        ],
      },
    ],
    outputs: [],
  },
  {
    type: "function",
    name: "registerValidator",
    stateMutability: "nonpayable",
    inputs: [
      {
        name: "keeperParams",
        type: "tuple",
        components: [
          { name: "validatorsRegistryRoot", type: "bytes32" },
          { name: "deadline", type: "uint256" },
          { name: "validators", type: "bytes" },
          { name: "signatures", type: "bytes" },
          { name: "exitSignaturesIpfsHash", type: "string" },
        ],
      },
      { name: "proof", type: "bytes32[]" },
    ],
    outputs: [],
  },
  {
    type: "function",
    name: "registerValidators",
    stateMutability: "nonpayable",
    inputs: [
      {
        name: "keeperParams",
        type: "tuple",
        components: [
          { name: "validatorsRegistryRoot", type: "bytes32" },
          { name: "deadline", type: "uint256" },
          { name: "validators", type: "bytes" },
          { name: "signatures", type: "bytes" },
          { name: "exitSignaturesIpfsHash", type: "string" },
        ],
      },
      { name: "indexes", type: "uint256[]" },
      { name: "proofFlags", type: "bool[]" },
      { name: "proof", type: "bytes32[]" },
    ],
    outputs: [],
  },
  {
    type: "function",
    name: "setValidatorsRoot",
    stateMutability: "nonpayable",
    inputs: [{ name: "_validatorsRoot", type: "bytes32" }],
    outputs: [],
  },
  {
    type: "function",
    name: "setKeysManager",
    stateMutability: "nonpayable",
    inputs: [{ name: "_keysManager", type: "address" }],
    outputs: [],
  },
  {
    type: "function",
    name: "setMetadata",
    stateMutability: "nonpayable",
    inputs: [{ name: "metadataIpfsHash", type: "string" }],
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
    name: "ValidatorRegistered",
    inputs: [{ name: "publicKey", type: "bytes", indexed: false }],
  },
  {
    type: "event",
    name: "ValidatorsRootUpdated",
    inputs: [
      { name: "caller", type: "address", indexed: true },
      { name: "validatorsRoot", type: "bytes32", indexed: true },
    ],
  },
  {
    type: "event",
    name: "KeysManagerUpdated",
    inputs: [
      { name: "caller", type: "address", indexed: true },
      { name: "keysManager", type: "address", indexed: true },
    ],
  },
  {
    type: "event",
    name: "Deposited",
    inputs: [
      { name: "caller", type: "address", indexed: true },
      { name: "receiver", type: "address", indexed: true },
      { name: "assets", type: "uint256", indexed: false },
      { name: "shares", type: "uint256", indexed: false },
      { name: "referrer", type: "address", indexed: false },
    ],
  },
  {
    type: "event",
    name: "MetadataUpdated",
    inputs: [
      { name: "caller", type: "address", indexed: true },
      { name: "metadataIpfsHash", type: "string", indexed: false },
    ],
  },
  ...protocolErrorsAbi,
] as const;
