import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import type { OracleKey } from "../accounts.ts";
import { callDevnetControl } from "./control-client.ts";
import { CONTROL_FILE, type DevnetControl, startControlServer } from "./control-server.ts";

/** A devnet double that records what it was asked. */
function recordingControl() {
  const calls: Array<{ keys: readonly OracleKey[]; threshold: number }> = [];
  const control: DevnetControl = {
    oracles: () =>
      calls.at(-1)?.keys.map((k) => ({ address: k.address, endpoint: "http://127.0.0.1:1" })) ?? [],
    recoverThreshold: 2,
    replaceOracles: async (keys, threshold) => {
      calls.push({ keys, threshold });
      return "bafkreiconfig";
    },
    publishRewards: async () => ({
      rewardsRoot: `0x${"00".repeat(32)}`,
      ipfsHash: "bafkreirewards",
      nonce: 3n,
    }),
  };
  return { control, calls };
}

describe("devnet control endpoint", () => {
  it("needs the token of control.json, checks bodies, and is gone with its file on close", async () => {
    const dir = await mkdtemp(join(tmpdir(), "devnet-control-"));
    try {
      const { control, calls } = recordingControl();
      const server = await startControlServer({ control, dir });
      const file = JSON.parse(await readFile(join(dir, CONTROL_FILE), "utf8"));
      assert.equal(file.url, server.url);
      const noToken = await fetch(`${server.url}/oracles`, { method: "POST", body: "{}" });
      assert.equal(noToken.status, 401);

      const answer = await callDevnetControl<{ threshold: number; oracles: unknown[] }>(dir, "/oracles", {
        count: 4,
      });
      assert.equal(answer.threshold, 3, "a majority by default");
      assert.equal(calls[0]?.keys.length, 4);
      await assert.rejects(
        callDevnetControl(dir, "/oracles", { count: 3, threshold: 4 }),
        /^UserInputError: the devnet refused: threshold 4 is more than the 3 oracles$/,
      );
      await assert.rejects(
        callDevnetControl(dir, "/rewards", { vaults: ["0x12"], consensusRewardWei: "1" }),
        /the devnet refused: field "vaults\.0" must be a 0x address/,
      );
      const rewards = await callDevnetControl<{ nonce: string }>(dir, "/rewards", {
        vaults: [`0x${"ab".repeat(20)}`],
        consensusRewardWei: "-5",
        unlockedMevRewardWei: "0",
        lockedMevRewardWei: "0",
      });
      assert.equal(rewards.nonce, "3");
      await server.close();
      await assert.rejects(
        callDevnetControl(dir, "/oracles", { count: 4 }),
        /no devnet is running from .* \(no control\.json\)/,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("a control.json left by a killed devnet reads as a devnet that is not running", async () => {
    const dir = await mkdtemp(join(tmpdir(), "devnet-control-"));
    try {
      await writeFile(
        join(dir, CONTROL_FILE),
        JSON.stringify({ url: "http://127.0.0.1:1", token: "x", pid: 1 }),
      );
      await assert.rejects(
        callDevnetControl(dir, "/oracles", { count: 4 }),
        /the devnet of .*control\.json is not running \(http:\/\/127\.0\.0\.1:1 does not answer\)/,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
