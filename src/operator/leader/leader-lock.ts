import { createHash } from "node:crypto";
import postgres from "postgres";
import { OperatorError } from "../../lib/errors.ts";
import type { Logger } from "../../lib/logger.ts";
import { redactUrl } from "../../lib/sanitize.ts";
import { sleep } from "../../lib/sleep.ts";

/**
 * This replica lost the leadership (its database session holding the lock ended, or a check
 * could not confirm it in time): it sends nothing more and the service exits non-zero, to come
 * back as the standby.
 */
export class LeadershipLostError extends OperatorError {
  override name = "LeadershipLostError";
}

export type LeaderRole = "standby" | "leader" | "lost";

export interface LeaderLock {
  role(): LeaderRole;
  /** Why the standby's last ask for the lock failed (the database is unreachable), else undefined. */
  problem(): string | undefined;
  /**
   * Resolves once this replica holds the lock, polling every `pollMs` meanwhile ("standby" is
   * logged once). Rejects with an AbortedError when `signal` aborts first.
   */
  acquire(signal: AbortSignal): Promise<void>;
  /**
   * One round trip on the lock's own session: resolves when this replica holds the lock now,
   * else throws LeadershipLostError (and the leadership is gone for good in this process).
   */
  assertLeader(): Promise<void>;
  /** Aborts (with a LeadershipLostError) when the leadership is lost. */
  readonly lost: AbortSignal;
  close(): Promise<void>;
}

export interface OpenLeaderLockOptions {
  /** The --db-url of the replicas; shown only redacted. */
  url: string;
  network: string;
  vault: `0x${string}`;
  /** This replica's name in logs (host/pid). */
  replica?: string;
  /** How often the standby asks for the lock and the leader re-checks it (ms). */
  pollMs: number;
  /** A check that takes longer counts as a lost lock: the leader may be cut off (ms). */
  checkTimeoutMs: number;
  log: Logger;
  /** Told each role change (the leader gauge). */
  onRole?: (role: LeaderRole) => void;
}

/** The first key of the two-key advisory lock: a namespace for vault-operator's locks ("vo_l"). */
export const LEADER_LOCK_NAMESPACE = 0x766f5f6c;

/** The second key: 31 bits of sha256(network:vault), so one database could serve several vaults. */
export function leaderLockKey(network: string, vault: string): number {
  return (
    createHash("sha256").update(`${network}:${vault.toLowerCase()}`).digest().readUInt32BE(0) & 0x7fffffff
  );
}

/**
 * Leader election of `start --db-url` replicas: a session-level PostgreSQL advisory lock, taken
 * with pg_try_advisory_lock on a connection of its own. The server releases it the moment the
 * session ends — the process died (kill -9 closes its socket), or its connection was killed — so
 * there is no lease to expire and no clock to trust. The leader re-checks on that same session
 * before every broadcast, and every `pollMs` besides: a session that was replaced (the driver
 * reconnects after a kill) does not hold the lock, so the check fails and the leader stops.
 */
export async function openLeaderLock(options: OpenLeaderLockOptions): Promise<LeaderLock> {
  const key = leaderLockKey(options.network, options.vault);
  const log = options.log.child({
    module: "leader",
    ...(options.replica ? { replica: options.replica } : {}),
  });
  const lostController = new AbortController();
  let role: LeaderRole = "standby";
  let leaderPid: number | undefined;
  let closed = false;
  let problem: string | undefined;
  const closing = new AbortController();

  const lose = (reason: string, cause?: unknown) => {
    if (role !== "leader") return;
    role = "lost";
    options.onRole?.(role);
    const error = new LeadershipLostError(
      `lost the leadership of vault ${options.vault.toLowerCase()} (${reason}): sending stopped; the service exits so that this replica restarts as the standby`,
      { cause, retryable: true },
    );
    log.error("leadership lost", { reason }, cause);
    lostController.abort(error);
  };

  const sql = postgres(options.url, {
    max: 1,
    // The lock lives as long as this one session: never recycle it.
    max_lifetime: 0,
    idle_timeout: 0,
    connect_timeout: Math.max(1, Math.ceil(options.checkTimeoutMs / 1000)),
    onnotice: () => {},
    onclose: () => lose("the database closed the session holding the lock"),
    connection: {
      application_name: "vault-operator-leader",
      // The server notices a leader that vanished without closing its socket (a partition) in ~15 s.
      tcp_keepalives_idle: 5,
      tcp_keepalives_interval: 2,
      tcp_keepalives_count: 5,
    },
  });

  const withTimeout = async <T>(query: Promise<T>): Promise<T> => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no answer within ${options.checkTimeoutMs} ms`)),
        options.checkTimeoutMs,
      );
    });
    try {
      return await Promise.race([query, timeout]);
    } finally {
      clearTimeout(timer);
    }
  };

  const assertLeader = async () => {
    if (role !== "leader") {
      throw (
        (lostController.signal.reason as Error | undefined) ??
        new LeadershipLostError("this replica is the standby: it does not send", { retryable: true })
      );
    }
    try {
      const [row] = await withTimeout(
        sql<{ pid: number; held: boolean }[]>`SELECT pg_backend_pid() AS pid, EXISTS (
          SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted AND pid = pg_backend_pid()
            AND classid = ${LEADER_LOCK_NAMESPACE} AND objid = ${key} AND objsubid = 2) AS held`,
      );
      if (!row?.held || row.pid !== leaderPid) lose("the lock's session was replaced");
    } catch (error) {
      lose("the lock could not be checked", error);
    }
    if (role !== "leader") throw lostController.signal.reason as Error;
  };

  const watch = async () => {
    while (role === "leader" && !closed) {
      try {
        await sleep(options.pollMs, closing.signal);
      } catch {
        return;
      }
      await assertLeader().catch(() => {});
    }
  };

  return {
    role: () => role,
    problem: () => problem,
    lost: lostController.signal,
    assertLeader,
    async acquire(signal) {
      let saidStandby = false;
      for (;;) {
        try {
          const [row] = await withTimeout(
            sql<{ locked: boolean; pid: number }[]>`SELECT
              pg_try_advisory_lock(${LEADER_LOCK_NAMESPACE}::int, ${key}::int) AS locked, pg_backend_pid() AS pid`,
          );
          problem = undefined;
          if (row?.locked) {
            leaderPid = row.pid;
            role = "leader";
            options.onRole?.(role);
            log.info("leader", { database: redactUrl(options.url), pid: row.pid });
            void watch();
            return;
          }
          if (!saidStandby) {
            saidStandby = true;
            options.onRole?.("standby");
            log.info("standby", { database: redactUrl(options.url), pollMs: options.pollMs });
          }
        } catch (error) {
          problem = `cannot ask ${redactUrl(options.url)} for the leader lock: ${(error as Error).message}`;
          log
            .throttled("leader-poll", 60_000)
            .warn("cannot ask the database for the leader lock", { database: redactUrl(options.url) }, error);
        }
        await sleep(options.pollMs, signal);
      }
    },
    async close() {
      closed = true;
      closing.abort();
      // Ending the session releases the lock at once: the standby takes over without waiting.
      const wasLeader = role === "leader";
      role = wasLeader ? "standby" : role;
      await sql.end({ timeout: 2 }).catch(() => {});
    },
  };
}
