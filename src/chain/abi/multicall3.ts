/**
 * Multicall3 (canonical address 0xcA11bde05977b3631167028862bE2a173976CA11 on every network and on
 * the devnet): batched calls in one transaction or one eth_call.
 */
const call = {
  name: "calls",
  type: "tuple[]",
  components: [
    { name: "target", type: "address" },
    { name: "callData", type: "bytes" },
  ],
} as const;

const results = {
  name: "returnData",
  type: "tuple[]",
  components: [
    { name: "success", type: "bool" },
    { name: "returnData", type: "bytes" },
  ],
} as const;

export const multicall3Abi = [
  {
    type: "function",
    name: "aggregate",
    stateMutability: "payable",
    inputs: [call],
    outputs: [
      { name: "blockNumber", type: "uint256" },
      { name: "returnData", type: "bytes[]" },
    ],
  },
  {
    type: "function",
    name: "tryAggregate",
    stateMutability: "payable",
    inputs: [{ name: "requireSuccess", type: "bool" }, call],
    outputs: [results],
  },
  {
    type: "function",
    name: "aggregate3",
    stateMutability: "payable",
    inputs: [
      {
        name: "calls",
        type: "tuple[]",
        components: [
          { name: "target", type: "address" },
          { name: "allowFailure", type: "bool" },
          { name: "callData", type: "bytes" },
        ],
      },
    ],
    outputs: [results],
  },
  {
    type: "function",
    name: "getEthBalance",
    stateMutability: "view",
    inputs: [{ name: "addr", type: "address" }],
    outputs: [{ name: "balance", type: "uint256" }],
  },
  {
    type: "function",
    name: "getBlockNumber",
    stateMutability: "view",
    inputs: [],
    outputs: [{ name: "blockNumber", type: "uint256" }],
  },
  {
    type: "function",
    name: "getCurrentBlockTimestamp",
    stateMutability: "view",
    inputs: [],
    outputs: [{ name: "timestamp", type: "uint256" }],
  },
  {
    type: "function",
    name: "getChainId",
    stateMutability: "view",
    inputs: [],
    outputs: [{ name: "chainid", type: "uint256" }],
  },
  {
    type: "function",
    name: "getBasefee",
    stateMutability: "view",
    inputs: [],
    outputs: [{ name: "basefee", type: "uint256" }],
  },
] as const;
