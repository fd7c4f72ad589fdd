// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {Errors} from "./Errors.sol";
import {IDepositContract, IKeeperValidators} from "./Interfaces.sol";
import {Signatures} from "./Signatures.sol";
import {ValidatorBytes} from "./ValidatorBytes.sol";
import {VaultExitQueue} from "./VaultExitQueue.sol";

interface IConsolidationsChecker {
  function verifySignatures(address vault, bytes calldata validators, bytes calldata signatures) external view;
}

/**
 * @title VaultValidatorsV5
 * @notice Validators of today's vaults (v3-core v4): one validators manager decides what the vault
 * registers, tops up, withdraws and consolidates. The manager either sends the transaction itself
 * (empty manager signature) or signs EIP-712 `VaultValidators(bytes32 validatorsRegistryRoot,bytes
 * validators)` in the domain {"VaultValidators", "1", chainId, vault} for any sender. The signed
 * "validatorsRegistryRoot" is the oracles' approved deposit root for a registration and
 * bytes32(validatorsManagerNonce) for the other actions; every accepted signature bumps the nonce.
 *
 * Withdrawals (EIP-7002) and consolidations (EIP-7251) pay each request's current fee out of
 * msg.value, read from the request contract by an empty static call, and refund the rest.
 */
abstract contract VaultValidatorsV5 is VaultExitQueue {
  using ValidatorBytes for bytes;

  bytes32 private constant VALIDATORS_MANAGER_TYPEHASH =
    keccak256("VaultValidators(bytes32 validatorsRegistryRoot,bytes validators)");

  IDepositContract private immutable _validatorsRegistry;
  address private immutable _validatorsWithdrawals;
  address private immutable _validatorsConsolidations;
  address private immutable _consolidationsChecker;

  address public validatorsManager;
  mapping(bytes32 publicKeyHash => bool isRegistered) public v2Validators;
  uint256 public validatorsManagerNonce;
  bool private _entered;

  event ValidatorRegistered(bytes publicKey);
  event V2ValidatorRegistered(bytes publicKey, uint256 amount);
  event ValidatorWithdrawalSubmitted(bytes publicKey, uint256 amount, uint256 feePaid);
  event ValidatorFunded(bytes publicKey, uint256 amount);
  event ValidatorConsolidationSubmitted(bytes fromPublicKey, bytes toPublicKey, uint256 feePaid);
  event ValidatorsManagerUpdated(address indexed caller, address indexed validatorsManager);

  error ReentrancyGuardReentrantCall();

  struct ValidatorsConfig {
    IDepositContract validatorsRegistry;
    address validatorsWithdrawals;
    address validatorsConsolidations;
    address consolidationsChecker;
    /// @dev Zero leaves the vault without a manager until the admin sets one
    address validatorsManager;
  }

  constructor(ValidatorsConfig memory config) {
    _validatorsRegistry = config.validatorsRegistry;
    _validatorsWithdrawals = config.validatorsWithdrawals;
    _validatorsConsolidations = config.validatorsConsolidations;
    _consolidationsChecker = config.consolidationsChecker;
    if (config.validatorsManager != address(0)) {
      validatorsManager = config.validatorsManager;
      emit ValidatorsManagerUpdated(msg.sender, config.validatorsManager);
    }
  }

  modifier nonReentrant() {
    if (_entered) revert ReentrancyGuardReentrantCall();
    _entered = true;
    _;
    _entered = false;
  }

  function registerValidators(
    IKeeperValidators.ApprovalParams calldata keeperParams,
    bytes calldata validatorsManagerSignature
  ) external {
    IKeeperValidators(address(_keeper)).approveValidators(keeperParams);
    _checkHarvested();
    if (
      !_isValidatorsManager(
        keeperParams.validators,
        keeperParams.validatorsRegistryRoot,
        validatorsManagerSignature
      )
    ) revert Errors.AccessDenied();
    _depositValidators(keeperParams.validators, false);
  }

  /// @notice Tops up 0x02 validators this vault registered (or took in by consolidation).
  function fundValidators(bytes calldata validators, bytes calldata validatorsManagerSignature) external {
    _checkHarvested();
    if (!_isValidatorsManager(validators, bytes32(validatorsManagerNonce), validatorsManagerSignature)) {
      revert Errors.AccessDenied();
    }
    _depositValidators(validators, true);
  }

  /// @param validators pubkey (48) ‖ amount in gwei (uint64 BE) per request; amount 0 is a full exit
  function withdrawValidators(
    bytes calldata validators,
    bytes calldata validatorsManagerSignature
  ) external payable nonReentrant {
    _checkCollateralized();
    if (!_isValidatorsManager(validators, bytes32(validatorsManagerNonce), validatorsManagerSignature)) {
      revert Errors.AccessDenied();
    }
    uint256 entries = validators.count(ValidatorBytes.WITHDRAWAL_LENGTH);
    uint256 unspent = msg.value;
    for (uint256 i = 0; i < entries; ++i) {
      bytes calldata entry = validators[i * ValidatorBytes.WITHDRAWAL_LENGTH:(i + 1) *
        ValidatorBytes.WITHDRAWAL_LENGTH];
      uint256 fee = _submitRequest(_validatorsWithdrawals, entry);
      unspent -= fee;
      emit ValidatorWithdrawalSubmitted(entry[:48], uint256(uint64(bytes8(entry[48:56]))) * 1 gwei, fee);
    }
    _refund(unspent);
  }

  /**
   * @param validators source pubkey (48) ‖ target pubkey (48) per request
   * @param oracleSignatures Empty, or the oracles' ConsolidationsChecker approval; approved targets
   * become this vault's 0x02 validators, otherwise every target must already be one
   */
  function consolidateValidators(
    bytes calldata validators,
    bytes calldata validatorsManagerSignature,
    bytes calldata oracleSignatures
  ) external payable nonReentrant {
    _checkCollateralized();
    if (!_isValidatorsManager(validators, bytes32(validatorsManagerNonce), validatorsManagerSignature)) {
      revert Errors.AccessDenied();
    }
    bool approved = oracleSignatures.length > 0;
    if (approved) {
      IConsolidationsChecker(_consolidationsChecker).verifySignatures(address(this), validators, oracleSignatures);
    }

    uint256 entries = validators.count(ValidatorBytes.CONSOLIDATION_LENGTH);
    uint256 unspent = msg.value;
    for (uint256 i = 0; i < entries; ++i) {
      bytes calldata entry = validators[i * ValidatorBytes.CONSOLIDATION_LENGTH:(i + 1) *
        ValidatorBytes.CONSOLIDATION_LENGTH];
      uint256 fee = _submitRequest(_validatorsConsolidations, entry);
      bytes32 targetHash = keccak256(entry[48:96]);
      if (approved) v2Validators[targetHash] = true;
      else if (!v2Validators[targetHash]) revert Errors.InvalidValidators();
      unspent -= fee;
      emit ValidatorConsolidationSubmitted(entry[:48], entry[48:96], fee);
    }
    _refund(unspent);
  }

  function setValidatorsManager(address validatorsManager_) external {
    _checkAdmin();
    if (validatorsManager_ == validatorsManager) revert Errors.ValueNotChanged();
    validatorsManager = validatorsManager_;
    emit ValidatorsManagerUpdated(msg.sender, validatorsManager_);
  }

  /**
   * @dev Registrations (topUp false) or top-ups of a list of one kind. The events of the whole list
   * come first, then the deposits, the order the protocol's logs have.
   */
  function _depositValidators(bytes calldata validators, bool topUp) private {
    bool v1 = ValidatorBytes.isV1List(validators.length);
    if (topUp && v1) revert Errors.CannotTopUpV1Validators();
    uint256 entryLength = v1 ? ValidatorBytes.V1_LENGTH : ValidatorBytes.V2_LENGTH;
    uint256 entries = validators.length / entryLength;

    for (uint256 i = 0; i < entries; ++i) {
      bytes calldata entry = validators[i * entryLength:(i + 1) * entryLength];
      bytes calldata publicKey = entry[:48];
      uint256 amount = entry.depositAmount(v1);
      if (topUp) {
        if (!v2Validators[keccak256(publicKey)]) revert Errors.InvalidValidators();
        emit ValidatorFunded(publicKey, amount);
        continue;
      }
      if (amount < ValidatorBytes.MIN_EFFECTIVE_BALANCE || amount > ValidatorBytes.MAX_EFFECTIVE_BALANCE) {
        revert Errors.InvalidAssets();
      }
      if (v1) {
        emit ValidatorRegistered(publicKey);
      } else {
        v2Validators[keccak256(publicKey)] = true;
        emit V2ValidatorRegistered(publicKey, amount);
      }
    }

    bytes memory credentials = ValidatorBytes.withdrawalCredentials(v1, address(this));
    uint256 available = withdrawableAssets();
    for (uint256 i = 0; i < entries; ++i) {
      bytes calldata entry = validators[i * entryLength:(i + 1) * entryLength];
      uint256 amount = entry.depositAmount(v1);
      _validatorsRegistry.deposit{value: amount}(entry[:48], credentials, entry[48:144], bytes32(entry[144:176]));
      // Checked arithmetic: a list the vault cannot pay for reverts with an underflow, as in the protocol.
      available -= amount;
    }
  }

  /// @dev Pays one request at the contract's current fee; a failing request reverts with its reason.
  function _submitRequest(address requests, bytes calldata entry) private returns (uint256 fee) {
    (bool read, bytes memory answer) = requests.staticcall("");
    if (!read || answer.length < 32) revert Errors.InvalidValidators();
    fee = uint256(bytes32(answer));
    (bool ok, bytes memory reason) = requests.call{value: fee}(entry);
    if (!ok) {
      assembly ("memory-safe") {
        revert(add(reason, 32), mload(reason))
      }
    }
  }

  function _refund(uint256 amount) private {
    if (amount == 0) return;
    (bool sent, ) = payable(msg.sender).call{value: amount}("");
    require(sent, "refund failed");
  }

  /// @dev True when the caller is the manager or brings its signature; a signature spends the nonce.
  function _isValidatorsManager(
    bytes calldata validators,
    bytes32 nonce,
    bytes calldata signature
  ) private returns (bool) {
    address manager = validatorsManager;
    if (manager == address(0) || validators.length == 0) return false;
    if (signature.length == 0) return msg.sender == manager;

    bytes32 digest = Signatures.typedDataHash(
      "VaultValidators",
      address(this),
      keccak256(abi.encode(VALIDATORS_MANAGER_TYPEHASH, nonce, keccak256(validators)))
    );
    if (!Signatures.isValidSignatureNow(manager, digest, signature)) return false;
    validatorsManagerNonce += 1;
    return true;
  }
}
