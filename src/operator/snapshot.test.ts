import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { VaultSnapshot } from "../chain/vault-reader.ts";
import type { OracleSet } from "../oracles/oracle-set.ts";
import { createSnapshotSource, type SnapshotParts } from "./snapshot.ts";

const VAULT = "0x3320ad928c20187602a2b2c04eeaa813fa899468";
const PARAMS = { rewardsRoot: `0x${"11".repeat(32)}`, reward: 5n, unlockedMevReward: 0n, proof: [] } as const;

function parts(canHarvest: boolean, inRewardsFile = true) {
  const calls: string[] = [];
  const p: SnapshotParts = {
    vault: VAULT,
    head: async () => {
      calls.push("head");
      return { number: 42n, timestamp: 1000 };
    },
    readVault: async (vault, block) => {
      calls.push(`vault at ${block}`);
      return { vault, withdrawableAssets: 7n, canHarvest } as VaultSnapshot;
    },
    deposits: async (head) => {
      calls.push(`deposits to ${head}`);
      return { count: 3, has: () => false };
    },
    oracles: async () => {
      calls.push("oracles");
      return {} as OracleSet;
    },
    harvestParams: async () => {
      calls.push("harvest params");
      return inRewardsFile ? PARAMS : undefined;
    },
    assetsAfterHarvest: async (_vault, _params, block) => {
      calls.push(`assets after harvest at ${block}`);
      return 40n;
    },
    fees: async () => {
      calls.push("fees");
      return { maxFeePerGas: 2n, maxPriorityFeePerGas: 1n };
    },
    balance: async () => {
      calls.push("balance");
      return 9n;
    },
  };
  return { p, calls };
}

describe("slot snapshot", () => {
  it("reads the head first, then everything at it once: vault, deposits, oracles, fees, balance", async () => {
    const { p, calls } = parts(false);
    const snapshot = await createSnapshotSource(p).read(new AbortController().signal);
    assert.equal(calls[0], "head");
    assert.deepEqual(calls.slice(1).sort(), ["balance", "deposits to 42", "fees", "oracles", "vault at 42"]);
    assert.equal(snapshot.stakeable, 7n);
    assert.equal(snapshot.harvest, undefined);
    assert.equal(snapshot.balance, 9n);
  });

  it("takes a due harvest and the assets after it, simulated at the same head", async () => {
    const { p, calls } = parts(true);
    const snapshot = await createSnapshotSource(p).read(new AbortController().signal);
    assert.deepEqual(snapshot.harvest, { params: PARAMS, assetsAfter: 40n });
    assert.equal(snapshot.stakeable, 40n);
    assert.deepEqual(calls.slice(-2), ["harvest params", "assets after harvest at 42"]);
  });

  it("has no harvest when the vault is not in the last rewards file", async () => {
    const { p } = parts(true, false);
    const snapshot = await createSnapshotSource(p).read(new AbortController().signal);
    assert.equal(snapshot.harvest, undefined);
    assert.equal(snapshot.stakeable, 7n);
  });
});
