import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  type Address,
  createPublicClient,
  custom,
  decodeFunctionData,
  type EIP1193RequestFn,
  encodeFunctionResult,
  type Hex,
} from "viem";
import type { NetworkConfig } from "../config/networks.ts";
import { OperatorError } from "../lib/errors.ts";
import { validatorsCheckerAbi } from "./abi/validators-checker.ts";
import { readExitQueueNeed } from "./exit-queue-reader.ts";

const CHECKER: Address = "0xA89629B41477560d49dd56ef1a59BD214362aCDC";
const VAULT: Address = "0x1111111111111111111111111111111111111111";
const network = { name: "hoodi", validatorsChecker: CHECKER } as unknown as NetworkConfig;
const harvestParams = {
  rewardsRoot: `0x${"22".repeat(32)}` as Hex,
  reward: 5n,
  unlockedMevReward: 1n,
  proof: [],
};

/**
 * A ValidatorsChecker double: a harvest adds 10 tickets to the queue; the missing assets are
 * what the target asks for minus what is withdrawing, as the contract would work them out.
 */
function checkerChain() {
  const multicalls: string[][] = [];
  const request = (async ({ method, params }: { method: string; params?: unknown }) => {
    if (method === "eth_chainId") return "0x1";
    if (method !== "eth_call") throw new Error(`unexpected ${method}`);
    const [call] = params as [{ to: Address; data: Hex }];
    assert.equal(call.to.toLowerCase(), CHECKER.toLowerCase());
    const outer = decodeFunctionData({ abi: validatorsCheckerAbi, data: call.data });
    assert.equal(outer.functionName, "multicall");
    let harvested = false;
    const names: string[] = [];
    const results = (outer.args[0] as readonly Hex[]).map((data) => {
      const inner = decodeFunctionData({ abi: validatorsCheckerAbi, data });
      names.push(inner.functionName);
      switch (inner.functionName) {
        case "updateVaultState":
          harvested = true;
          return "0x" as Hex;
        case "getExitQueueCumulativeTickets":
          return encodeFunctionResult({
            abi: validatorsCheckerAbi,
            functionName: "getExitQueueCumulativeTickets",
            result: harvested ? 110n : 100n,
          });
        case "getExitQueueMissingAssets": {
          const [, withdrawing, target] = inner.args as readonly [Address, bigint, bigint];
          const need = target * 10n ** 9n;
          return encodeFunctionResult({
            abi: validatorsCheckerAbi,
            functionName: "getExitQueueMissingAssets",
            result: need > withdrawing ? need - withdrawing : 0n,
          });
        }
        default:
          throw new Error(`unexpected ${inner.functionName}`);
      }
    });
    multicalls.push(names);
    return encodeFunctionResult({ abi: validatorsCheckerAbi, functionName: "multicall", result: results });
  }) as EIP1193RequestFn;
  return { client: createPublicClient({ transport: custom({ request }, { retryCount: 0 }) }), multicalls };
}

describe("readExitQueueNeed", () => {
  it("reads the cumulative tickets, then what the queue misses up to them", async () => {
    const { client, multicalls } = checkerChain();
    const need = await readExitQueueNeed({
      client,
      network,
      vault: VAULT,
      withdrawingAssets: 30n * 10n ** 9n,
    });
    assert.deepEqual(need, { cumulativeTickets: 100n, missingAssets: 70n * 10n ** 9n });
    assert.deepEqual(multicalls, [["getExitQueueCumulativeTickets"], ["getExitQueueMissingAssets"]]);
  });

  it("harvests first in both calls when a harvest is pending", async () => {
    const { client, multicalls } = checkerChain();
    const need = await readExitQueueNeed({
      client,
      network,
      vault: VAULT,
      withdrawingAssets: 0n,
      harvestParams,
    });
    assert.deepEqual(need, { cumulativeTickets: 110n, missingAssets: 110n * 10n ** 9n });
    assert.deepEqual(multicalls, [
      ["updateVaultState", "getExitQueueCumulativeTickets"],
      ["updateVaultState", "getExitQueueMissingAssets"],
    ]);
  });

  it("reports 0 when what is withdrawing covers the queue", async () => {
    const { client } = checkerChain();
    const need = await readExitQueueNeed({ client, network, vault: VAULT, withdrawingAssets: 10n ** 18n });
    assert.equal(need.missingAssets, 0n);
  });

  it("says so when the network has no ValidatorsChecker", async () => {
    const { client } = checkerChain();
    await assert.rejects(
      readExitQueueNeed({
        client,
        network: { name: "devnet" } as NetworkConfig,
        vault: VAULT,
        withdrawingAssets: 0n,
      }),
      (e: unknown) => e instanceof OperatorError && /no ValidatorsChecker address/.test(e.message),
    );
  });
});
