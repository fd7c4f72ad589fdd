import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { LeaderLock, LeaderRole } from "../leader/leader-lock.ts";
import { withLeaderRole } from "./open-service-store.ts";

const lockIn = (role: LeaderRole, problem?: string): LeaderLock => ({
  role: () => role,
  problem: () => problem,
  acquire: async () => {},
  assertLeader: async () => {},
  lost: new AbortController().signal,
  close: async () => {},
});

const stalled = {
  ok: false,
  details: { vault: "0xab", reason: "no slot began for 60 s (limit 5 slots)", lastSlot: null },
};

describe("/health with replicas", () => {
  it("is the service's own report without --db-url", () => {
    assert.deepEqual(withLeaderRole(stalled, undefined), stalled);
  });

  it("a standby is healthy (it runs no slots) and says it stands by", () => {
    assert.deepEqual(withLeaderRole(stalled, lockIn("standby")), {
      ok: true,
      details: { vault: "0xab", lastSlot: null, role: "standby" },
    });
    assert.deepEqual(withLeaderRole(stalled, lockIn("standby", "cannot ask the database")), {
      ok: false,
      details: { vault: "0xab", lastSlot: null, role: "standby", reason: "cannot ask the database" },
    });
  });

  it("the leader's report is the service's, with its role; a replica that lost the lock is unhealthy", () => {
    assert.deepEqual(withLeaderRole({ ok: true, details: { vault: "0xab" } }, lockIn("leader")), {
      ok: true,
      details: { vault: "0xab", role: "leader" },
    });
    assert.deepEqual(withLeaderRole({ ok: true, details: { vault: "0xab" } }, lockIn("lost")), {
      ok: false,
      details: { vault: "0xab", role: "lost", reason: "lost the leader lock" },
    });
  });
});
