/**
 * The beacon chain deposit contract. DepositEvent's amount and index are 8-byte little-endian
 * integers; reverts carry the official contract's reason strings.
 */
export const depositContractAbi = [
  {
    type: "function",
    name: "deposit",
    stateMutability: "payable",
    inputs: [
      { name: "pubkey", type: "bytes" },
      { name: "withdrawal_credentials", type: "bytes" },
      { name: "signature", type: "bytes" },
      { name: "deposit_data_root", type: "bytes32" },
    ],
    outputs: [],
  },
  {
    type: "function",
    name: "get_deposit_root",
    stateMutability: "view",
    inputs: [],
    outputs: [{ name: "", type: "bytes32" }],
  },
  {
    type: "function",
    name: "get_deposit_count",
    stateMutability: "view",
    inputs: [],
    outputs: [{ name: "", type: "bytes" }],
  },
  {
    type: "function",
    name: "supportsInterface",
    stateMutability: "pure",
    inputs: [{ name: "interfaceId", type: "bytes4" }],
    outputs: [{ name: "", type: "bool" }],
  },
  {
    type: "event",
    name: "DepositEvent",
    inputs: [
      { name: "pubkey", type: "bytes", indexed: false },
      { name: "withdrawal_credentials", type: "bytes", indexed: false },
      { name: "amount", type: "bytes", indexed: false },
      { name: "signature", type: "bytes", indexed: false },
      { name: "index", type: "bytes", indexed: false },
    ],
  },
] as const;
