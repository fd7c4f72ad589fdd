import { ssvEthEraErrorsAbi, ssvTokenEraErrorsAbi } from "./ssv-errors.ts";

/**
 * SSVNetwork, the contract an SSV cluster owner writes to, in its two fee eras. Only what the
 * operator calls or decodes: validators, cluster balances, the operator registry (the devnet
 * registers its SSV operators through it), the cluster and operator events, and the errors.
 *
 * - SSV-token era: ssvlabs/ssv-network v1.2.0 contracts/interfaces/ISSV{Clusters,Operators,Network}.sol.
 *   Balances are SSV tokens: the owner approves SSVNetwork on the token (viem's `erc20Abi`) and
 *   passes an `amount` to registerValidator/bulkRegisterValidator/deposit/reactivate.
 * - ETH-fee era: ssvlabs/ssv-sdk src/abi/mainnet/v4/setter.json. The same calls without `amount`,
 *   payable (the balance is `msg.value`), plus migrateClusterToETH and the ClusterBalanceUpdated /
 *   ClusterMigratedToETH events.
 *
 * Which era a deployment is in is read from SSVNetworkViews (see ssv-network-views.ts).
 */

/** The fee era of an SSVNetwork deployment: balances and fees in SSV tokens, or in ETH. */
export type SsvFeeEra = "ssv-token" | "eth";

/**
 * ISSVNetworkCore.Cluster, in declaration order (the order is the encoding): the snapshot a caller
 * passes back on every cluster call; the contract keeps only its hash.
 */
export const ssvClusterStruct = [
  { name: "validatorCount", type: "uint32" },
  { name: "networkFeeIndex", type: "uint64" },
  { name: "index", type: "uint64" },
  { name: "active", type: "bool" },
  { name: "balance", type: "uint256" },
] as const;

const clusterParameter = { name: "cluster", type: "tuple", components: ssvClusterStruct } as const;

/** Functions with the same signature in both eras (parameter names as in the ETH-fee era's ABI). */
const sharedFunctions = [
  {
    type: "function",
    name: "removeValidator",
    stateMutability: "nonpayable",
    inputs: [
      { name: "publicKey", type: "bytes" },
      { name: "operatorIds", type: "uint64[]" },
      clusterParameter,
    ],
    outputs: [],
  },
  {
    type: "function",
    name: "bulkRemoveValidator",
    stateMutability: "nonpayable",
    inputs: [
      { name: "publicKeys", type: "bytes[]" },
      { name: "operatorIds", type: "uint64[]" },
      clusterParameter,
    ],
    outputs: [],
  },
  {
    type: "function",
    name: "exitValidator",
    stateMutability: "nonpayable",
    inputs: [
      { name: "publicKey", type: "bytes" },
      { name: "operatorIds", type: "uint64[]" },
    ],
    outputs: [],
  },
  {
    type: "function",
    name: "bulkExitValidator",
    stateMutability: "nonpayable",
    inputs: [
      { name: "publicKeys", type: "bytes[]" },
      { name: "operatorIds", type: "uint64[]" },
    ],
    outputs: [],
  },
  {
    type: "function",
    name: "withdraw",
    stateMutability: "nonpayable",
    inputs: [
      { name: "operatorIds", type: "uint64[]" },
      { name: "amount", type: "uint256" },
      clusterParameter,
    ],
    outputs: [],
  },
  {
    type: "function",
    name: "liquidate",
    stateMutability: "nonpayable",
    inputs: [
      { name: "clusterOwner", type: "address" },
      { name: "operatorIds", type: "uint64[]" },
      clusterParameter,
    ],
    outputs: [],
  },
  {
    type: "function",
    name: "setFeeRecipientAddress",
    stateMutability: "nonpayable",
    inputs: [{ name: "recipientAddress", type: "address" }],
    outputs: [],
  },
  {
    type: "function",
    name: "registerOperator",
    stateMutability: "nonpayable",
    inputs: [
      { name: "publicKey", type: "bytes" },
      { name: "fee", type: "uint256" },
      { name: "setPrivate", type: "bool" },
    ],
    outputs: [{ name: "id", type: "uint64" }],
  },
  {
    type: "function",
    name: "removeOperator",
    stateMutability: "nonpayable",
    inputs: [{ name: "operatorId", type: "uint64" }],
    outputs: [],
  },
  {
    type: "function",
    name: "declareOperatorFee",
    stateMutability: "nonpayable",
    inputs: [
      { name: "operatorId", type: "uint64" },
      { name: "fee", type: "uint256" },
    ],
    outputs: [],
  },
  {
    type: "function",
    name: "executeOperatorFee",
    stateMutability: "nonpayable",
    inputs: [{ name: "operatorId", type: "uint64" }],
    outputs: [],
  },
  {
    type: "function",
    name: "reduceOperatorFee",
    stateMutability: "nonpayable",
    inputs: [
      { name: "operatorId", type: "uint64" },
      { name: "fee", type: "uint256" },
    ],
    outputs: [],
  },
  {
    type: "function",
    name: "getVersion",
    stateMutability: "pure",
    inputs: [],
    outputs: [{ name: "version", type: "string" }],
  },
] as const;

