import { ssvEthEraErrorsAbi, ssvTokenEraErrorsAbi } from "./ssv-errors.ts";
import { ssvClusterStruct } from "./ssv-network.ts";

/**
 * SSVNetworkViews, the read side of SSVNetwork: validators, operators, protocol parameters and a
 * cluster's live balance, burn rate and liquidation state (computed from the snapshot the caller
 * passes, which must be the latest one, else IncorrectClusterState).
 *
 * - SSV-token era: ssvlabs/ssv-network v1.2.0 contracts/interfaces/ISSVViews.sol.
 * - ETH-fee era: ssvlabs/ssv-sdk src/abi/mainnet/v4/getter.json. getOperatorById returns one
 *   struct there (same encoding, decoded as an object); the `…SSV` views answer for clusters
 *   still paying in SSV, and getClusterAssetType / getEffectiveBalance are new.
 *
 * Era detection: call `getMinimumLiquidationCollateralSSV()` (ETH-fee era only). It answers on an
 * ETH-fee-era deployment; on an SSV-token-era one the call reverts or returns no data (the
 * contract has no such function), which means the SSV-token era.
 */

const clusterInputs = [
  { name: "clusterOwner", type: "address" },
  { name: "operatorIds", type: "uint64[]" },
  { name: "cluster", type: "tuple", components: ssvClusterStruct },
] as const;

/** Cluster views with the same signature in both eras (the caller's snapshot in, one value out). */
const sharedClusterViews = [
  {
    type: "function",
    name: "getBalance",
    stateMutability: "view",
    inputs: clusterInputs,
    outputs: [{ name: "balance", type: "uint256" }],
  },
  {
    type: "function",
    name: "getBurnRate",
    stateMutability: "view",
    inputs: clusterInputs,
    outputs: [{ name: "", type: "uint256" }],
  },
  {
    type: "function",
    name: "isLiquidatable",
    stateMutability: "view",
    inputs: clusterInputs,
    outputs: [{ name: "", type: "bool" }],
  },
  {
    type: "function",
    name: "isLiquidated",
    stateMutability: "view",
    inputs: clusterInputs,
    outputs: [{ name: "", type: "bool" }],
  },
] as const;

/** SSVNetworkViews of the SSV-token era (v1.2.0). */
export const ssvNetworkViewsAbi = [
  {
    type: "function",
    name: "getValidator",
    stateMutability: "view",
    inputs: [
      { name: "owner", type: "address" },
      { name: "publicKey", type: "bytes" },
    ],
    outputs: [{ name: "", type: "bool" }],
  },
  {
    type: "function",
    name: "getOperatorById",
    stateMutability: "view",
    inputs: [{ name: "operatorId", type: "uint64" }],
    outputs: [
      { name: "owner", type: "address" },
      { name: "fee", type: "uint256" },
      { name: "validatorCount", type: "uint32" },
      { name: "whitelistedAddress", type: "address" },
      { name: "isPrivate", type: "bool" },
      { name: "active", type: "bool" },
    ],
  },
  {
    type: "function",
    name: "getOperatorFee",
    stateMutability: "view",
    inputs: [{ name: "operatorId", type: "uint64" }],
    outputs: [{ name: "fee", type: "uint256" }],
  },
  {
    type: "function",
    name: "getNetworkFee",
    stateMutability: "view",
    inputs: [],
    outputs: [{ name: "networkFee", type: "uint256" }],
  },
  {
    type: "function",
    name: "getLiquidationThresholdPeriod",
    stateMutability: "view",
    inputs: [],
    outputs: [{ name: "blocks", type: "uint64" }],
  },
  {
    type: "function",
    name: "getMinimumLiquidationCollateral",
    stateMutability: "view",
    inputs: [],
    outputs: [{ name: "amount", type: "uint256" }],
  },
  {
    type: "function",
    name: "getValidatorsPerOperatorLimit",
    stateMutability: "view",
    inputs: [],
    outputs: [{ name: "validators", type: "uint32" }],
  },
  ...sharedClusterViews,
  {
    type: "function",
    name: "getVersion",
    stateMutability: "view",
    inputs: [],
    outputs: [{ name: "", type: "string" }],
  },
  ...ssvTokenEraErrorsAbi,
] as const;

