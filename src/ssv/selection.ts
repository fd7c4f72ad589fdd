/**
 * Deterministic choice of an SSV cluster's operators (issue 13; spec B.4 for what StaFi did).
 * Same data in, same cluster out.
 *
 * 1. Filters, in this order, each rejected operator getting one reason: excluded by the user,
 *    removed on chain, status (on-chain inactive, or the API's status says inactive / removed /
 *    invalid), private, no RSA key, fee above the cap, 30-day performance under the minimum,
 *    no room under the validators-per-operator limit (minus a headroom). Data the source does
 *    not have (performance, status, provider while the SSV API is down) filters nothing.
 * 2. A healthy existing cluster of the owner is reused when one fits: same size, not liquidated,
 *    every operator passing the filters, holding the pinned ids. Reuse costs no new liquidation
 *    reserve and keeps one snapshot. Among several: the lowest total fee, then the cluster key.
 * 3. Otherwise the pinned ids first, then the others ordered by 30-day performance (unknown
 *    last), fee ascending, id ascending; at most one operator per setup provider and per cloud
 *    where known. The ids are returned ascending.
 */
import { OperatorError, UserInputError } from "../lib/errors.ts";
import { CLUSTER_SIZES, clusterKey, InvalidOperatorIdsError, sortOperatorIds } from "./cluster.ts";

export interface OperatorCandidate {
  id: bigint;
  /** Per block, in the era's unit. */
  fee: bigint;
  validatorCount: number;
  /** On chain. */
  isActive: boolean;
  isPrivate: boolean;
  removed: boolean;
  /** The RSA key as the registry spells it (base64 PEM); without it no share can be encrypted. */
  publicKey?: string;
  /** Percent, 0 to 100 (SSV API `performance.30d`). */
  performance30d?: number;
  /** SSV API status ("Active", "Inactive", "No validators", "Removed", "Invalid"). */
  status?: string;
  setupProvider?: string;
  cloud?: string;
}

export interface ExistingCluster {
  /** Ascending. */
  operatorIds: readonly bigint[];
  liquidated: boolean;
}

export interface SelectionOptions {
  /** 4 (default), 7, 10 or 13. */
  clusterSize?: number;
  /** Per-operator fee cap, per block. */
  maxFee?: bigint;
  /** Percent. */
  minPerformance30d?: number;
  /** From the views' getValidatorsPerOperatorLimit. */
  validatorsPerOperatorLimit?: number;
  /** Slots kept free under the limit (default 5, as StaFi and ssv-sdk keep). */
  limitHeadroom?: number;
  /** Validators about to be added to the cluster (default 1). */
  newValidators?: number;
  pinned?: readonly bigint[];
  excluded?: readonly bigint[];
  existingClusters?: readonly ExistingCluster[];
}

export type RejectionReason =
  | "excluded"
  | "removed"
  | "status"
  | "private"
  | "no-key"
  | "fee"
  | "performance"
  | "limit"
  | "provider";

export interface Rejection {
  id: bigint;
  reason: RejectionReason;
  /** One line for the user. */
  detail: string;
}

export interface Selection {
  /** Ascending. */
  operatorIds: bigint[];
  /** In the order of `operatorIds`. */
  operators: OperatorCandidate[];
  /** True when an existing cluster of the owner was chosen. */
  reused: boolean;
  rejected: Rejection[];
  explanation: string[];
}

export const DEFAULT_CLUSTER_SIZE = 4;
export const DEFAULT_LIMIT_HEADROOM = 5;

/** Too few operators pass the filters; `remaining` says how many were left after each one. */
export class NotEnoughOperatorsError extends OperatorError {
  override name = "NotEnoughOperatorsError";
  readonly remaining: { filter: string; left: number }[];
  constructor(needed: number, remaining: { filter: string; left: number }[]) {
    const steps = remaining.map((r) => `${r.filter} ${r.left}`).join(", ");
    super(
      `only ${remaining.at(-1)?.left ?? 0} SSV operators fit, a cluster needs ${needed} (left after each filter: ${steps}); relax --max-fee / --min-performance or pin operators`,
    );
    this.remaining = remaining;
  }
}

