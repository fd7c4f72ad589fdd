/**
 * Custom errors the StakeWise V3 contracts revert with (the protocol's `Errors` library and the
 * OpenZeppelin 5 errors of the libraries it uses), shared by every contract ABI here: a vault call
 * bubbles up the Keeper's errors, so each ABI needs all of them to decode a revert by name.
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
] as const;