/** SSVNetworkViews of the ETH-fee era (v4 mainnet). */
export const ssvNetworkViewsEthEraAbi = [
  {
    type: "function",
    name: "getValidator",
    stateMutability: "view",
    inputs: [
      { name: "clusterOwner", type: "address" },
      { name: "publicKey", type: "bytes" },
    ],
    outputs: [{ name: "", type: "bool" }],
  },
  {
    type: "function",
    name: "getOperatorById",
    stateMutability: "view",
    inputs: [{ name: "operatorId", type: "uint64" }],
    outputs: [
      {
        name: "",
        type: "tuple",
        components: [
          { name: "owner", type: "address" },
          { name: "fee", type: "uint256" },
          { name: "validatorCount", type: "uint32" },
          { name: "whitelistedAddress", type: "address" },
          { name: "isPrivate", type: "bool" },
          { name: "isActive", type: "bool" },
        ],
      },
    ],
  },
  {
    type: "function",
    name: "getOperatorFee",
    stateMutability: "view",
    inputs: [{ name: "operatorId", type: "uint64" }],
    outputs: [{ name: "", type: "uint256" }],
  },
  {
    type: "function",
    name: "getNetworkFee",
    stateMutability: "view",
    inputs: [],
    outputs: [{ name: "", type: "uint256" }],
  },
  {
    type: "function",
    name: "getLiquidationThresholdPeriod",
    stateMutability: "view",
    inputs: [],
    outputs: [{ name: "", type: "uint64" }],
  },
  {
    type: "function",
    name: "getMinimumLiquidationCollateral",
    stateMutability: "view",
    inputs: [],
    outputs: [{ name: "", type: "uint256" }],
  },
  {
    type: "function",
    name: "getValidatorsPerOperatorLimit",
    stateMutability: "view",
    inputs: [],
    outputs: [{ name: "", type: "uint32" }],
  },
  ...sharedClusterViews,
  {
    type: "function",
    name: "getVersion",
    stateMutability: "view",
    inputs: [],
    outputs: [{ name: "", type: "string" }],
  },
  {
    type: "function",
    name: "getClusterAssetType",
    stateMutability: "view",
    inputs: [
      { name: "owner", type: "address" },
      { name: "operatorIds", type: "uint64[]" },
    ],
    outputs: [{ name: "", type: "uint8" }],
  },
  {
    type: "function",
    name: "getEffectiveBalance",
    stateMutability: "view",
    inputs: clusterInputs,
    outputs: [{ name: "effectiveBalance", type: "uint32" }],
  },
  {
    type: "function",
    name: "getBalanceSSV",
    stateMutability: "view",
    inputs: clusterInputs,
    outputs: [{ name: "balance", type: "uint256" }],
  },
  {
    type: "function",
    name: "getBurnRateSSV",
    stateMutability: "view",
    inputs: clusterInputs,
    outputs: [{ name: "", type: "uint256" }],
  },
  {
    type: "function",
    name: "isLiquidatableSSV",
    stateMutability: "view",
    inputs: clusterInputs,
    outputs: [{ name: "", type: "bool" }],
  },
  {
    type: "function",
    name: "getNetworkFeeSSV",
    stateMutability: "view",
    inputs: [],
    outputs: [{ name: "", type: "uint256" }],
  },
  {
    type: "function",
    name: "getOperatorFeeSSV",
    stateMutability: "view",
    inputs: [{ name: "operatorId", type: "uint64" }],
    outputs: [{ name: "", type: "uint256" }],
  },
  {
    type: "function",
    name: "getLiquidationThresholdPeriodSSV",
    stateMutability: "view",
    inputs: [],
    outputs: [{ name: "", type: "uint64" }],
  },
  {
    type: "function",
    name: "getMinimumLiquidationCollateralSSV",
    stateMutability: "view",
    inputs: [],
    outputs: [{ name: "", type: "uint256" }],
  },
  ...ssvEthEraErrorsAbi,
] as const;
