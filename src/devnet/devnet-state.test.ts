import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { createStateWriter, type DevnetState, loadDevnetState, stateDirOf } from "./devnet-state.ts";

const CHAIN = {
  chainId: 31337,
  keeper: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
  anchorBlockHash: "0xaa",
};
const state = (generation: number): DevnetState => ({
  chain: CHAIN,
  genesisTime: 1_700_000_000,
  ipfsPort: 40001,
  beaconPort: 40003,
  oraclePrivateKeys: [`0x${"11".repeat(32)}`],
  committee: { generation, records: {}, ports: { "0xabc": 40002 } },
});

const fail = (error: unknown) => assert.fail(String(error));

describe("devnet state", () => {
  it("is written atomically, the last change winning, and read back on the same chain", async () => {
    const dir = await mkdtemp(join(tmpdir(), "devnet-state-"));
    try {
      assert.deepEqual(await loadDevnetState(dir, CHAIN), { kind: "none" });
      let current = state(0);
      const writer = createStateWriter(dir, () => current, fail);
      writer.changed();
      current = state(1);
      writer.changed();
      current = state(2);
      writer.changed();
      await writer.flush();
      assert.equal((await stat(join(stateDirOf(dir), "state.json"))).mode & 0o777, 0o600);
      assert.deepEqual(await loadDevnetState(dir, CHAIN), { kind: "restored", state: state(2) });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("sets aside a state of another chain, or of an anvil restarted from its genesis", async () => {
    const dir = await mkdtemp(join(tmpdir(), "devnet-state-"));
    try {
      const writer = createStateWriter(dir, () => state(0), fail);
      writer.changed();
      await writer.flush();
      const loaded = await loadDevnetState(dir, { ...CHAIN, anchorBlockHash: "0xbb" });
      assert.equal(loaded.kind, "set-aside");
      assert.ok(loaded.kind === "set-aside");
      assert.equal(loaded.reason, "the chain was restarted from its genesis");
      assert.match(await readFile(join(loaded.movedTo, "state.json"), "utf8"), /"generation": 0/);
      assert.deepEqual(await loadDevnetState(dir, CHAIN), { kind: "none" }, "moved, not deleted");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
