import { hostname } from "node:os";
import type { Logger } from "../../lib/logger.ts";
import type { HealthReport } from "../../lib/metrics-server.ts";
import { type LeaderLock, type LeaderRole, openLeaderLock } from "../leader/leader-lock.ts";
import { openPostgresStateStore } from "./postgres-state-store.ts";
import type { ServiceStore } from "./service-store.ts";
import { sqliteServiceStore } from "./sqlite-service-store.ts";
import { type ChainIdentity, StateStore } from "./state-store.ts";

export interface OpenedServiceStore {
  store: ServiceStore;
  /** Only with --db-url: replicas of the vault elect one leader; undefined means "always the leader". */
  leader: LeaderLock | undefined;
}

export interface OpenServiceStoreOptions {
  /** --db-url: PostgreSQL shared by replicas; else operator.db at `databaseFile`, locked to one process. */
  dbUrl: string | undefined;
  databaseFile: string;
  network: string;
  vault: `0x${string}`;
  chain: ChainIdentity;
  /** How often the standby asks for the lock and the leader re-checks it (ms). */
  leaderPollMs: number;
  log: Logger;
  onRole?: (role: LeaderRole) => void;
}

/**
 * Where `operator start` keeps its state: operator.db (one machine; its file lock refuses a
 * second process), or PostgreSQL with --db-url, where replicas share the state and a leader lock
 * decides which one sends. The caller closes both (leader last is not needed: either order is safe).
 */
export async function openServiceStore(options: OpenServiceStoreOptions): Promise<OpenedServiceStore> {
  if (options.dbUrl === undefined) {
    const store = StateStore.open({
      file: options.databaseFile,
      network: options.network,
      vault: options.vault,
      chain: options.chain,
    });
    return { store: sqliteServiceStore(store), leader: undefined };
  }
  const replica = `${hostname()}/${process.pid}`;
  const store = await openPostgresStateStore({
    url: options.dbUrl,
    replica,
    binding: {
      vault: options.vault,
      network: options.network,
      chainId: options.chain.chainId,
      genesisHash: options.chain.genesisHash,
    },
  });
  try {
    const leader = await openLeaderLock({
      url: options.dbUrl,
      network: options.network,
      vault: options.vault,
      replica,
      pollMs: options.leaderPollMs,
      // A leader that cannot confirm its lock within two polls stops sending.
      checkTimeoutMs: Math.max(1000, 2 * options.leaderPollMs),
      log: options.log,
      ...(options.onRole ? { onRole: options.onRole } : {}),
    });
    return { store, leader };
  } catch (error) {
    await store.close();
    throw error;
  }
}

/**
 * /health with replicas: a standby is healthy (it does what it should: wait for the lock) and
 * says so, unless it cannot reach the database to ask for the lock; a replica that lost the lock
 * is not healthy; the leader's report is the service's own.
 */
export function withLeaderRole(report: HealthReport, leader: LeaderLock | undefined): HealthReport {
  if (!leader) return report;
  const role = leader.role();
  const { reason: _reason, ...details } = report.details ?? {};
  if (role === "standby") {
    const problem = leader.problem();
    return problem === undefined
      ? { ok: true, details: { ...details, role } }
      : { ok: false, details: { ...details, role, reason: problem } };
  }
  if (role === "lost") return { ok: false, details: { ...details, role, reason: "lost the leader lock" } };
  return { ...report, details: { ...report.details, role } };
}