/** Events with the same signature in both eras. */
const sharedEvents = [
  {
    type: "event",
    name: "ValidatorAdded",
    inputs: [
      { name: "owner", type: "address", indexed: true },
      { name: "operatorIds", type: "uint64[]" },
      { name: "publicKey", type: "bytes" },
      { name: "shares", type: "bytes" },
      clusterParameter,
    ],
  },
  {
    type: "event",
    name: "ValidatorRemoved",
    inputs: [
      { name: "owner", type: "address", indexed: true },
      { name: "operatorIds", type: "uint64[]" },
      { name: "publicKey", type: "bytes" },
      clusterParameter,
    ],
  },
  {
    type: "event",
    name: "ValidatorExited",
    inputs: [
      { name: "owner", type: "address", indexed: true },
      { name: "operatorIds", type: "uint64[]" },
      { name: "publicKey", type: "bytes" },
    ],
  },
  {
    type: "event",
    name: "ClusterDeposited",
    inputs: [
      { name: "owner", type: "address", indexed: true },
      { name: "operatorIds", type: "uint64[]" },
      { name: "value", type: "uint256" },
      clusterParameter,
    ],
  },
  {
    type: "event",
    name: "ClusterWithdrawn",
    inputs: [
      { name: "owner", type: "address", indexed: true },
      { name: "operatorIds", type: "uint64[]" },
      { name: "value", type: "uint256" },
      clusterParameter,
    ],
  },
  {
    type: "event",
    name: "ClusterLiquidated",
    inputs: [
      { name: "owner", type: "address", indexed: true },
      { name: "operatorIds", type: "uint64[]" },
      clusterParameter,
    ],
  },
  {
    type: "event",
    name: "ClusterReactivated",
    inputs: [
      { name: "owner", type: "address", indexed: true },
      { name: "operatorIds", type: "uint64[]" },
      clusterParameter,
    ],
  },
  {
    type: "event",
    name: "OperatorAdded",
    inputs: [
      { name: "operatorId", type: "uint64", indexed: true },
      { name: "owner", type: "address", indexed: true },
      { name: "publicKey", type: "bytes" },
      { name: "fee", type: "uint256" },
    ],
  },
  { type: "event", name: "OperatorRemoved", inputs: [{ name: "operatorId", type: "uint64", indexed: true }] },
  {
    type: "event",
    name: "OperatorFeeDeclared",
    inputs: [
      { name: "owner", type: "address", indexed: true },
      { name: "operatorId", type: "uint64", indexed: true },
      { name: "blockNumber", type: "uint256" },
      { name: "fee", type: "uint256" },
    ],
  },
  {
    type: "event",
    name: "OperatorFeeExecuted",
    inputs: [
      { name: "owner", type: "address", indexed: true },
      { name: "operatorId", type: "uint64", indexed: true },
      { name: "blockNumber", type: "uint256" },
      { name: "fee", type: "uint256" },
    ],
  },
  {
    type: "event",
    name: "FeeRecipientAddressUpdated",
    inputs: [
      { name: "owner", type: "address", indexed: true },
      { name: "recipientAddress", type: "address" },
    ],
  },
] as const;