/** A pinned operator that cannot be used, or one both pinned and excluded. */
export class PinnedOperatorError extends UserInputError {
  override name = "PinnedOperatorError";
}

const DEAD_STATUSES = new Set(["inactive", "removed", "invalid", "deleted"]);

export function selectOperators(
  candidates: readonly OperatorCandidate[],
  options: SelectionOptions = {},
): Selection {
  const size = options.clusterSize ?? DEFAULT_CLUSTER_SIZE;
  if (!CLUSTER_SIZES.includes(size)) {
    throw new InvalidOperatorIdsError(`cluster size ${size} is not 3f+1: use 4, 7, 10 or 13`);
  }
  const pinned = sortOperatorIds([...new Set(options.pinned ?? [])]);
  const excluded = new Set(options.excluded ?? []);
  const both = pinned.filter((id) => excluded.has(id));
  if (both.length > 0)
    throw new PinnedOperatorError(`operators ${both.join(",")} are both pinned and excluded`);
  if (pinned.length > size) {
    throw new PinnedOperatorError(
      `${pinned.length} operators pinned (${pinned.join(",")}) but the cluster size is ${size}`,
    );
  }
  const byId = new Map(candidates.map((c) => [c.id, c]));
  const unknown = pinned.filter((id) => !byId.has(id));
  if (unknown.length > 0) throw new PinnedOperatorError(`pinned operators ${unknown.join(",")} do not exist`);

  const rejected: Rejection[] = [];
  const remaining = [{ filter: "candidates", left: candidates.length }];
  let passing = [...candidates].sort((a, b) => compareIds(a.id, b.id));
  for (const [filter, check] of filters(options, excluded, pinned)) {
    const kept: OperatorCandidate[] = [];
    for (const c of passing) {
      const detail = check(c);
      if (detail === undefined) kept.push(c);
      else rejected.push({ id: c.id, reason: filter, detail });
    }
    passing = kept;
    remaining.push({ filter, left: passing.length });
  }
  const pinnedRejection = rejected.find((r) => pinned.includes(r.id));
  if (pinnedRejection) {
    throw new PinnedOperatorError(
      `pinned operator ${pinnedRejection.id} cannot be used: ${pinnedRejection.detail}`,
    );
  }

  const explanation: string[] = [];
  const passed = new Map(passing.map((c) => [c.id, c]));
  const reuse = reusableCluster(options.existingClusters ?? [], size, passed, pinned);
  if (reuse) {
    explanation.push(
      `reusing the owner's cluster ${clusterKey(reuse.map((c) => c.id))}: every operator still passes`,
    );
    return { operatorIds: reuse.map((c) => c.id), operators: reuse, reused: true, rejected, explanation };
  }

  const chosen: OperatorCandidate[] = [];
  const providers = new Set<string>();
  const clouds = new Set<string>();
  const take = (c: OperatorCandidate, why: string) => {
    chosen.push(c);
    const provider = normalized(c.setupProvider);
    const cloud = normalized(c.cloud);
    if (provider) providers.add(provider);
    if (cloud) clouds.add(cloud);
    explanation.push(`operator ${c.id}: ${why} (${describe(c)})`);
  };
  for (const id of pinned) take(passed.get(id) as OperatorCandidate, "pinned");
  for (const c of [...passing].sort(byPreference)) {
    if (chosen.length >= size) break;
    if (pinned.includes(c.id)) continue;
    const provider = normalized(c.setupProvider);
    const cloud = normalized(c.cloud);
    if (provider && providers.has(provider)) {
      rejected.push({
        id: c.id,
        reason: "provider",
        detail: `setup provider ${c.setupProvider} is already in the cluster`,
      });
      continue;
    }
    if (cloud && clouds.has(cloud)) {
      rejected.push({ id: c.id, reason: "provider", detail: `cloud ${c.cloud} is already in the cluster` });
      continue;
    }
    take(c, "best remaining by performance, fee, id");
  }
  if (chosen.length < size) {
    remaining.push({ filter: "provider", left: chosen.length });
    throw new NotEnoughOperatorsError(size, remaining);
  }
  const operators = [...chosen].sort((a, b) => compareIds(a.id, b.id));
  return { operatorIds: operators.map((c) => c.id), operators, reused: false, rejected, explanation };
}

