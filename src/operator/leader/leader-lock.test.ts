import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  advisoryLockHolder,
  temporaryDatabase,
  terminateSessions,
} from "../../../test/support/operator-postgres.ts";
import { createLogger } from "../../lib/logger.ts";
import {
  LEADER_LOCK_NAMESPACE,
  type LeaderLock,
  LeadershipLostError,
  openLeaderLock,
} from "./leader-lock.ts";

const VAULT = `0x${"ab".repeat(20)}` as const;
const log = createLogger({ level: "silent", format: "json" });

describe("leader lock (PostgreSQL advisory lock)", () => {
  let db: Awaited<ReturnType<typeof temporaryDatabase>>;
  const locks: LeaderLock[] = [];
  const open = async (roles: string[] = []) => {
    const lock = await openLeaderLock({
      url: db.url,
      network: "devnet",
      vault: VAULT,
      pollMs: 100,
      checkTimeoutMs: 1000,
      log,
      onRole: (role) => roles.push(role),
    });
    locks.push(lock);
    return lock;
  };
  before(async () => {
    db = await temporaryDatabase();
  });
  after(async () => {
    for (const lock of locks) await lock.close();
    await db?.drop();
  });

  it("one leader; the standby takes over when the leader's session is killed, and the old leader cannot send", async () => {
    const abort = new AbortController();
    const aRoles: string[] = [];
    const a = await open(aRoles);
    await a.acquire(abort.signal);
    assert.equal(a.role(), "leader");
    await a.assertLeader();

    const bRoles: string[] = [];
    const b = await open(bRoles);
    let bLeads = false;
    const bAcquired = b.acquire(abort.signal).then(() => {
      bLeads = true;
    });
    await new Promise((r) => setTimeout(r, 400));
    assert.equal(bLeads, false, "the lock is held: b waits");
    assert.equal(b.role(), "standby");
    await assert.rejects(b.assertLeader(), LeadershipLostError, "a standby never passes the check");

    // The partition: a's lock session is ended from the server side.
    const holder = await advisoryLockHolder(db.url, LEADER_LOCK_NAMESPACE);
    assert.ok(holder !== undefined);
    assert.deepEqual(await terminateSessions(db.url, { pid: holder }), [holder]);
    await assert.rejects(a.assertLeader(), LeadershipLostError);
    assert.equal(a.role(), "lost");
    assert.equal(a.lost.aborted, true);
    assert.ok(a.lost.reason instanceof LeadershipLostError);
    await bAcquired;
    assert.equal(b.role(), "leader");
    await b.assertLeader();
    // Once lost, always lost in this process, even though its driver reconnected.
    await assert.rejects(a.assertLeader(), LeadershipLostError);
    assert.deepEqual(aRoles, ["leader", "lost"]);
    assert.deepEqual(bRoles, ["standby", "leader"]);
    assert.notEqual(await advisoryLockHolder(db.url, LEADER_LOCK_NAMESPACE), holder);
  });

  it("a leader that closes releases the lock at once; acquire stops on abort", async () => {
    const lead = locks.find((l) => l.role() === "leader") as LeaderLock;
    const c = await open();
    const abort = new AbortController();
    const waiting = c.acquire(abort.signal);
    await lead.close();
    await waiting;
    assert.equal(c.role(), "leader");

    const d = await open();
    const stop = new AbortController();
    const pending = d.acquire(stop.signal);
    stop.abort();
    await assert.rejects(pending, (error: unknown) => (error as Error).name === "AbortedError");
    assert.equal(d.role(), "standby");
  });
});
