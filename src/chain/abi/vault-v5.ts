import { protocolErrorsAbi } from "./errors.ts";
import { approvalParamsComponents, harvestParamsComponents } from "./structs.ts";

const view = (name: string, type: string) =>
  ({ type: "function", name, stateMutability: "view", inputs: [], outputs: [{ name: "", type }] }) as const;

/**
 * Today's vault (version 5, v3-core v4.x): the validators manager, 0x01/0x02 registration,
 * top-ups, EIP-7002 withdrawals and EIP-7251 consolidations, harvest, the exit queue and
 * multicall. Signatures as in v3-core v4.0.1's IVaultValidators, IVaultState, IVaultEnterExit,
 * IVaultVersion and IVaultMev. Vaults of versions 2–4 answer a subset: validatorsManager and
 * registerValidators (176-byte entries only) but not the nonce, v2Validators, fund, withdraw or
 * consolidate.
 */
export const vaultV5Abi = [
  {
    type: "function",
    name: "version",
    stateMutability: "pure",
    inputs: [],
    outputs: [{ name: "", type: "uint8" }],
  },
  {
    type: "function",
    name: "vaultId",
    stateMutability: "pure",
    inputs: [],
    outputs: [{ name: "", type: "bytes32" }],
  },
  view("admin", "address"),
  /** Version ≥ 2: who may register; the DepositDataRegistry by default after the upgrade. */
  view("validatorsManager", "address"),
  /** Version ≥ 2: the value signed as validatorsRegistryRoot for fund/withdraw/consolidate. */
  view("validatorsManagerNonce", "uint256"),
  {
    type: "function",
    name: "v2Validators",
    stateMutability: "view",
    inputs: [{ name: "publicKeyHash", type: "bytes32" }],
    outputs: [{ name: "", type: "bool" }],
  },
  view("mevEscrow", "address"),
  view("totalAssets", "uint256"),
  view("totalShares", "uint256"),
  view("capacity", "uint256"),
  view("withdrawableAssets", "uint256"),
  view("isStateUpdateRequired", "bool"),
  {
    type: "function",
    name: "getExitQueueData",
    stateMutability: "view",
    inputs: [],
    outputs: [
      { name: "queuedShares", type: "uint128" },
      { name: "unclaimedAssets", type: "uint128" },
      { name: "totalExitingTickets", type: "uint128" },
      { name: "totalExitingAssets", type: "uint128" },
      { name: "totalTickets", type: "uint256" },
    ],
  },
  {
    type: "function",
    name: "getShares",
    stateMutability: "view",
    inputs: [{ name: "account", type: "address" }],
    outputs: [{ name: "", type: "uint256" }],
  },
  {
    type: "function",
    name: "convertToShares",
    stateMutability: "view",
    inputs: [{ name: "assets", type: "uint256" }],
    outputs: [{ name: "shares", type: "uint256" }],
  },
  {
    type: "function",
    name: "convertToAssets",
    stateMutability: "view",
    inputs: [{ name: "shares", type: "uint256" }],
    outputs: [{ name: "assets", type: "uint256" }],
  },
  {
    type: "function",
    name: "getExitQueueIndex",
    stateMutability: "view",
    inputs: [{ name: "positionTicket", type: "uint256" }],
    outputs: [{ name: "", type: "int256" }],
  },
  {
    type: "function",
    name: "enterExitQueue",
    stateMutability: "nonpayable",
    inputs: [
      { name: "shares", type: "uint256" },
      { name: "receiver", type: "address" },
    ],
    outputs: [{ name: "positionTicket", type: "uint256" }],
  },
  {
    type: "function",
    name: "deposit",
    stateMutability: "payable",
    inputs: [
      { name: "receiver", type: "address" },
      { name: "referrer", type: "address" },
    ],
    outputs: [{ name: "shares", type: "uint256" }],
  },
  {
    type: "function",
    name: "updateStateAndDeposit",
    stateMutability: "payable",
    inputs: [
      { name: "receiver", type: "address" },
      { name: "referrer", type: "address" },
      { name: "harvestParams", type: "tuple", components: harvestParamsComponents },
    ],
    outputs: [{ name: "shares", type: "uint256" }],
  },
  {
    type: "function",
    name: "updateState",
    stateMutability: "nonpayable",
    inputs: [{ name: "harvestParams", type: "tuple", components: harvestParamsComponents }],
    outputs: [],
  },
  /**
   * Version ≥ 2. An empty validatorsManagerSignature means "the sender is the manager"; otherwise an
   * EIP-712 VaultValidators signature over (deposit contract root, validators).
   */
  {
    type: "function",
    name: "registerValidators",
    stateMutability: "nonpayable",
    inputs: [
      { name: "keeperParams", type: "tuple", components: approvalParamsComponents },
      { name: "validatorsManagerSignature", type: "bytes" },
    ],
    outputs: [],
  },
  /** Top-ups of tracked 0x02 validators: 184-byte entries only. */
  {
    type: "function",
    name: "fundValidators",
    stateMutability: "nonpayable",
    inputs: [
      { name: "validators", type: "bytes" },
      { name: "validatorsManagerSignature", type: "bytes" },
    ],
    outputs: [],
  },
  /** EIP-7002 requests, 56-byte entries; msg.value pays the fee of each, the rest is refunded. */
  {
    type: "function",
    name: "withdrawValidators",
    stateMutability: "payable",
    inputs: [
      { name: "validators", type: "bytes" },
      { name: "validatorsManagerSignature", type: "bytes" },
    ],
    outputs: [],
  },
  /** EIP-7251 requests, 96-byte entries; oracleSignatures may be empty for a tracked target. */
  {
    type: "function",
    name: "consolidateValidators",
    stateMutability: "payable",
    inputs: [
      { name: "validators", type: "bytes" },
      { name: "validatorsManagerSignature", type: "bytes" },
      { name: "oracleSignatures", type: "bytes" },
    ],
    outputs: [],
  },
  {
    type: "function",
    name: "setValidatorsManager",
    stateMutability: "nonpayable",
    inputs: [{ name: "_validatorsManager", type: "address" }],
    outputs: [],
  },
  {
    type: "function",
    name: "multicall",
    stateMutability: "nonpayable",
    inputs: [{ name: "data", type: "bytes[]" }],
    outputs: [{ name: "results", type: "bytes[]" }],
  },
  {
    type: "event",
    name: "ValidatorRegistered",
    inputs: [{ name: "publicKey", type: "bytes", indexed: false }],
  },
  {
    type: "event",
    name: "V2ValidatorRegistered",
    inputs: [
      { name: "publicKey", type: "bytes", indexed: false },
      { name: "amount", type: "uint256", indexed: false },
    ],
  },
  {
    type: "event",
    name: "ValidatorWithdrawalSubmitted",
    inputs: [
      { name: "publicKey", type: "bytes", indexed: false },
      { name: "amount", type: "uint256", indexed: false },
      { name: "feePaid", type: "uint256", indexed: false },
    ],
  },
  {
    type: "event",
    name: "ValidatorFunded",
    inputs: [
      { name: "publicKey", type: "bytes", indexed: false },
      { name: "amount", type: "uint256", indexed: false },
    ],
  },
  {
    type: "event",
    name: "ValidatorConsolidationSubmitted",
    inputs: [
      { name: "fromPublicKey", type: "bytes", indexed: false },
      { name: "toPublicKey", type: "bytes", indexed: false },
      { name: "feePaid", type: "uint256", indexed: false },
    ],
  },
  {
    type: "event",
    name: "KeysManagerUpdated",
    inputs: [
      { name: "caller", type: "address", indexed: true },
      { name: "keysManager", type: "address", indexed: true },
    ],
  },
  {
    type: "event",
    name: "ValidatorsRootUpdated",
    inputs: [
      { name: "caller", type: "address", indexed: true },
      { name: "validatorsRoot", type: "bytes32", indexed: true },
    ],
  },
  {
    type: "event",
    name: "ValidatorsManagerUpdated",
    inputs: [
      { name: "caller", type: "address", indexed: true },
      { name: "validatorsManager", type: "address", indexed: true },
    ],
  },
  {
    type: "event",
    name: "Deposited",
    inputs: [
      { name: "caller", type: "address", indexed: true },
      { name: "receiver", type: "address", indexed: true },
      { name: "assets", type: "uint256", indexed: false },
      { name: "shares", type: "uint256", indexed: false },
      { name: "referrer", type: "address", indexed: false },
    ],
  },
  {
    type: "event",
    name: "ExitQueueEntered",
    inputs: [
      { name: "owner", type: "address", indexed: true },
      { name: "receiver", type: "address", indexed: true },
      { name: "positionTicket", type: "uint256", indexed: false },
      { name: "shares", type: "uint256", indexed: false },
    ],
  },
  {
    type: "event",
    name: "V2ExitQueueEntered",
    inputs: [
      { name: "owner", type: "address", indexed: true },
      { name: "receiver", type: "address", indexed: true },
      { name: "positionTicket", type: "uint256", indexed: false },
      { name: "shares", type: "uint256", indexed: false },
      { name: "assets", type: "uint256", indexed: false },
    ],
  },
  ...protocolErrorsAbi,
] as const;
