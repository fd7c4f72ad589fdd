/**
 * A PublicClient over a hand-written EIP-1193 transport that answers Multicall3 `aggregate3`
 * eth_calls from plain functions per contract and function name, for unit tests of readers that
 * batch their reads. A function that is missing, or that throws, fails its call (success = false),
 * as a revert or an absent function does on chain.
 */
import {
  type Abi,
  type Address,
  createPublicClient,
  custom,
  decodeFunctionData,
  type EIP1193RequestFn,
  encodeFunctionResult,
  type Hex,
  type PublicClient,
} from "viem";
import { multicall3Abi } from "../../src/chain/abi/multicall3.ts";

export interface FakeContract {
  address: Address;
  abi: Abi;
  /** Answers by function name: the decoded arguments in, the function's result out. */
  answers: Record<string, (args: readonly unknown[]) => unknown>;
}

export interface FakeMulticall3 {
  client: PublicClient;
  /** Every eth_call: its target and block tag, in order. */
  ethCalls: { to: Address; block: string | undefined }[];
  /** Every inner call of every aggregate3, as "<contract address>.<function>". */
  innerCalls: string[];
}

export function createFakeMulticall3(params: {
  multicall3: Address;
  contracts: readonly FakeContract[];
  blockNumber?: bigint;
}): FakeMulticall3 {
  const ethCalls: FakeMulticall3["ethCalls"] = [];
  const innerCalls: string[] = [];
  const byAddress = new Map(params.contracts.map((c) => [c.address.toLowerCase(), c]));

  function answer(target: Address, callData: Hex): { success: boolean; returnData: Hex } {
    if (target.toLowerCase() === params.multicall3.toLowerCase()) {
      innerCalls.push(`${target}.getBlockNumber`);
      return {
        success: true,
        returnData: encodeFunctionResult({
          abi: multicall3Abi,
          functionName: "getBlockNumber",
          result: params.blockNumber ?? 1n,
        }),
      };
    }
    const contract = byAddress.get(target.toLowerCase());
    if (!contract) return { success: true, returnData: "0x" }; // no code at the address
    const { functionName, args } = decodeFunctionData({ abi: contract.abi, data: callData });
    innerCalls.push(`${contract.address}.${functionName}`);
    const fn = contract.answers[functionName];
    if (!fn) return { success: false, returnData: "0x" };
    try {
      const result = fn(args ?? []);
      return {
        success: true,
        returnData: encodeFunctionResult({ abi: contract.abi, functionName, result } as never),
      };
    } catch {
      return { success: false, returnData: "0x" };
    }
  }

  const request = (async ({ method, params: rpcParams }: { method: string; params?: unknown }) => {
    if (method === "eth_chainId") return "0x1";
    if (method !== "eth_call") throw new Error(`fake Multicall3 client: unexpected ${method}`);
    const [call, block] = rpcParams as [{ to: Address; data: Hex }, string | undefined];
    ethCalls.push({ to: call.to, block });
    if (call.to.toLowerCase() !== params.multicall3.toLowerCase()) return "0x";
    const { functionName, args } = decodeFunctionData({ abi: multicall3Abi, data: call.data });
    if (functionName !== "aggregate3") throw new Error(`fake Multicall3 client: unexpected ${functionName}`);
    const [calls] = args as readonly [readonly { target: Address; callData: Hex }[]];
    return encodeFunctionResult({
      abi: multicall3Abi,
      functionName: "aggregate3",
      result: calls.map((c) => answer(c.target, c.callData)),
    });
  }) as EIP1193RequestFn;

  return {
    client: createPublicClient({ transport: custom({ request }, { retryCount: 0 }) }),
    ethCalls,
    innerCalls,
  };
}