/** SSVNetwork of the SSV-token era (v1.2.0). */
export const ssvNetworkTokenEraAbi = [
  {
    type: "function",
    name: "registerValidator",
    stateMutability: "nonpayable",
    inputs: [
      { name: "publicKey", type: "bytes" },
      { name: "operatorIds", type: "uint64[]" },
      { name: "sharesData", type: "bytes" },
      { name: "amount", type: "uint256" },
      clusterParameter,
    ],
    outputs: [],
  },
  {
    type: "function",
    name: "bulkRegisterValidator",
    stateMutability: "nonpayable",
    inputs: [
      { name: "publicKeys", type: "bytes[]" },
      { name: "operatorIds", type: "uint64[]" },
      { name: "sharesData", type: "bytes[]" },
      { name: "amount", type: "uint256" },
      clusterParameter,
    ],
    outputs: [],
  },
  {
    type: "function",
    name: "deposit",
    stateMutability: "nonpayable",
    inputs: [
      { name: "owner", type: "address" },
      { name: "operatorIds", type: "uint64[]" },
      { name: "amount", type: "uint256" },
      clusterParameter,
    ],
    outputs: [],
  },
  {
    type: "function",
    name: "reactivate",
    stateMutability: "nonpayable",
    inputs: [
      { name: "operatorIds", type: "uint64[]" },
      { name: "amount", type: "uint256" },
      clusterParameter,
    ],
    outputs: [],
  },
  ...sharedFunctions,
  ...sharedEvents,
  ...ssvTokenEraErrorsAbi,
] as const;

/** SSVNetwork of the ETH-fee era (v4 mainnet). */
export const ssvNetworkEthEraAbi = [
  {
    type: "function",
    name: "registerValidator",
    stateMutability: "payable",
    inputs: [
      { name: "publicKey", type: "bytes" },
      { name: "operatorIds", type: "uint64[]" },
      { name: "sharesData", type: "bytes" },
      clusterParameter,
    ],
    outputs: [],
  },
  {
    type: "function",
    name: "bulkRegisterValidator",
    stateMutability: "payable",
    inputs: [
      { name: "publicKeys", type: "bytes[]" },
      { name: "operatorIds", type: "uint64[]" },
      { name: "sharesData", type: "bytes[]" },
      clusterParameter,
    ],
    outputs: [],
  },
  {
    type: "function",
    name: "deposit",
    stateMutability: "payable",
    inputs: [
      { name: "clusterOwner", type: "address" },
      { name: "operatorIds", type: "uint64[]" },
      clusterParameter,
    ],
    outputs: [],
  },
  {
    type: "function",
    name: "reactivate",
    stateMutability: "payable",
    inputs: [{ name: "operatorIds", type: "uint64[]" }, clusterParameter],
    outputs: [],
  },
  {
    type: "function",
    name: "migrateClusterToETH",
    stateMutability: "payable",
    inputs: [{ name: "operatorIds", type: "uint64[]" }, clusterParameter],
    outputs: [],
  },
  ...sharedFunctions,
  ...sharedEvents,
  {
    type: "event",
    name: "ClusterBalanceUpdated",
    inputs: [
      { name: "owner", type: "address", indexed: true },
      { name: "operatorIds", type: "uint64[]" },
      { name: "blockNum", type: "uint64", indexed: true },
      { name: "effectiveBalance", type: "uint32" },
      clusterParameter,
    ],
  },
  {
    type: "event",
    name: "ClusterMigratedToETH",
    inputs: [
      { name: "owner", type: "address", indexed: true },
      { name: "operatorIds", type: "uint64[]" },
      { name: "ethDeposited", type: "uint256" },
      { name: "ssvRefunded", type: "uint256" },
      { name: "effectiveBalance", type: "uint32" },
      clusterParameter,
    ],
  },
  ...ssvEthEraErrorsAbi,
] as const;
