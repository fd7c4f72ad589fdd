import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { SecretKey } from "@chainsafe/blst";
import { type Address, type Hex, toHex } from "viem";
import { ssvClusterShares, validatorAddedLogs } from "../../../test/support/dvt-cluster.ts";
import { createSsvOperatorDouble } from "../../../test/support/ssv-operator.ts";
import type { RawLog } from "../../ssv/ssv-events.ts";
import { SidecarDb } from "./sidecar-db.ts";
import { type SsvChain, syncSsvValidators } from "./ssv-sync.ts";

const OWNER = "0x00000000000000000000000000000000000000aa" as Address;
const NETWORK = "0x00000000000000000000000000000000000000bb" as Address;
// Operator ids beyond 2^53: stored and read back exactly.
const IDS = [7n, 2n ** 60n + 1n, 2n ** 60n + 5n, 2n ** 63n].map((id) => createSsvOperatorDouble(id));
const OTHER = [8n, 9n, 10n, 11n].map((id) => createSsvOperatorDouble(id));
const key = (n: number) => SecretKey.fromKeygen(new Uint8Array(32).fill(n));

/** A chain whose eth_getLogs answers from `logs` by block range, and whose finalized block is movable. */
function chain(logs: RawLog[]): SsvChain & { finalized: bigint; ranges: [bigint, bigint][] } {
  const fake = {
    finalized: 0n,
    ranges: [] as [bigint, bigint][],
    ssvNetwork: NETWORK,
    deployBlock: 1n,
    async finalizedBlock() {
      return fake.finalized;
    },
    client: {
      async request({ params }: { method: string; params: [{ fromBlock: Hex; toBlock: Hex }] }) {
        const from = BigInt(params[0].fromBlock);
        const to = BigInt(params[0].toBlock);
        fake.ranges.push([from, to]);
        return logs.filter((l) => BigInt(l.blockNumber ?? 0) >= from && BigInt(l.blockNumber ?? 0) <= to);
      },
    },
  };
  return fake as never;
}

describe("the sidecar's SSV validators", () => {
  const dirs: string[] = [];
  after(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it("keeps the validators of its operator, window by window, resuming from the checkpoint after a restart", async () => {
    const dir = await mkdtemp(join(tmpdir(), "sidecar-db-"));
    dirs.push(dir);
    const ours = ssvClusterShares({ secretKeys: [key(1), key(2)], operators: IDS, owner: OWNER });
    const theirs = ssvClusterShares({ secretKeys: [key(3)], operators: OTHER, owner: OWNER });
    const logs = [
      ...validatorAddedLogs(ours.slice(0, 1), OWNER, 10n),
      ...validatorAddedLogs(theirs, OWNER, 20n),
      ...validatorAddedLogs(ours.slice(1), OWNER, 30n),
    ];
    const c = chain(logs);
    const file = join(dir, "sidecar.db");
    let db = SidecarDb.open(file, "devnet");
    c.finalized = 25n;
    const first = await syncSsvValidators(c, db, {
      operatorId: IDS[1]?.id as bigint,
      startBlock: 5n,
      windowBlocks: 8n,
    });
    assert.deepEqual(
      first.map((row) => row.publicKey),
      [toHex(ours[0]?.publicKey as Uint8Array)],
    );
    assert.equal(db.checkpoint(), 25n);
    assert.ok(
      c.ranges.every(([from, to]) => to - from + 1n <= 8n),
      "windows of at most 8 blocks",
    );
    db.close();

    // Restart: the same file, more finalized blocks; nothing before the checkpoint is read again.
    db = SidecarDb.open(file, "devnet");
    c.ranges.length = 0;
    c.finalized = 40n;
    const second = await syncSsvValidators(c, db, {
      operatorId: IDS[1]?.id as bigint,
      startBlock: 5n,
      windowBlocks: 8n,
    });
    assert.equal(c.ranges[0]?.[0], 26n);
    assert.deepEqual(
      second.map((row) => row.publicKey),
      [toHex(ours[1]?.publicKey as Uint8Array)],
    );
    const stored = db.validators();
    assert.equal(stored.length, 2);
    assert.deepEqual(
      stored[0]?.operatorIds,
      IDS.map((o) => o.id),
    );
    assert.equal(stored[0]?.sharesData, toHex(ours[0]?.sharesData as Uint8Array));
    db.close();
  });

  it("a validator added again replaces its row; nothing is read past the finalized block", async () => {
    const ours = ssvClusterShares({ secretKeys: [key(4)], operators: IDS, owner: OWNER });
    const again = ssvClusterShares({ secretKeys: [key(4)], operators: IDS, owner: OWNER, nonce: 1 });
    const c = chain([...validatorAddedLogs(ours, OWNER, 3n), ...validatorAddedLogs(again, OWNER, 6n)]);
    const db = SidecarDb.open(":memory:", "devnet");
    c.finalized = 4n;
    await syncSsvValidators(c, db, { operatorId: 7n, startBlock: 1n, windowBlocks: 100n });
    assert.ok(c.ranges.every(([, to]) => to <= 4n));
    c.finalized = 9n;
    await syncSsvValidators(c, db, { operatorId: 7n, startBlock: 1n, windowBlocks: 100n });
    const rows = db.validators();
    assert.equal(rows.length, 1);
    assert.equal(rows[0]?.sharesData, toHex(again[0]?.sharesData as Uint8Array));
    db.close();
  });
});
