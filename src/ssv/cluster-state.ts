/**
 * The owner's SSV state rebuilt from the SSVNetwork's events (spec B.8, issue 13 Must 2): per
 * cluster its operators, the latest `Cluster` snapshot (the one the next call must pass), the
 * validators registered in it and whether it is liquidated; the owner nonce (every
 * ValidatorAdded counts, several in one block too); the fee recipient; each validator's last
 * removal block.
 *
 * Events are folded in chain order (block, transaction index, log index). An event at or before
 * the last one applied is skipped, so overlapping scans and re-fed chunks change nothing, and
 * feeding events in several chunks gives the state one pass would. The state has a JSON form
 * (bigints as decimal strings) for the service's state store.
 */
import type { Address, Hex } from "viem";
import { z } from "zod";
import { OperatorError } from "../lib/errors.ts";
import { type ClusterSnapshot, clusterKey, EMPTY_CLUSTER, idsOfClusterKey } from "./cluster.ts";
import {
  type ClusterSnapshotEvent,
  comparePositions,
  type EventPosition,
  type SsvEvent,
} from "./ssv-event-types.ts";

export interface ClusterState {
  /** Ascending. */
  operatorIds: bigint[];
  snapshot: ClusterSnapshot;
  /** Lowercase public keys registered in the cluster now. */
  validators: Set<string>;
  liquidated: boolean;
  /** ETH era: the cluster was migrated from SSV to ETH fees. */
  migratedToEth: boolean;
  /** ETH era: the cluster's effective balance in whole ETH, from the last balance update. */
  effectiveBalance: number | undefined;
  /** The event the snapshot comes from. */
  updatedAt: EventPosition;
}

/** The events did not come from this owner: a scan or wiring mistake, never the chain's. */
export class ForeignSsvEventError extends OperatorError {
  override name = "ForeignSsvEventError";
}

export class OwnerSsvState {
  readonly owner: Address;
  readonly #clusters = new Map<string, ClusterState>();
  /** Lowercase public key → cluster key, for validators registered now. */
  readonly #clusterOf = new Map<string, string>();
  readonly #lastRemoval = new Map<string, bigint>();
  readonly #exitRequested = new Map<string, bigint>();
  #nonce = 0;
  #feeRecipient: Address | undefined;
  #position: EventPosition | undefined;
  #scannedTo: bigint | undefined;

  constructor(owner: Address) {
    this.owner = owner.toLowerCase() as Address;
  }

  /** ValidatorAdded events of this owner so far: the nonce of its next registration. */
  get nonce(): number {
    return this.#nonce;
  }

  get feeRecipient(): Address | undefined {
    return this.#feeRecipient;
  }

  /** The last event applied. */
  get position(): EventPosition | undefined {
    return this.#position;
  }

  /** The last block whose events have all been applied (the scan checkpoint). */
  get scannedTo(): bigint | undefined {
    return this.#scannedTo;
  }

  /** The snapshot the next call for this cluster must pass (the empty one for a new cluster). */
  snapshotFor(ids: readonly bigint[]): ClusterSnapshot {
    const snapshot = this.#clusters.get(clusterKey(ids))?.snapshot ?? EMPTY_CLUSTER;
    return { ...snapshot };
  }

  cluster(ids: readonly bigint[]): Readonly<ClusterState> | undefined {
    return this.#clusters.get(clusterKey(ids));
  }

