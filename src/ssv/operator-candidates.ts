/**
 * The operators a selection may choose from, and the operators of the owner's clusters as the
 * migration rule judges them: the chain's data (fee, validator count, active, private, removed,
 * the RSA key from OperatorAdded) is authoritative; the SSV API, when it answered, adds what the
 * chain does not have (30-day performance, status, setup provider) and names the operators that
 * exist. Without the API the chain's registry stands in: every operator its OperatorAdded events
 * name (the on-chain data is enough to choose a cluster; only performance and providers are missing).
 */
import type { SsvApiOperator } from "./api/operator-record.ts";
import type { ClusterOperatorView } from "./migration.ts";
import type { OperatorCandidate } from "./selection.ts";
import type { SsvChainOperator, SsvChainReader } from "./ssv-chain.ts";

/** getOperatorById calls per multicall (mainnet has thousands of operators). */
const OPERATORS_PER_READ = 200;

function sortIds(ids: readonly bigint[]): bigint[] {
  return [...new Set(ids)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** API statuses that mean the operator runs nothing. */
const DEAD_API_STATUSES = new Set(["inactive", "removed", "invalid", "deleted"]);

export interface ReadOperatorsParameters {
  reader: Pick<SsvChainReader, "operators" | "operatorKeys">;
  /** The SSV API's records; undefined when there is no API or it failed. */
  api: readonly SsvApiOperator[] | undefined;
  /** Ids read whatever the API says (the owner's clusters', the pinned ones). */
  knownIds: readonly bigint[];
  /** The block the operator events are scanned to. */
  head: bigint;
}

/** The candidates, by id ascending; an id the chain does not know is left out. */
export async function readOperatorCandidates(p: ReadOperatorsParameters): Promise<OperatorCandidate[]> {
  const byApi = new Map((p.api ?? []).map((o) => [o.id, o]));
  let ids: bigint[];
  let events: { keys: Map<bigint, string>; removed: Set<bigint> };
  if (p.api === undefined) {
    events = await p.reader.operatorKeys("all", p.head);
    ids = sortIds([...events.keys.keys(), ...events.removed, ...p.knownIds]);
  } else {
    ids = sortIds([...byApi.keys(), ...p.knownIds]);
    if (ids.length === 0) return [];
    events = await p.reader.operatorKeys(ids, p.head);
  }
  const chain = new Map<bigint, SsvChainOperator>();
  for (let i = 0; i < ids.length; i += OPERATORS_PER_READ) {
    for (const [id, operator] of await p.reader.operators(ids.slice(i, i + OPERATORS_PER_READ))) {
      chain.set(id, operator);
    }
  }
  const candidates: OperatorCandidate[] = [];
  for (const id of ids) {
    const onChain = chain.get(id);
    const removed = events.removed.has(id);
    if (!onChain && !removed) continue;
    const api = byApi.get(id);
    const publicKey = events.keys.get(id) ?? api?.publicKey;
    candidates.push({
      id,
      fee: onChain?.fee ?? 0n,
      validatorCount: onChain?.validatorCount ?? 0,
      isActive: !removed && (onChain?.isActive ?? false),
      isPrivate: onChain?.isPrivate ?? false,
      removed,
      ...(publicKey ? { publicKey } : {}),
      ...(api?.performance30d !== undefined ? { performance30d: api.performance30d } : {}),
      ...(api?.status ? { status: api.status } : {}),
      ...(api?.setupProvider ? { setupProvider: api.setupProvider } : {}),
    });
  }
  return candidates;
}

/**
 * The operators of the owner's clusters for the migration rule: inactive when the chain says so
 * or the API's status does; `inactiveSince` from the caller's memory.
 */
export function clusterOperatorViews(
  candidates: readonly OperatorCandidate[],
  ids: readonly bigint[],
  inactiveSince: ReadonlyMap<bigint, number>,
): Map<bigint, ClusterOperatorView> {
  const wanted = new Set(ids);
  const views = new Map<bigint, ClusterOperatorView>();
  for (const c of candidates) {
    if (!wanted.has(c.id)) continue;
    const isActive = c.isActive && !DEAD_API_STATUSES.has(c.status?.trim().toLowerCase() ?? "");
    const since = inactiveSince.get(c.id);
    views.set(c.id, {
      id: c.id,
      fee: c.fee,
      removed: c.removed,
      isActive,
      ...(!isActive && since !== undefined ? { inactiveSince: since } : {}),
    });
  }
  // An id of a cluster that the chain no longer knows at all: gone, as good as removed.
  for (const id of wanted) {
    if (!views.has(id)) views.set(id, { id, fee: 0n, removed: true, isActive: false });
  }
  return views;
}