type Filter = [RejectionReason, (c: OperatorCandidate) => string | undefined];

function filters(options: SelectionOptions, excluded: Set<bigint>, pinned: readonly bigint[]): Filter[] {
  const limit = options.validatorsPerOperatorLimit;
  const headroom = options.limitHeadroom ?? DEFAULT_LIMIT_HEADROOM;
  const adding = options.newValidators ?? 1;
  const list: Filter[] = [
    ["excluded", (c) => (excluded.has(c.id) ? "excluded by the user" : undefined)],
    ["removed", (c) => (c.removed ? "removed on chain" : undefined)],
    [
      "status",
      (c) => {
        if (!c.isActive) return "inactive on chain";
        const status = normalized(c.status);
        return status && DEAD_STATUSES.has(status) ? `SSV API status is ${c.status}` : undefined;
      },
    ],
    ["private", (c) => (c.isPrivate ? "private (whitelisted owners only)" : undefined)],
    ["no-key", (c) => (c.publicKey ? undefined : "no RSA public key known")],
    [
      "fee",
      (c) =>
        options.maxFee !== undefined && c.fee > options.maxFee && !pinned.includes(c.id)
          ? `fee ${c.fee} per block is above the cap ${options.maxFee}`
          : undefined,
    ],
    [
      "performance",
      (c) =>
        options.minPerformance30d !== undefined &&
        c.performance30d !== undefined &&
        c.performance30d < options.minPerformance30d &&
        !pinned.includes(c.id)
          ? `30-day performance ${c.performance30d}% is under ${options.minPerformance30d}%`
          : undefined,
    ],
    [
      "limit",
      (c) =>
        limit !== undefined && c.validatorCount + adding > limit - headroom
          ? `${c.validatorCount} validators: no room for ${adding} more under the limit ${limit} less ${headroom} kept free`
          : undefined,
    ],
  ];
  return list;
}

function reusableCluster(
  clusters: readonly ExistingCluster[],
  size: number,
  passed: Map<bigint, OperatorCandidate>,
  pinned: readonly bigint[],
): OperatorCandidate[] | undefined {
  const fits = clusters
    .filter((c) => c.operatorIds.length === size && !c.liquidated)
    .filter((c) => pinned.every((id) => c.operatorIds.includes(id)))
    .map((c) => c.operatorIds.map((id) => passed.get(id)))
    .filter((ops): ops is OperatorCandidate[] => ops.every((op) => op !== undefined))
    .map((ops) => ({
      ops,
      fee: ops.reduce((sum, op) => sum + op.fee, 0n),
      key: clusterKey(ops.map((o) => o.id)),
    }))
    .sort((a, b) =>
      a.fee !== b.fee ? (a.fee < b.fee ? -1 : 1) : a.key < b.key ? -1 : a.key > b.key ? 1 : 0,
    );
  return fits[0]?.ops;
}

/** Performance descending (unknown last), fee ascending, id ascending. */
function byPreference(a: OperatorCandidate, b: OperatorCandidate): number {
  const pa = a.performance30d ?? -1;
  const pb = b.performance30d ?? -1;
  if (pa !== pb) return pb - pa;
  if (a.fee !== b.fee) return a.fee < b.fee ? -1 : 1;
  return compareIds(a.id, b.id);
}

function compareIds(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function normalized(text: string | undefined): string | undefined {
  const value = text?.trim().toLowerCase();
  return value ? value : undefined;
}

function describe(c: OperatorCandidate): string {
  const parts = [`fee ${c.fee}`, `${c.validatorCount} validators`];
  if (c.performance30d !== undefined) parts.push(`30-day performance ${c.performance30d}%`);
  if (c.setupProvider) parts.push(`provider ${c.setupProvider}`);
  if (c.cloud) parts.push(`cloud ${c.cloud}`);
  return parts.join(", ");
}
