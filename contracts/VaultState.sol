// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {Errors} from "./Errors.sol";
import {IKeeperRewards, IOwnMevEscrow, ISharedMevEscrow, IVaultMev} from "./Interfaces.sol";

/**
 * @title VaultState
 * @notice A first-generation vault's share accounting, deposits and harvests, reduced to what the
 * devnet needs: shares are minted at the assets/shares rate, there is no exit queue (so every ETH
 * the vault holds is withdrawable), no fees and no capacity limit.
 */
abstract contract VaultState is IVaultMev {
  IKeeperRewards internal immutable _keeper;
  address private immutable _sharedMevEscrow;

  address public admin;
  /// @notice Shares waiting in the exit queue: always zero for the first-generation devnet vault,
  /// kept by VaultExitQueue for later versions.
  uint128 public queuedShares;
  address private _ownMevEscrow;
  /// @dev Zero means unlimited; the devnet vault never sets it.
  uint256 private _capacity;
  uint256 internal _totalShares;
  uint256 internal _totalAssets;
  mapping(address => uint256) internal _balances;

  event MetadataUpdated(address indexed caller, string metadataIpfsHash);
  event Deposited(
    address indexed caller,
    address indexed receiver,
    uint256 assets,
    uint256 shares,
    address referrer
  );

  constructor(IKeeperRewards keeper, address sharedMevEscrow, address admin_, address ownMevEscrow) {
    if (admin_ == address(0)) revert Errors.ZeroAddress();
    _keeper = keeper;
    _sharedMevEscrow = sharedMevEscrow;
    admin = admin_;
    _ownMevEscrow = ownMevEscrow;
  }

  function deposit(address receiver, address referrer) public payable returns (uint256 shares) {
    return _deposit(receiver, msg.value, referrer);
  }

  function updateStateAndDeposit(
    address receiver,
    address referrer,
    IKeeperRewards.HarvestParams calldata harvestParams
  ) external payable returns (uint256 shares) {
    updateState(harvestParams);
    return _deposit(receiver, msg.value, referrer);
  }

  function setMetadata(string calldata metadataIpfsHash) external {
    _checkAdmin();
    emit MetadataUpdated(msg.sender, metadataIpfsHash);
  }

  /// @notice A plain transfer is a deposit for the sender.
  receive() external payable {
    _deposit(msg.sender, msg.value, address(0));
  }

  function receiveFromMevEscrow() external payable override {
    if (msg.sender != mevEscrow()) revert Errors.AccessDenied();
  }

  /**
   * @notice Harvests the vault's rewards proven against the Keeper's rewards root: total assets
   * move by the reward delta and unlocked execution rewards are pulled from the MEV escrow.
   */
  function updateState(IKeeperRewards.HarvestParams calldata harvestParams) public {
    (int256 totalAssetsDelta, uint256 unlockedMevDelta, bool harvested) = _keeper.harvest(harvestParams);
    if (!harvested) return;

    address escrow = mevEscrow();
    if (escrow == _sharedMevEscrow) {
      if (unlockedMevDelta > 0) ISharedMevEscrow(escrow).harvest(unlockedMevDelta);
    } else {
      totalAssetsDelta += int256(IOwnMevEscrow(escrow).harvest());
    }

    if (totalAssetsDelta < 0) _totalAssets -= uint256(-totalAssetsDelta);
    else _totalAssets += uint256(totalAssetsDelta);
    _afterHarvest();
  }

  /// @dev Runs after every successful harvest; later vault versions process their exit queue here.
  function _afterHarvest() internal virtual {}

  function mevEscrow() public view override returns (address) {
    address own = _ownMevEscrow;
    return own != address(0) ? own : _sharedMevEscrow;
  }

  function totalAssets() external view returns (uint256) {
    return _totalAssets;
  }

  function totalShares() external view returns (uint256) {
    return _totalShares;
  }

  function getShares(address account) external view returns (uint256) {
    return _balances[account];
  }

  function convertToShares(uint256 assets) public view returns (uint256 shares) {
    uint256 total = _totalShares;
    return (assets == 0 || total == 0) ? assets : (assets * total) / _totalAssets;
  }

  function convertToAssets(uint256 shares) public view returns (uint256 assets) {
    uint256 total = _totalShares;
    return total == 0 ? shares : (shares * _totalAssets) / total;
  }

  /// @notice The assets after which deposits stop: unlimited on the devnet.
  function capacity() external view returns (uint256) {
    uint256 limit = _capacity;
    return limit == 0 ? type(uint256).max : limit;
  }

  /// @notice The ETH the vault holds: nothing is reserved for exits.
  function withdrawableAssets() public view virtual returns (uint256) {
    return address(this).balance;
  }

  function isStateUpdateRequired() external view returns (bool) {
    return _keeper.isHarvestRequired(address(this));
  }

  function _deposit(address receiver, uint256 assets, address referrer) internal returns (uint256 shares) {
    _checkHarvested();
    if (receiver == address(0)) revert Errors.ZeroAddress();
    if (assets == 0) revert Errors.InvalidAssets();
    shares = convertToShares(assets);
    _totalAssets += assets;
    _totalShares += shares;
    _balances[receiver] += shares;
    emit Deposited(msg.sender, receiver, assets, shares, referrer);
  }

  function _checkHarvested() internal view {
    if (_keeper.isHarvestRequired(address(this))) revert Errors.NotHarvested();
  }

  function _checkAdmin() internal view {
    if (msg.sender != admin) revert Errors.AccessDenied();
  }
}
