import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { createLoggerFromSink } from "../../lib/logger.ts";
import { CHECKPOINT_DEPOSIT_EVENTS, createKeyRegistry, type RegistrationChain } from "./registered-keys.ts";
import { openSqliteRelayerStore } from "./sqlite-store.ts";

const key = (n: number) => `0x${n.toString(16).padStart(2, "0").repeat(48)}` as `0x${string}`;
const KEYS = [key(1), key(2), key(3), key(4), key(5)];
const log = createLoggerFromSink(() => {}, { level: "error" });

/** A chain whose finalized block, head, beacon-known keys and deposits the test moves by hand. */
function fakeChain() {
  const chain = {
    finalized: 100n,
    head: 110n,
    beacon: [] as `0x${string}`[],
    deposits: [] as { key: `0x${string}`; block: bigint }[],
    asked: [] as [bigint, bigint][],
  };
  const reads: RegistrationChain = {
    beaconKnownKeys: async (keys) => chain.beacon.filter((k) => keys.includes(k)),
    finalizedBlock: async () => chain.finalized,
    headBlock: async () => chain.head,
    depositedKeys: async (from, to) => {
      chain.asked.push([from, to]);
      return chain.deposits.filter((d) => d.block >= from && d.block <= to).map((d) => d.key);
    },
  };
  return { chain, reads };
}

describe("createKeyRegistry (spec A.4, today's generation)", () => {
  const dir = mkdtempSync(join(tmpdir(), "relayer-keys-"));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("leaves out keys on the beacon chain and keys deposited while it runs, and forgets a reorged deposit", async () => {
    const store = openSqliteRelayerStore({ file: join(dir, "a.db"), network: "hoodi" });
    const { chain, reads } = fakeChain();
    chain.beacon = [key(1)];
    const registry = createKeyRegistry({ keys: KEYS }, { store, chain: reads, log });
    try {
      await registry.start();
      assert.equal(
        await store.checkpoint(CHECKPOINT_DEPOSIT_EVENTS),
        100n,
        "the scan starts at finalized + 1",
      );
      assert.deepEqual(chain.asked, [[101n, 110n]]);
      assert.deepEqual(await registry.unregisteredKeys(), [key(2), key(3), key(4), key(5)]);

      // Key 3 deposited above the finalized block, key 9 (not ours) too: only key 3 leaves the list.
      chain.deposits.push({ key: key(3), block: 112n }, { key: key(9), block: 112n });
      chain.head = 113n;
      await registry.refresh();
      assert.deepEqual(await registry.unregisteredKeys(), [key(2), key(4), key(5)]);
      assert.equal((await store.registeredKeys()).has(key(3)), false, "not stored before finality");

      // A reorg drops key 3's deposit before it finalizes: the key is offered again.
      chain.deposits.length = 0;
      await registry.refresh();
      assert.deepEqual(await registry.unregisteredKeys(), [key(2), key(3), key(4), key(5)]);

      // Key 4 deposited and finalized: stored with the checkpoint, upper-case spelling included.
      chain.deposits.push({ key: key(4).toUpperCase().replace("0X", "0x") as `0x${string}`, block: 114n });
      chain.head = 120n;
      chain.finalized = 115n;
      chain.asked.length = 0;
      await registry.refresh();
      assert.deepEqual(chain.asked, [
        [101n, 115n],
        [116n, 120n],
      ]);
      assert.equal(await store.checkpoint(CHECKPOINT_DEPOSIT_EVENTS), 115n);
      assert.equal((await store.registeredKeys()).has(key(4)), true);
      assert.deepEqual(await registry.unregisteredKeys(), [key(2), key(3), key(5)]);
    } finally {
      await store.close();
    }
  });

  it("resumes from its checkpoint after a restart, so a deposit made while it was down is seen", async () => {
    const file = join(dir, "b.db");
    const { chain, reads } = fakeChain();
    const first = openSqliteRelayerStore({ file, network: "hoodi" });
    try {
      await createKeyRegistry({ keys: KEYS }, { store: first, chain: reads, log }).start();
    } finally {
      await first.close();
    }
    chain.deposits.push({ key: key(2), block: 130n });
    chain.finalized = 140n;
    chain.head = 150n;
    chain.asked.length = 0;
    const second = openSqliteRelayerStore({ file, network: "hoodi" });
    try {
      const registry = createKeyRegistry({ keys: KEYS }, { store: second, chain: reads, log });
      await registry.start();
      assert.deepEqual(
        chain.asked[0],
        [101n, 140n],
        "from the stored checkpoint, not the new finalized block",
      );
      assert.deepEqual(await registry.unregisteredKeys(), [key(1), key(3), key(4), key(5)]);
    } finally {
      await second.close();
    }
  });
});
