// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

/**
 * @title Errors
 * @notice The custom errors the devnet contracts revert with. Names and (empty) parameter lists
 * are those of the StakeWise V3 protocol's errors, so a caller decodes the same error names on the
 * devnet and on a public network.
 */
library Errors {
  error AccessDenied();
  error ZeroAddress();
  error InvalidAssets();
  error InsufficientAssets();
  error InvalidSecurityDeposit();
  error NotHarvested();
  error InvalidProof();
  error InvalidValidator();
  error InvalidValidators();
  error DeadlineExpired();
  error InvalidValidatorsRegistryRoot();
  error InvalidVault();
  error AlreadyAdded();
  error AlreadyRemoved();
  error InvalidOracles();
  error NotEnoughSignatures();
  error InvalidOracle();
  error TooEarlyUpdate();
  error InvalidAvgRewardPerSecond();
  error InvalidRewardsRoot();
  error HarvestFailed();
  error MaxOraclesExceeded();
  error NotCollateralized();
  error ValueNotChanged();
  error InvalidSignatures();
  error CannotTopUpV1Validators();
  error InvalidShares();
}