  /** Every cluster the owner has used, in first-seen order. */
  clusters(): Readonly<ClusterState>[] {
    return [...this.#clusters.values()];
  }

  /** The operator ids of the cluster the validator is registered in now, if any. */
  clusterOfValidator(publicKey: string): bigint[] | undefined {
    const key = this.#clusterOf.get(publicKey.toLowerCase());
    return key === undefined ? undefined : idsOfClusterKey(key);
  }

  /** The block of the validator's last removal from SSV. */
  lastRemovalBlock(publicKey: string): bigint | undefined {
    return this.#lastRemoval.get(publicKey.toLowerCase());
  }

  /** The block of the owner's last exit request for the validator. */
  exitRequestBlock(publicKey: string): bigint | undefined {
    return this.#exitRequested.get(publicKey.toLowerCase());
  }

  /**
   * Applies the events of a scanned chunk (any order; sorted here) and records `toBlock` as
   * scanned. Events at or before the last applied one are skipped. Returns how many applied.
   */
  applyChunk(events: readonly SsvEvent[], toBlock: bigint): number {
    const sorted = [...events].sort(comparePositions);
    let applied = 0;
    for (const event of sorted) if (this.apply(event)) applied += 1;
    if (this.#scannedTo === undefined || toBlock > this.#scannedTo) this.#scannedTo = toBlock;
    return applied;
  }

  /** Applies one event; false when skipped (already applied, or an operator event). */
  apply(event: SsvEvent): boolean {
    if (this.#position !== undefined && comparePositions(event, this.#position) <= 0) return false;
    switch (event.name) {
      case "OperatorAdded":
      case "OperatorRemoved":
      case "OperatorFeeExecuted":
        return false;
      case "FeeRecipientAddressUpdated":
        this.#checkOwner(event.owner, event);
        this.#feeRecipient = event.recipientAddress.toLowerCase() as Address;
        break;
      case "ValidatorExited":
        this.#checkOwner(event.owner, event);
        this.#exitRequested.set(event.publicKey.toLowerCase(), event.blockNumber);
        break;
      default:
        this.#applyClusterEvent(event);
    }
    this.#position = {
      blockNumber: event.blockNumber,
      transactionIndex: event.transactionIndex,
      logIndex: event.logIndex,
    };
    return true;
  }

  #applyClusterEvent(event: ClusterSnapshotEvent): void {
    this.#checkOwner(event.owner, event);
    const key = clusterKey(event.operatorIds);
    let cluster = this.#clusters.get(key);
    if (!cluster) {
      cluster = {
        operatorIds: [...event.operatorIds],
        snapshot: { ...EMPTY_CLUSTER },
        validators: new Set(),
        liquidated: false,
        migratedToEth: false,
        effectiveBalance: undefined,
        updatedAt: event,
      };
      this.#clusters.set(key, cluster);
    }
    cluster.snapshot = { ...event.cluster };
    cluster.liquidated = !event.cluster.active;
    cluster.updatedAt = {
      blockNumber: event.blockNumber,
      transactionIndex: event.transactionIndex,
      logIndex: event.logIndex,
    };
    switch (event.name) {
      case "ValidatorAdded": {
        const publicKey = event.publicKey.toLowerCase();
        cluster.validators.add(publicKey);
        this.#clusterOf.set(publicKey, key);
        this.#nonce += 1;
        break;
      }
      case "ValidatorRemoved": {
        const publicKey = event.publicKey.toLowerCase();
        cluster.validators.delete(publicKey);
        if (this.#clusterOf.get(publicKey) === key) this.#clusterOf.delete(publicKey);
        this.#lastRemoval.set(publicKey, event.blockNumber);
        break;
      }
      case "ClusterBalanceUpdated":
        cluster.effectiveBalance = event.effectiveBalance;
        break;
      case "ClusterMigratedToETH":
        cluster.migratedToEth = true;
        cluster.effectiveBalance = event.effectiveBalance;
        break;
      default:
        break;
    }
  }

  #checkOwner(owner: Address, at: EventPosition): void {
    if (owner.toLowerCase() !== this.owner) {
      throw new ForeignSsvEventError(
        `an SSV event of owner ${owner} (block ${at.blockNumber}, log ${at.logIndex}) was given to the state of ${this.owner}`,
      );
    }
  }

  /** A deep copy: apply the newest, reorg-prone blocks to it and keep this one for the store. */
  clone(): OwnerSsvState {
    return OwnerSsvState.fromJSON(this.toJSON());
  }

  toJSON(): OwnerSsvStateJson {
    const position = this.#position;
    return {
      version: 1,
      owner: this.owner,
      nonce: this.#nonce,
      ...(this.#feeRecipient ? { feeRecipient: this.#feeRecipient } : {}),
      ...(position
        ? {
            position: {
              blockNumber: position.blockNumber.toString(),
              transactionIndex: position.transactionIndex,
              logIndex: position.logIndex,
            },
          }
        : {}),
      ...(this.#scannedTo === undefined ? {} : { scannedTo: this.#scannedTo.toString() }),
      clusters: [...this.#clusters.entries()].map(([key, c]) => ({
        operatorIds: key,
        snapshot: {
          validatorCount: c.snapshot.validatorCount,
          networkFeeIndex: c.snapshot.networkFeeIndex.toString(),
          index: c.snapshot.index.toString(),
          active: c.snapshot.active,
          balance: c.snapshot.balance.toString(),
        },
        validators: [...c.validators],
        migratedToEth: c.migratedToEth,
        ...(c.effectiveBalance === undefined ? {} : { effectiveBalance: c.effectiveBalance }),
        updatedAt: {
          blockNumber: c.updatedAt.blockNumber.toString(),
          transactionIndex: c.updatedAt.transactionIndex,
          logIndex: c.updatedAt.logIndex,
        },
      })),
      lastRemovals: Object.fromEntries([...this.#lastRemoval].map(([k, b]) => [k, b.toString()])),
      exitRequests: Object.fromEntries([...this.#exitRequested].map(([k, b]) => [k, b.toString()])),
    };
  }

  /** The state from its JSON form; throws an OperatorError naming the field when it is malformed. */
  static fromJSON(json: unknown): OwnerSsvState {
    const parsed = StateJsonSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new OperatorError(
        `the stored SSV state is malformed at ${issue?.path.join(".") || "(root)"}: ${issue?.message ?? "invalid"}`,
      );
    }
    const data = parsed.data;
    const state = new OwnerSsvState(data.owner as Address);
    state.#nonce = data.nonce;
    state.#feeRecipient = data.feeRecipient as Address | undefined;
    state.#position = data.position ? positionOf(data.position) : undefined;
    state.#scannedTo = data.scannedTo === undefined ? undefined : BigInt(data.scannedTo);
    for (const c of data.clusters) {
      const validators = new Set(c.validators.map((v) => v.toLowerCase()));
      state.#clusters.set(c.operatorIds, {
        operatorIds: idsOfClusterKey(c.operatorIds),
        snapshot: {
          validatorCount: c.snapshot.validatorCount,
          networkFeeIndex: BigInt(c.snapshot.networkFeeIndex),
          index: BigInt(c.snapshot.index),
          active: c.snapshot.active,
          balance: BigInt(c.snapshot.balance),
        },
        validators,
        liquidated: !c.snapshot.active,
        migratedToEth: c.migratedToEth,
        effectiveBalance: c.effectiveBalance,
        updatedAt: positionOf(c.updatedAt),
      });
      for (const v of validators) state.#clusterOf.set(v, c.operatorIds);
    }
    for (const [k, b] of Object.entries(data.lastRemovals))
      state.#lastRemoval.set(k.toLowerCase(), BigInt(b));
    for (const [k, b] of Object.entries(data.exitRequests))
      state.#exitRequested.set(k.toLowerCase(), BigInt(b));
    return state;
  }
}

const uint = z.string().regex(/^\d+$/, "must be a decimal integer");
const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, "must be a 20-byte hex address");
const PositionSchema = z.object({
  blockNumber: uint,
  transactionIndex: z.number().int().nonnegative(),
  logIndex: z.number().int().nonnegative(),
});

const StateJsonSchema = z.object({
  version: z.literal(1),
  owner: address,
  nonce: z.number().int().nonnegative(),
  feeRecipient: address.optional(),
  position: PositionSchema.optional(),
  scannedTo: uint.optional(),
  clusters: z.array(
    z.object({
      operatorIds: z.string().regex(/^\d+(,\d+)*$/, "must be ascending ids joined by commas"),
      snapshot: z.object({
        validatorCount: z.number().int().nonnegative(),
        networkFeeIndex: uint,
        index: uint,
        active: z.boolean(),
        balance: uint,
      }),
      validators: z.array(z.string().regex(/^0x[0-9a-fA-F]{96}$/, "must be a 48-byte public key")),
      migratedToEth: z.boolean(),
      effectiveBalance: z.number().int().nonnegative().optional(),
      updatedAt: PositionSchema,
    }),
  ),
  lastRemovals: z.record(z.string(), uint),
  exitRequests: z.record(z.string(), uint),
});

export type OwnerSsvStateJson = z.input<typeof StateJsonSchema>;

function positionOf(p: z.infer<typeof PositionSchema>): EventPosition {
  return { blockNumber: BigInt(p.blockNumber), transactionIndex: p.transactionIndex, logIndex: p.logIndex };
}

/** The public keys the owner has registered on SSV now, lowercase. */
export function registeredValidators(state: OwnerSsvState): Hex[] {
  return state.clusters().flatMap((c) => [...c.validators] as Hex[]);
}
