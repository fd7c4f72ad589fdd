/**
 * Custom errors the StakeWise V3 contracts revert with (the protocol's `Errors` library and the
 * OpenZeppelin 5 errors of the libraries it uses), shared by every contract ABI here: a vault call
 * bubbles up the Keeper's errors, so each ABI needs all of them to decode a revert by name.
 *
 * Every error any released v3-core (v1.0.0 … v4.0.1) can raise is named, including those later
 * versions dropped (live contracts of older versions still raise them) and both OpenZeppelin
 * generations (5.0 for v3-core v1–v3, 5.3 for v4). The first entries keep their historical order.
 */
export const protocolErrorsAbi = [
  { type: "error", name: "AccessDenied", inputs: [] },
  { type: "error", name: "ZeroAddress", inputs: [] },
  { type: "error", name: "InvalidAssets", inputs: [] },
  { type: "error", name: "InsufficientAssets", inputs: [] },
  { type: "error", name: "InvalidSecurityDeposit", inputs: [] },
  { type: "error", name: "NotHarvested", inputs: [] },
  { type: "error", name: "InvalidProof", inputs: [] },
  { type: "error", name: "InvalidValidator", inputs: [] },
  { type: "error", name: "InvalidValidators", inputs: [] },
  { type: "error", name: "DeadlineExpired", inputs: [] },
  { type: "error", name: "InvalidValidatorsRegistryRoot", inputs: [] },
  { type: "error", name: "InvalidVault", inputs: [] },
  { type: "error", name: "AlreadyAdded", inputs: [] },
  { type: "error", name: "AlreadyRemoved", inputs: [] },
  { type: "error", name: "InvalidOracles", inputs: [] },
  { type: "error", name: "NotEnoughSignatures", inputs: [] },
  { type: "error", name: "InvalidOracle", inputs: [] },
  { type: "error", name: "TooEarlyUpdate", inputs: [] },
  { type: "error", name: "InvalidAvgRewardPerSecond", inputs: [] },
  { type: "error", name: "InvalidRewardsRoot", inputs: [] },
  { type: "error", name: "HarvestFailed", inputs: [] },
  { type: "error", name: "MaxOraclesExceeded", inputs: [] },
  { type: "error", name: "ECDSAInvalidSignature", inputs: [] },
  { type: "error", name: "ECDSAInvalidSignatureS", inputs: [{ name: "s", type: "bytes32" }] },
  { type: "error", name: "MerkleProofInvalidMultiproof", inputs: [] },
  { type: "error", name: "OwnableUnauthorizedAccount", inputs: [{ name: "account", type: "address" }] },
  { type: "error", name: "OwnableInvalidOwner", inputs: [{ name: "owner", type: "address" }] },
  // The rest, by source (test/vectors/contract-errors.sol.txt holds the declarations they match).
  // v3-core v4.0.1 contracts/libraries/Errors.sol
  { type: "error", name: "InvalidShares", inputs: [] },
  { type: "error", name: "CapacityExceeded", inputs: [] },
  { type: "error", name: "InvalidCapacity", inputs: [] },
  { type: "error", name: "InvalidFeeRecipient", inputs: [] },
  { type: "error", name: "InvalidFeePercent", inputs: [] },
  { type: "error", name: "NotCollateralized", inputs: [] },
  { type: "error", name: "Collateralized", inputs: [] },
  { type: "error", name: "LowLtv", inputs: [] },
  { type: "error", name: "InvalidPosition", inputs: [] },
  { type: "error", name: "InvalidHealthFactor", inputs: [] },
  { type: "error", name: "InvalidReceivedAssets", inputs: [] },
  { type: "error", name: "InvalidTokenMeta", inputs: [] },
  { type: "error", name: "UpgradeFailed", inputs: [] },
  { type: "error", name: "PermitInvalidSigner", inputs: [] },
  { type: "error", name: "LiquidationDisabled", inputs: [] },
  { type: "error", name: "InvalidLiqThresholdPercent", inputs: [] },
  { type: "error", name: "InvalidLiqBonusPercent", inputs: [] },
  { type: "error", name: "InvalidLtvPercent", inputs: [] },
  { type: "error", name: "InvalidCheckpointIndex", inputs: [] },
  { type: "error", name: "InvalidCheckpointValue", inputs: [] },
  { type: "error", name: "ExitRequestNotProcessed", inputs: [] },
  { type: "error", name: "ValueNotChanged", inputs: [] },
  { type: "error", name: "FlashLoanFailed", inputs: [] },
  { type: "error", name: "CannotTopUpV1Validators", inputs: [] },
  { type: "error", name: "InvalidSignatures", inputs: [] },
  { type: "error", name: "EmptySubVaults", inputs: [] },
  { type: "error", name: "EjectingVaultNotFound", inputs: [] },
  { type: "error", name: "EjectingVault", inputs: [] },
  { type: "error", name: "RepeatedEjectingVault", inputs: [] },
  { type: "error", name: "UnclaimedAssets", inputs: [] },
  { type: "error", name: "InvalidCurator", inputs: [] },
  { type: "error", name: "RewardsNonceIsHigher", inputs: [] },
  { type: "error", name: "InvalidRedeemablePositions", inputs: [] },
  { type: "error", name: "RedeemablePositionsProposed", inputs: [] },
  { type: "error", name: "InvalidDelay", inputs: [] },
  // v3-core v4.0.1 contracts/interfaces/IRewardSplitter.sol
  { type: "error", name: "InvalidAccount", inputs: [] },
  { type: "error", name: "InvalidAmount", inputs: [] },
  // v3-core v4.0.1 contracts/tokens/PriceFeed.sol
  { type: "error", name: "NotImplemented", inputs: [] },
  // v3-core v4.0.1 contracts/vaults/gnosis/GnoGenesisVault.sol
  { type: "error", name: "InvalidInitialHarvest", inputs: [] },
  // v3-core v1.0.0 contracts/libraries/Errors.sol (only the errors v4.0.1 no longer declares)
  { type: "error", name: "RedemptionExceeded", inputs: [] },
  { type: "error", name: "InvalidLtv", inputs: [] },
  { type: "error", name: "WhitelistAlreadyUpdated", inputs: [] },
  { type: "error", name: "InvalidRedeemFromLtvPercent", inputs: [] },
  { type: "error", name: "ClaimTooEarly", inputs: [] },
  // v3-core v2.0.0 contracts/libraries/Errors.sol (only the errors v4.0.1 no longer declares)
  { type: "error", name: "EigenInvalidWithdrawal", inputs: [] },
  { type: "error", name: "InvalidEigenQueuedWithdrawals", inputs: [] },
  { type: "error", name: "InvalidWithdrawalCredentials", inputs: [] },
  { type: "error", name: "EigenPodNotFound", inputs: [] },
  // v3-core v3.0.0 contracts/libraries/Errors.sol (only the errors v4.0.1 no longer declares)
  { type: "error", name: "InvalidQueuedShares", inputs: [] },
  // OpenZeppelin v5.3.0 contracts/proxy/Clones.sol
  { type: "error", name: "CloneArgumentsTooLong", inputs: [] },
  // OpenZeppelin v5.3.0 contracts/proxy/ERC1967/ERC1967Utils.sol
  {
    type: "error",
    name: "ERC1967InvalidImplementation",
    inputs: [{ name: "implementation", type: "address" }],
  },
  { type: "error", name: "ERC1967InvalidAdmin", inputs: [{ name: "admin", type: "address" }] },
  { type: "error", name: "ERC1967InvalidBeacon", inputs: [{ name: "beacon", type: "address" }] },
  { type: "error", name: "ERC1967NonPayable", inputs: [] },
  // OpenZeppelin v5.3.0 contracts/token/ERC20/extensions/ERC20Permit.sol
  { type: "error", name: "ERC2612ExpiredSignature", inputs: [{ name: "deadline", type: "uint256" }] },
  {
    type: "error",
    name: "ERC2612InvalidSigner",
    inputs: [
      { name: "signer", type: "address" },
      { name: "owner", type: "address" },
    ],
  },
  // OpenZeppelin v5.3.0 contracts/token/ERC20/utils/SafeERC20.sol
  { type: "error", name: "SafeERC20FailedOperation", inputs: [{ name: "token", type: "address" }] },
  {
    type: "error",
    name: "SafeERC20FailedDecreaseAllowance",
    inputs: [
      { name: "spender", type: "address" },
      { name: "currentAllowance", type: "uint256" },
      { name: "requestedDecrease", type: "uint256" },
    ],
  },
  // OpenZeppelin v5.3.0 contracts/utils/Address.sol
  { type: "error", name: "AddressEmptyCode", inputs: [{ name: "target", type: "address" }] },
  // OpenZeppelin v5.3.0 contracts/utils/Errors.sol
  {
    type: "error",
    name: "InsufficientBalance",
    inputs: [
      { name: "balance", type: "uint256" },
      { name: "needed", type: "uint256" },
    ],
  },
  { type: "error", name: "FailedCall", inputs: [] },
  { type: "error", name: "FailedDeployment", inputs: [] },
  { type: "error", name: "MissingPrecompile", inputs: [{ name: "", type: "address" }] },
  // OpenZeppelin v5.3.0 contracts/utils/Packing.sol
  { type: "error", name: "OutOfRangeAccess", inputs: [] },
  // OpenZeppelin v5.3.0 contracts/utils/ReentrancyGuard.sol
  { type: "error", name: "ReentrancyGuardReentrantCall", inputs: [] },
  // OpenZeppelin v5.3.0 contracts/utils/cryptography/ECDSA.sol
  { type: "error", name: "ECDSAInvalidSignatureLength", inputs: [{ name: "length", type: "uint256" }] },
  // OpenZeppelin v5.3.0 contracts/utils/ShortStrings.sol
  { type: "error", name: "StringTooLong", inputs: [{ name: "str", type: "string" }] },
  { type: "error", name: "InvalidShortString", inputs: [] },
  // OpenZeppelin v5.3.0 contracts/utils/math/SafeCast.sol
  {
    type: "error",
    name: "SafeCastOverflowedUintDowncast",
    inputs: [
      { name: "bits", type: "uint8" },
      { name: "value", type: "uint256" },
    ],
  },
  { type: "error", name: "SafeCastOverflowedIntToUint", inputs: [{ name: "value", type: "int256" }] },
  {
    type: "error",
    name: "SafeCastOverflowedIntDowncast",
    inputs: [
      { name: "bits", type: "uint8" },
      { name: "value", type: "int256" },
    ],
  },
  { type: "error", name: "SafeCastOverflowedUintToInt", inputs: [{ name: "value", type: "uint256" }] },
  // OpenZeppelin v5.3.0 contracts/utils/Nonces.sol
  {
    type: "error",
    name: "InvalidAccountNonce",
    inputs: [
      { name: "account", type: "address" },
      { name: "currentNonce", type: "uint256" },
    ],
  },
  // OpenZeppelin v5.3.0 contracts/interfaces/draft-IERC6093.sol (the IERC20Errors part)
  {
    type: "error",
    name: "ERC20InsufficientBalance",
    inputs: [
      { name: "sender", type: "address" },
      { name: "balance", type: "uint256" },
      { name: "needed", type: "uint256" },
    ],
  },
  { type: "error", name: "ERC20InvalidSender", inputs: [{ name: "sender", type: "address" }] },
  { type: "error", name: "ERC20InvalidReceiver", inputs: [{ name: "receiver", type: "address" }] },
  {
    type: "error",
    name: "ERC20InsufficientAllowance",
    inputs: [
      { name: "spender", type: "address" },
      { name: "allowance", type: "uint256" },
      { name: "needed", type: "uint256" },
    ],
  },
  { type: "error", name: "ERC20InvalidApprover", inputs: [{ name: "approver", type: "address" }] },
  { type: "error", name: "ERC20InvalidSpender", inputs: [{ name: "spender", type: "address" }] },
  // OpenZeppelin upgradeable v5.3.0 contracts/proxy/utils/Initializable.sol
  { type: "error", name: "InvalidInitialization", inputs: [] },
  { type: "error", name: "NotInitializing", inputs: [] },
  // OpenZeppelin upgradeable v5.3.0 contracts/proxy/utils/UUPSUpgradeable.sol
  { type: "error", name: "UUPSUnauthorizedCallContext", inputs: [] },
  { type: "error", name: "UUPSUnsupportedProxiableUUID", inputs: [{ name: "slot", type: "bytes32" }] },
  // OpenZeppelin v5.0.0 contracts/utils/Address.sol (used by v3-core v1.0.0-v3.0.1)
  { type: "error", name: "AddressInsufficientBalance", inputs: [{ name: "account", type: "address" }] },
  { type: "error", name: "FailedInnerCall", inputs: [] },
  // OpenZeppelin v5.0.0 contracts/utils/math/Math.sol (used by v3-core v1.0.0-v3.0.1)
  { type: "error", name: "MathOverflowedMulDiv", inputs: [] },
] as const;
