// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {Errors} from "./Errors.sol";
import {IKeeperRewards, IVaultMev, IVaultsRegistry} from "./Interfaces.sol";
import {KeeperOracles} from "./KeeperOracles.sol";
import {MerkleProof} from "./MerkleProof.sol";

/**
 * @title KeeperRewards
 * @notice Oracle-signed rewards roots and the vaults' harvests against them.
 *
 * Every update is signed over EIP-712 `KeeperRewards(bytes32 rewardsRoot,string rewardsIpfsHash,
 * uint256 avgRewardPerSecond,uint64 updateTimestamp,uint64 nonce)` with nonce = rewardsNonce, and
 * rotates rewardsRoot into prevRewardsRoot. A leaf of a rewards tree is
 * keccak256(keccak256(abi.encode(address vault, int160 reward, uint160 unlockedMevReward))) where
 * the amounts are cumulative since the vault's start.
 *
 * A vault becomes "collateralized" at its first validators approval: it then carries the nonce of
 * the rewards update it last synced with. It can harvest once a newer update exists and must
 * harvest before it falls two updates behind.
 */
abstract contract KeeperRewards is KeeperOracles, IKeeperRewards {
  bytes32 private constant REWARDS_UPDATE_TYPEHASH =
    keccak256(
      "KeeperRewards(bytes32 rewardsRoot,string rewardsIpfsHash,uint256 avgRewardPerSecond,uint64 updateTimestamp,uint64 nonce)"
    );

  struct Reward {
    int192 assets;
    uint64 nonce;
  }

  struct UnlockedMevReward {
    uint192 assets;
    uint64 nonce;
  }

  struct RewardsUpdateParams {
    bytes32 rewardsRoot;
    uint256 avgRewardPerSecond;
    uint64 updateTimestamp;
    string rewardsIpfsHash;
    bytes signatures;
  }

  address private immutable _sharedMevEscrow;
  uint256 private immutable _maxAvgRewardPerSecond;
  IVaultsRegistry internal immutable _vaultsRegistry;
  uint256 public immutable rewardsDelay;

  mapping(address => Reward) public rewards;
  mapping(address => UnlockedMevReward) public unlockedMevRewards;
  bytes32 public prevRewardsRoot;
  bytes32 public rewardsRoot;
  uint256 public rewardsMinOracles;
  uint64 public lastRewardsTimestamp;
  uint64 public rewardsNonce;

  event RewardsUpdated(
    address indexed caller,
    bytes32 indexed rewardsRoot,
    uint256 avgRewardPerSecond,
    uint64 updateTimestamp,
    uint64 nonce,
    string rewardsIpfsHash
  );
  event Harvested(
    address indexed vault,
    bytes32 indexed rewardsRoot,
    int256 totalAssetsDelta,
    uint256 unlockedMevDelta
  );
  event RewardsMinOraclesUpdated(uint256 oracles);

  constructor(
    address sharedMevEscrow,
    IVaultsRegistry vaultsRegistry,
    uint256 rewardsDelay_,
    uint256 maxAvgRewardPerSecond
  ) {
    _sharedMevEscrow = sharedMevEscrow;
    _vaultsRegistry = vaultsRegistry;
    rewardsDelay = rewardsDelay_;
    _maxAvgRewardPerSecond = maxAvgRewardPerSecond;
    // Starts at 1 so that a collateralized vault never carries nonce 0 ("no validators").
    rewardsNonce = 1;
  }

  function updateRewards(RewardsUpdateParams calldata params) external {
    if (!canUpdateRewards()) revert Errors.TooEarlyUpdate();
    if (params.avgRewardPerSecond > _maxAvgRewardPerSecond) revert Errors.InvalidAvgRewardPerSecond();

    uint64 nonce = rewardsNonce;
    _verifySignatures(
      rewardsMinOracles,
      keccak256(
        abi.encode(
          REWARDS_UPDATE_TYPEHASH,
          params.rewardsRoot,
          keccak256(bytes(params.rewardsIpfsHash)),
          params.avgRewardPerSecond,
          params.updateTimestamp,
          nonce
        )
      ),
      params.signatures
    );

    prevRewardsRoot = rewardsRoot;
    rewardsRoot = params.rewardsRoot;
    lastRewardsTimestamp = uint64(block.timestamp);
    rewardsNonce = nonce + 1;

    emit RewardsUpdated(
      msg.sender,
      params.rewardsRoot,
      params.avgRewardPerSecond,
      params.updateTimestamp,
      nonce,
      params.rewardsIpfsHash
    );
  }

  function canUpdateRewards() public view returns (bool) {
    return lastRewardsTimestamp + rewardsDelay < block.timestamp;
  }

  /// @notice True when the vault is two or more updates behind: it must harvest first.
  function isHarvestRequired(address vault) external view override returns (bool) {
    uint256 nonce = rewards[vault].nonce;
    return nonce != 0 && nonce + 1 < rewardsNonce;
  }

  /// @notice True when a rewards update newer than the vault's last sync exists.
  function canHarvest(address vault) external view returns (bool) {
    uint256 nonce = rewards[vault].nonce;
    return nonce != 0 && nonce < rewardsNonce;
  }

  function isCollateralized(address vault) public view returns (bool) {
    return rewards[vault].nonce != 0;
  }

  /**
   * @notice Called by a vault (from updateState) with its leaf of the current or previous rewards
   * tree. Returns the change since the vault's last harvest; harvested is false when the vault
   * already synced with that update.
   */
  function harvest(
    HarvestParams calldata params
  ) external override returns (int256 totalAssetsDelta, uint256 unlockedMevDelta, bool harvested) {
    if (!_vaultsRegistry.vaults(msg.sender)) revert Errors.AccessDenied();

    uint64 nonce = rewardsNonce;
    if (params.rewardsRoot != rewardsRoot) {
      if (params.rewardsRoot != prevRewardsRoot) revert Errors.InvalidRewardsRoot();
      nonce -= 1;
    }

    bytes32 leaf = keccak256(
      bytes.concat(keccak256(abi.encode(msg.sender, params.reward, params.unlockedMevReward)))
    );
    if (!MerkleProof.verify(params.proof, params.rewardsRoot, leaf)) revert Errors.InvalidProof();

    Reward storage last = rewards[msg.sender];
    if (last.nonce >= nonce) return (0, 0, false);

    totalAssetsDelta = int256(params.reward) - int256(last.assets);
    harvested = true;
    last.nonce = nonce;
    last.assets = params.reward;

    if (IVaultMev(msg.sender).mevEscrow() == _sharedMevEscrow) {
      unlockedMevDelta = params.unlockedMevReward - unlockedMevRewards[msg.sender].assets;
      unlockedMevRewards[msg.sender] = UnlockedMevReward({assets: params.unlockedMevReward, nonce: nonce});
    }

    emit Harvested(msg.sender, params.rewardsRoot, totalAssetsDelta, unlockedMevDelta);
  }

  function setRewardsMinOracles(uint256 rewardsMinOracles_) external onlyOwner {
    _setRewardsMinOracles(rewardsMinOracles_);
  }

  function _setRewardsMinOracles(uint256 rewardsMinOracles_) internal {
    if (rewardsMinOracles_ == 0 || rewardsMinOracles_ > totalOracles) revert Errors.InvalidOracles();
    rewardsMinOracles = rewardsMinOracles_;
    emit RewardsMinOraclesUpdated(rewardsMinOracles_);
  }

  /// @dev Marks a vault as having validators, synced with the current rewards update.
  function _collateralize(address vault) internal {
    if (rewards[vault].nonce != 0) return;
    rewards[vault] = Reward({assets: 0, nonce: rewardsNonce});
  }
}
