// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

/**
 * @title SSVNetworkBase
 * @notice What both fee eras of SSVNetwork share: the operator registry, validators, clusters kept
 * as one hash of their snapshot, fee indexes that grow every block, liquidation rules, and the
 * views SSVNetworkViews forwards to (the real network answers them too, through its views module).
 *
 * Amounts are kept "shrunk" by `_deductedDigits()` (10^7 for SSV, 10^5 for ETH): fees must be
 * multiples of it. Each validator is one unit (32 ETH effective balance) in both eras.
 *
 * A cluster (owner, sorted operator ids) costs per block, per validator, the sum of its
 * operators' fees plus the network fee. Every call that touches a cluster settles it: the usage
 * since its indexes is taken from its balance, then its indexes move to the current ones. It is
 * liquidatable when it has validators and its balance is below the minimum collateral or below
 * liquidationThresholdPeriod blocks of its burn rate.
 */
abstract contract SSVNetworkBase {
  struct Cluster {
    uint32 validatorCount;
    uint64 networkFeeIndex;
    uint64 index;
    bool active;
    uint256 balance;
  }

  struct Operator {
    address owner;
    /// @dev Shrunk fee per block; 0 once removed.
    uint64 fee;
    uint32 validatorCount;
    bool isPrivate;
    /// @dev Block of the index snapshot; 0 means the operator does not exist (or was removed).
    uint32 snapshotBlock;
    uint64 snapshotIndex;
  }

  struct FeeDeclaration {
    uint64 fee;
    uint64 approvalBeginTime;
    uint64 approvalEndTime;
  }

  /// @notice Deployment parameters (all amounts in wei of the era's asset, multiples of its digits).
  struct Parameters {
    uint256 networkFee;
    uint64 liquidationThresholdPeriod;
    uint256 minimumLiquidationCollateral;
    uint32 validatorsPerOperatorLimit;
    uint64 declareOperatorFeePeriod;
    uint64 executeOperatorFeePeriod;
    /// @dev The first operator id (the real registry is past 1000; tests need ids that are not 1..4).
    uint64 firstOperatorId;
  }

  error CallerNotOwnerWithData(address caller, address owner);
  error CallerNotWhitelistedWithData(uint64 operatorId);
  error NoFeeDeclared();
  error ApprovalNotWithinTimeframe();
  error OperatorDoesNotExist();
  error InsufficientBalance();
  error ValidatorDoesNotExist();
  error ClusterNotLiquidatable();
  error InvalidPublicKeyLength();
  error InvalidOperatorIdsLength();
  error ClusterAlreadyEnabled();
  error ClusterIsLiquidated();
  error IncorrectClusterState();
  error UnsortedOperatorsList();
  error ExceedValidatorLimitWithData(uint64 operatorId);
  error SameFeeChangeNotAllowed();
  error FeeIncreaseNotAllowed();
  error OperatorsListNotUnique();
  error OperatorAlreadyExists();
  error PublicKeysSharesLengthMismatch();
  error IncorrectValidatorStateWithData(bytes publicKey);
  error ValidatorAlreadyExistsWithData(bytes publicKey);
  error EmptyPublicKeysList();

  event ValidatorAdded(address indexed owner, uint64[] operatorIds, bytes publicKey, bytes shares, Cluster cluster);
  event ValidatorRemoved(address indexed owner, uint64[] operatorIds, bytes publicKey, Cluster cluster);
  event ValidatorExited(address indexed owner, uint64[] operatorIds, bytes publicKey);
  event ClusterLiquidated(address indexed owner, uint64[] operatorIds, Cluster cluster);
  event ClusterReactivated(address indexed owner, uint64[] operatorIds, Cluster cluster);
  event ClusterWithdrawn(address indexed owner, uint64[] operatorIds, uint256 value, Cluster cluster);
  event ClusterDeposited(address indexed owner, uint64[] operatorIds, uint256 value, Cluster cluster);
  event OperatorAdded(uint64 indexed operatorId, address indexed owner, bytes publicKey, uint256 fee);
  event OperatorRemoved(uint64 indexed operatorId);
  event OperatorFeeDeclared(address indexed owner, uint64 indexed operatorId, uint256 blockNumber, uint256 fee);
  event OperatorFeeExecuted(address indexed owner, uint64 indexed operatorId, uint256 blockNumber, uint256 fee);
  event FeeRecipientAddressUpdated(address indexed owner, address recipientAddress);

  mapping(uint64 => Operator) private _operators;
  mapping(uint64 => FeeDeclaration) private _feeDeclarations;
  mapping(bytes32 => bool) private _operatorKeys;
  /// @dev keccak256(owner, operatorIds) => keccak256 of the cluster snapshot.
  mapping(bytes32 => bytes32) private _clusters;
  /// @dev keccak256(publicKey, owner) => keccak256(operatorIds) with the lowest bit set (active).
  mapping(bytes32 => bytes32) private _validators;
  uint64 private _lastOperatorId;

  uint64 private immutable _networkFee;
  uint64 private immutable _liquidationThresholdPeriod;
  uint256 private immutable _minimumLiquidationCollateral;
  uint32 private immutable _validatorsPerOperatorLimit;
  uint64 private immutable _declareOperatorFeePeriod;
  uint64 private immutable _executeOperatorFeePeriod;
  uint32 private immutable _deployBlock;

  constructor(Parameters memory params) {
    _networkFee = _shrink(params.networkFee);
    _liquidationThresholdPeriod = params.liquidationThresholdPeriod;
    _minimumLiquidationCollateral = params.minimumLiquidationCollateral;
    _validatorsPerOperatorLimit = params.validatorsPerOperatorLimit;
    _declareOperatorFeePeriod = params.declareOperatorFeePeriod;
    _executeOperatorFeePeriod = params.executeOperatorFeePeriod;
    _lastOperatorId = params.firstOperatorId == 0 ? 0 : params.firstOperatorId - 1;
    _deployBlock = uint32(block.number);
  }

  // ---- era hooks ----

  /// @dev 10^7 (SSV) or 10^5 (ETH).
  function _deductedDigits() internal pure virtual returns (uint256);

  /// @dev Reverts when `value` is not a multiple of the digits.
  function _checkPrecision(uint256 value) internal pure virtual;

  function _revertClusterDoesNotExist() internal pure virtual;

  /// @dev Sends `amount` of the era's asset to `to`.
  function _pay(address to, uint256 amount) internal virtual;

  // ---- operators ----

  function registerOperator(bytes calldata publicKey, uint256 fee, bool setPrivate) external returns (uint64 id) {
    bytes32 keyHash = keccak256(publicKey);
    if (_operatorKeys[keyHash]) revert OperatorAlreadyExists();
    _operatorKeys[keyHash] = true;
    id = ++_lastOperatorId;
    _operators[id] = Operator({
      owner: msg.sender,
      fee: _shrink(fee),
      validatorCount: 0,
      isPrivate: setPrivate,
      snapshotBlock: uint32(block.number),
      snapshotIndex: 0
    });
    emit OperatorAdded(id, msg.sender, publicKey, fee);
  }

  function removeOperator(uint64 operatorId) external {
    Operator storage operator = _ownedOperator(operatorId);
    _snapshot(operator);
    operator.snapshotBlock = 0;
    operator.fee = 0;
    operator.validatorCount = 0;
    delete _feeDeclarations[operatorId];
    emit OperatorRemoved(operatorId);
  }

  function declareOperatorFee(uint64 operatorId, uint256 fee) external {
    Operator storage operator = _ownedOperator(operatorId);
    uint64 shrunk = _shrink(fee);
    if (shrunk == operator.fee) revert SameFeeChangeNotAllowed();
    uint64 begin = uint64(block.timestamp) + _declareOperatorFeePeriod;
    _feeDeclarations[operatorId] = FeeDeclaration(shrunk, begin, begin + _executeOperatorFeePeriod);
    emit OperatorFeeDeclared(msg.sender, operatorId, block.number, fee);
  }

  function executeOperatorFee(uint64 operatorId) external {
    Operator storage operator = _ownedOperator(operatorId);
    FeeDeclaration memory declared = _feeDeclarations[operatorId];
    if (declared.approvalBeginTime == 0) revert NoFeeDeclared();
    if (block.timestamp < declared.approvalBeginTime || block.timestamp > declared.approvalEndTime) {
      revert ApprovalNotWithinTimeframe();
    }
    _setFee(operatorId, operator, declared.fee);
  }

  function reduceOperatorFee(uint64 operatorId, uint256 fee) external {
    Operator storage operator = _ownedOperator(operatorId);
    uint64 shrunk = _shrink(fee);
    if (shrunk >= operator.fee) revert FeeIncreaseNotAllowed();
    _setFee(operatorId, operator, shrunk);
  }

  function setFeeRecipientAddress(address recipientAddress) external {
    emit FeeRecipientAddressUpdated(msg.sender, recipientAddress);
  }

  // ---- validators and clusters ----

  function removeValidator(bytes calldata publicKey, uint64[] memory operatorIds, Cluster memory cluster) external {
    bytes[] memory publicKeys = new bytes[](1);
    publicKeys[0] = publicKey;
    _removeValidators(publicKeys, operatorIds, cluster);
  }

  function bulkRemoveValidator(
    bytes[] calldata publicKeys,
    uint64[] memory operatorIds,
    Cluster memory cluster
  ) external {
    if (publicKeys.length == 0) revert EmptyPublicKeysList();
    _removeValidators(publicKeys, operatorIds, cluster);
  }

  function exitValidator(bytes calldata publicKey, uint64[] calldata operatorIds) external {
    _exitValidator(publicKey, operatorIds);
  }

  function bulkExitValidator(bytes[] calldata publicKeys, uint64[] calldata operatorIds) external {
    if (publicKeys.length == 0) revert EmptyPublicKeysList();
    for (uint256 i; i < publicKeys.length; ++i) _exitValidator(publicKeys[i], operatorIds);
  }

  function withdraw(uint64[] memory operatorIds, uint256 amount, Cluster memory cluster) external {
    bytes32 key = _checkCluster(msg.sender, operatorIds, cluster);
    if (cluster.active) {
      (uint64 index, uint64 burnFee) = _updateOperators(operatorIds, false, true, 0);
      _settle(cluster, index);
      if (cluster.balance < amount) revert InsufficientBalance();
      cluster.balance -= amount;
      if (_liquidatable(cluster, burnFee)) revert InsufficientBalance();
    } else {
      if (cluster.balance < amount) revert InsufficientBalance();
      cluster.balance -= amount;
    }
    _clusters[key] = _hash(cluster);
    _pay(msg.sender, amount);
    emit ClusterWithdrawn(msg.sender, operatorIds, amount, cluster);
  }

  function liquidate(address clusterOwner, uint64[] memory operatorIds, Cluster memory cluster) external {
    bytes32 key = _checkCluster(clusterOwner, operatorIds, cluster);
    if (!cluster.active) revert ClusterIsLiquidated();
    (uint64 index, uint64 burnFee) = _updateOperators(operatorIds, false, false, cluster.validatorCount);
    _settle(cluster, index);
    if (clusterOwner != msg.sender && !_liquidatable(cluster, burnFee)) revert ClusterNotLiquidatable();
    uint256 balance = cluster.balance;
    cluster.balance = 0;
    cluster.index = 0;
    cluster.networkFeeIndex = 0;
    cluster.active = false;
    _clusters[key] = _hash(cluster);
    if (balance != 0) _pay(msg.sender, balance);
    emit ClusterLiquidated(clusterOwner, operatorIds, cluster);
  }

  /// @dev registerValidator/bulkRegisterValidator of both eras: `amount` is added to the balance.
  function _registerValidators(
    bytes[] memory publicKeys,
    uint64[] memory operatorIds,
    bytes[] memory sharesData,
    uint256 amount,
    Cluster memory cluster
  ) internal {
    uint256 count = publicKeys.length;
    if (count == 0) revert EmptyPublicKeysList();
    if (count != sharesData.length) revert PublicKeysSharesLengthMismatch();
    uint256 size = operatorIds.length;
    if (size < 4 || size > 13 || size % 3 != 1) revert InvalidOperatorIdsLength();
    bytes32 idsHash = keccak256(abi.encodePacked(operatorIds));
    for (uint256 i; i < count; ++i) {
      bytes memory publicKey = publicKeys[i];
      if (publicKey.length != 48) revert InvalidPublicKeyLength();
      bytes32 validatorKey = keccak256(abi.encodePacked(publicKey, msg.sender));
      if (_validators[validatorKey] != bytes32(0)) revert ValidatorAlreadyExistsWithData(publicKey);
      _validators[validatorKey] = idsHash | bytes32(uint256(1));
    }
    bytes32 key = keccak256(abi.encodePacked(msg.sender, operatorIds));
    bytes32 stored = _clusters[key];
    if (stored == bytes32(0)) {
      Cluster memory empty = Cluster(0, 0, 0, true, 0);
      if (_hash(cluster) != _hash(empty)) revert IncorrectClusterState();
    } else {
      if (stored != _hash(cluster)) revert IncorrectClusterState();
      if (!cluster.active) revert ClusterIsLiquidated();
    }
    cluster.balance += amount;
    (uint64 index, uint64 burnFee) = _updateOperators(operatorIds, true, true, uint32(count));
    _settle(cluster, index);
    cluster.validatorCount += uint32(count);
    if (_liquidatable(cluster, burnFee)) revert InsufficientBalance();
    _clusters[key] = _hash(cluster);
    for (uint256 i; i < count; ++i) {
      emit ValidatorAdded(msg.sender, operatorIds, publicKeys[i], sharesData[i], cluster);
    }
  }

  function _reactivate(uint64[] memory operatorIds, uint256 amount, Cluster memory cluster) internal {
    bytes32 key = _checkCluster(msg.sender, operatorIds, cluster);
    if (cluster.active) revert ClusterAlreadyEnabled();
    (uint64 index, uint64 burnFee) = _updateOperators(operatorIds, false, true, cluster.validatorCount);
    cluster.balance += amount;
    cluster.active = true;
    cluster.index = index;
    cluster.networkFeeIndex = _currentNetworkFeeIndex();
    if (_liquidatable(cluster, burnFee)) revert InsufficientBalance();
    _clusters[key] = _hash(cluster);
    emit ClusterReactivated(msg.sender, operatorIds, cluster);
  }

  function _deposit(address clusterOwner, uint64[] memory operatorIds, uint256 amount, Cluster memory cluster) internal {
    bytes32 key = _checkCluster(clusterOwner, operatorIds, cluster);
    cluster.balance += amount;
    _clusters[key] = _hash(cluster);
    emit ClusterDeposited(clusterOwner, operatorIds, amount, cluster);
  }

  function _removeValidators(bytes[] memory publicKeys, uint64[] memory operatorIds, Cluster memory cluster) internal {
    bytes32 key = _checkCluster(msg.sender, operatorIds, cluster);
    bytes32 idsHash = keccak256(abi.encodePacked(operatorIds));
    uint32 count = uint32(publicKeys.length);
    for (uint256 i; i < count; ++i) {
      bytes32 validatorKey = keccak256(abi.encodePacked(publicKeys[i], msg.sender));
      bytes32 stored = _validators[validatorKey];
      if (stored == bytes32(0)) revert ValidatorDoesNotExist();
      if (stored != idsHash | bytes32(uint256(1))) revert IncorrectValidatorStateWithData(publicKeys[i]);
      delete _validators[validatorKey];
    }
    if (cluster.active) {
      (uint64 index, ) = _updateOperators(operatorIds, false, false, count);
      _settle(cluster, index);
    }
    cluster.validatorCount -= count;
    _clusters[key] = _hash(cluster);
    for (uint256 i; i < count; ++i) emit ValidatorRemoved(msg.sender, operatorIds, publicKeys[i], cluster);
  }

  function _exitValidator(bytes calldata publicKey, uint64[] calldata operatorIds) private {
    bytes32 stored = _validators[keccak256(abi.encodePacked(publicKey, msg.sender))];
    if (stored != keccak256(abi.encodePacked(operatorIds)) | bytes32(uint256(1))) {
      revert IncorrectValidatorStateWithData(publicKey);
    }
    emit ValidatorExited(msg.sender, operatorIds, publicKey);
  }

  // ---- views (SSVNetworkViews forwards here) ----

  function getValidator(address clusterOwner, bytes calldata publicKey) external view returns (bool) {
    return _validators[keccak256(abi.encodePacked(publicKey, clusterOwner))] & bytes32(uint256(1)) != 0;
  }

  function getOperatorById(
    uint64 operatorId
  )
    external
    view
    returns (
      address owner,
      uint256 fee,
      uint32 validatorCount,
      address whitelistedAddress,
      bool isPrivate,
      bool active
    )
  {
    Operator memory operator = _operators[operatorId];
    return (
      operator.owner,
      _expand(operator.fee),
      operator.validatorCount,
      address(0),
      operator.isPrivate,
      operator.snapshotBlock != 0
    );
  }

  function getOperatorFee(uint64 operatorId) external view returns (uint256) {
    Operator memory operator = _operators[operatorId];
    if (operator.owner == address(0)) revert OperatorDoesNotExist();
    return _expand(operator.fee);
  }

  function getNetworkFee() external view returns (uint256) {
    return _expand(_networkFee);
  }

  function getLiquidationThresholdPeriod() external view returns (uint64) {
    return _liquidationThresholdPeriod;
  }

  function getMinimumLiquidationCollateral() external view returns (uint256) {
    return _minimumLiquidationCollateral;
  }

  function getValidatorsPerOperatorLimit() external view returns (uint32) {
    return _validatorsPerOperatorLimit;
  }

  function getBalance(address clusterOwner, uint64[] memory operatorIds, Cluster memory cluster) external view returns (uint256) {
    _checkCluster(clusterOwner, operatorIds, cluster);
    if (!cluster.active) revert ClusterIsLiquidated();
    (uint64 index, ) = _currentOperators(operatorIds);
    _settle(cluster, index);
    return cluster.balance;
  }

  function getBurnRate(address clusterOwner, uint64[] memory operatorIds, Cluster memory cluster) external view returns (uint256) {
    _checkCluster(clusterOwner, operatorIds, cluster);
    (, uint64 fee) = _currentOperators(operatorIds);
    return _expand((fee + _networkFee) * cluster.validatorCount);
  }

  function isLiquidatable(address clusterOwner, uint64[] memory operatorIds, Cluster memory cluster) external view returns (bool) {
    _checkCluster(clusterOwner, operatorIds, cluster);
    if (!cluster.active) return false;
    (uint64 index, uint64 fee) = _currentOperators(operatorIds);
    _settle(cluster, index);
    return _liquidatable(cluster, fee);
  }

  function isLiquidated(address clusterOwner, uint64[] memory operatorIds, Cluster memory cluster) external view returns (bool) {
    _checkCluster(clusterOwner, operatorIds, cluster);
    return !cluster.active;
  }

  // ---- internals ----

  function _hash(Cluster memory cluster) internal pure returns (bytes32) {
    return
      keccak256(
        abi.encodePacked(cluster.validatorCount, cluster.networkFeeIndex, cluster.index, cluster.balance, cluster.active)
      );
  }

  /// @dev The cluster's key, after checking that `cluster` is its stored snapshot.
  function _checkCluster(address owner, uint64[] memory operatorIds, Cluster memory cluster) internal view returns (bytes32 key) {
    key = keccak256(abi.encodePacked(owner, operatorIds));
    bytes32 stored = _clusters[key];
    if (stored == bytes32(0)) _revertClusterDoesNotExist();
    if (stored != _hash(cluster)) revert IncorrectClusterState();
  }

  function _currentNetworkFeeIndex() internal view returns (uint64) {
    return uint64(block.number - _deployBlock) * _networkFee;
  }

  /// @dev Takes the usage since the cluster's indexes from its balance and moves it to `index`.
  function _settle(Cluster memory cluster, uint64 index) internal view {
    uint64 networkFeeIndex = _currentNetworkFeeIndex();
    uint256 usage = _expand(
      ((index - cluster.index) + (networkFeeIndex - cluster.networkFeeIndex)) * cluster.validatorCount
    );
    cluster.balance = usage > cluster.balance ? 0 : cluster.balance - usage;
    cluster.index = index;
    cluster.networkFeeIndex = networkFeeIndex;
  }

  function _liquidatable(Cluster memory cluster, uint64 operatorsFee) internal view returns (bool) {
    if (cluster.validatorCount == 0) return false;
    if (cluster.balance < _minimumLiquidationCollateral) return true;
    return cluster.balance < _expand(_liquidationThresholdPeriod * (operatorsFee + _networkFee) * cluster.validatorCount);
  }

  /// @dev Σ current operator indexes and Σ fees of existing operators (no state change).
  function _currentOperators(uint64[] memory operatorIds) internal view returns (uint64 index, uint64 fee) {
    for (uint256 i; i < operatorIds.length; ++i) {
      Operator memory operator = _operators[operatorIds[i]];
      index += _operatorIndex(operator);
      fee += operator.fee;
    }
  }

  /**
   * @dev Snapshots the cluster's operators and changes their validator counts by `delta`;
   * returns Σ indexes and Σ fees. Registration also checks order, existence and privacy;
   * otherwise removed operators are skipped (their frozen index still counts).
   */
  function _updateOperators(
    uint64[] memory operatorIds,
    bool registering,
    bool increase,
    uint32 delta
  ) internal returns (uint64 index, uint64 fee) {
    for (uint256 i; i < operatorIds.length; ++i) {
      uint64 id = operatorIds[i];
      Operator storage operator = _operators[id];
      if (registering) {
        if (i + 1 < operatorIds.length) {
          if (id > operatorIds[i + 1]) revert UnsortedOperatorsList();
          if (id == operatorIds[i + 1]) revert OperatorsListNotUnique();
        }
        if (operator.snapshotBlock == 0) revert OperatorDoesNotExist();
        if (operator.isPrivate && operator.owner != msg.sender) revert CallerNotWhitelistedWithData(id);
      }
      if (operator.snapshotBlock != 0) {
        _snapshot(operator);
        if (!increase) operator.validatorCount -= delta;
        else if ((operator.validatorCount += delta) > _validatorsPerOperatorLimit) {
          revert ExceedValidatorLimitWithData(id);
        }
        fee += operator.fee;
      }
      index += operator.snapshotIndex;
    }
  }

  function _operatorIndex(Operator memory operator) private view returns (uint64) {
    if (operator.snapshotBlock == 0) return operator.snapshotIndex;
    return operator.snapshotIndex + uint64(block.number - operator.snapshotBlock) * operator.fee;
  }

  function _snapshot(Operator storage operator) private {
    operator.snapshotIndex = _operatorIndex(operator);
    operator.snapshotBlock = uint32(block.number);
  }

  function _ownedOperator(uint64 operatorId) private view returns (Operator storage operator) {
    operator = _operators[operatorId];
    if (operator.snapshotBlock == 0) revert OperatorDoesNotExist();
    if (operator.owner != msg.sender) revert CallerNotOwnerWithData(msg.sender, operator.owner);
  }

  function _setFee(uint64 operatorId, Operator storage operator, uint64 fee) private {
    _snapshot(operator);
    operator.fee = fee;
    delete _feeDeclarations[operatorId];
    emit OperatorFeeExecuted(msg.sender, operatorId, block.number, _expand(fee));
  }

  function _shrink(uint256 value) internal pure returns (uint64) {
    _checkPrecision(value);
    return uint64(value / _deductedDigits());
  }

  function _expand(uint64 value) internal pure returns (uint256) {
    return uint256(value) * _deductedDigits();
  }
}
