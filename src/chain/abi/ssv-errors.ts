/**
 * The custom errors of SSVNetwork and SSVNetworkViews (every module of the diamond reverts with
 * them, so both contracts decode the same list). Token era: ssvlabs/ssv-network v1.2.0
 * contracts/interfaces/ISSVNetworkCore.sol. ETH-fee era: ssvlabs/ssv-sdk
 * src/abi/mainnet/v4/{setter,getter}.json (the two files declare the same errors).
 */

/** Errors both eras declare, with the same signature. */
const ssvSharedErrorsAbi = [
  {
    type: "error",
    name: "CallerNotOwnerWithData",
    inputs: [
      { name: "caller", type: "address" },
      { name: "owner", type: "address" },
    ],
  },
  { type: "error", name: "CallerNotWhitelistedWithData", inputs: [{ name: "operatorId", type: "uint64" }] },
  { type: "error", name: "FeeTooLow", inputs: [] },
  { type: "error", name: "FeeExceedsIncreaseLimit", inputs: [] },
  { type: "error", name: "NoFeeDeclared", inputs: [] },
  { type: "error", name: "ApprovalNotWithinTimeframe", inputs: [] },
  { type: "error", name: "OperatorDoesNotExist", inputs: [] },
  { type: "error", name: "InsufficientBalance", inputs: [] },
  { type: "error", name: "ValidatorDoesNotExist", inputs: [] },
  { type: "error", name: "ClusterNotLiquidatable", inputs: [] },
  { type: "error", name: "InvalidPublicKeyLength", inputs: [] },
  { type: "error", name: "InvalidOperatorIdsLength", inputs: [] },
  { type: "error", name: "ClusterAlreadyEnabled", inputs: [] },
  { type: "error", name: "ClusterIsLiquidated", inputs: [] },
  { type: "error", name: "IncorrectClusterState", inputs: [] },
  { type: "error", name: "UnsortedOperatorsList", inputs: [] },
  { type: "error", name: "NewBlockPeriodIsBelowMinimum", inputs: [] },
  { type: "error", name: "ExceedValidatorLimitWithData", inputs: [{ name: "operatorId", type: "uint64" }] },
  { type: "error", name: "TokenTransferFailed", inputs: [] },
  { type: "error", name: "SameFeeChangeNotAllowed", inputs: [] },
  { type: "error", name: "FeeIncreaseNotAllowed", inputs: [] },
  { type: "error", name: "OperatorsListNotUnique", inputs: [] },
  { type: "error", name: "OperatorAlreadyExists", inputs: [] },
  { type: "error", name: "TargetModuleDoesNotExistWithData", inputs: [{ name: "moduleId", type: "uint8" }] },
  { type: "error", name: "MaxValueExceeded", inputs: [] },
  { type: "error", name: "FeeTooHigh", inputs: [] },
  { type: "error", name: "PublicKeysSharesLengthMismatch", inputs: [] },
  { type: "error", name: "IncorrectValidatorStateWithData", inputs: [{ name: "publicKey", type: "bytes" }] },
  { type: "error", name: "ValidatorAlreadyExistsWithData", inputs: [{ name: "publicKey", type: "bytes" }] },
  { type: "error", name: "EmptyPublicKeysList", inputs: [] },
  {
    type: "error",
    name: "AddressIsWhitelistingContract",
    inputs: [{ name: "contractAddress", type: "address" }],
  },
  {
    type: "error",
    name: "InvalidWhitelistingContract",
    inputs: [{ name: "contractAddress", type: "address" }],
  },
  { type: "error", name: "InvalidWhitelistAddressesLength", inputs: [] },
  { type: "error", name: "ZeroAddressNotAllowed", inputs: [] },
  { type: "error", name: "ValidatorAlreadyExists", inputs: [] },
  { type: "error", name: "IncorrectValidatorState", inputs: [] },
  { type: "error", name: "ExceedValidatorLimit", inputs: [{ name: "operatorId", type: "uint64" }] },
  { type: "error", name: "CallerNotOwner", inputs: [] },
  { type: "error", name: "TargetModuleDoesNotExist", inputs: [] },
  { type: "error", name: "CallerNotWhitelisted", inputs: [] },
] as const;

/** SSV-token era (v1.2.0): the shared errors plus three the ETH-fee era renamed or dropped. */
export const ssvTokenEraErrorsAbi = [
  ...ssvSharedErrorsAbi,
  { type: "error", name: "ClusterDoesNotExists", inputs: [] },
  { type: "error", name: "NotAuthorized", inputs: [] },
  { type: "error", name: "InvalidContractAddress", inputs: [] },
] as const;

/** ETH-fee era (v4 mainnet ABI): the shared errors plus the ones of ETH fees, migration, balance proofs and staking. */
export const ssvEthEraErrorsAbi = [
  ...ssvSharedErrorsAbi,
  { type: "error", name: "AlreadyVoted", inputs: [] },
  { type: "error", name: "ClusterDoesNotExist", inputs: [] },
  { type: "error", name: "EBBelowMinimum", inputs: [] },
  { type: "error", name: "EBExceedsMaximum", inputs: [] },
  { type: "error", name: "ETHTransferFailed", inputs: [] },
  { type: "error", name: "FutureBlockNumber", inputs: [] },
  { type: "error", name: "IncorrectClusterVersion", inputs: [] },
  { type: "error", name: "IncorrectOperatorVersion", inputs: [{ name: "operatorVersion", type: "uint8" }] },
  { type: "error", name: "InsufficientCSSVSupply", inputs: [] },
  { type: "error", name: "InvalidOperatorFeeIncreaseLimit", inputs: [] },
  { type: "error", name: "InvalidOperatorFeeRange", inputs: [] },
  { type: "error", name: "InvalidOracleId", inputs: [] },
  { type: "error", name: "InvalidProof", inputs: [] },
  { type: "error", name: "InvalidQuorum", inputs: [] },
  { type: "error", name: "InvalidToken", inputs: [] },
  { type: "error", name: "LegacyOperatorFeeDeclarationInvalid", inputs: [] },
  { type: "error", name: "MaxPrecisionExceeded", inputs: [] },
  { type: "error", name: "MaxRequestsAmountReached", inputs: [] },
  { type: "error", name: "MustUseLatestRoot", inputs: [] },
  { type: "error", name: "NotCSSV", inputs: [] },
  { type: "error", name: "NotOracle", inputs: [] },
  { type: "error", name: "NothingToClaim", inputs: [] },
  { type: "error", name: "NothingToWithdraw", inputs: [] },
  { type: "error", name: "OracleAlreadyAssigned", inputs: [] },
  { type: "error", name: "RootNotFound", inputs: [] },
  { type: "error", name: "SameOracleAddressNotAllowed", inputs: [] },
  { type: "error", name: "StakeTooLow", inputs: [] },
  { type: "error", name: "StaleBlockNumber", inputs: [] },
  { type: "error", name: "StaleUpdate", inputs: [] },
  { type: "error", name: "UnstakeAmountExceedsBalance", inputs: [] },
  { type: "error", name: "UpdateTooFrequent", inputs: [] },
  {
    type: "error",
    name: "ValidatorAlreadyRegistered",
    inputs: [
      { name: "publicKey", type: "bytes" },
      { name: "owner", type: "address" },
    ],
  },
  { type: "error", name: "ZeroAddress", inputs: [] },
  { type: "error", name: "ZeroAmount", inputs: [] },
  { type: "error", name: "ZeroCSSVSupply", inputs: [] },
] as const;
