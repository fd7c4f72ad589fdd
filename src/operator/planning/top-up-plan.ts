import { type BeaconValidator, hasExitStarted, isCompounding, keyOf } from "./beacon-rules.ts";
import { minGwei } from "./gwei.ts";

/** A deposit the beacon chain has accepted but not yet added to a balance (pending_deposits). */
export interface PendingDeposit {
  pubkey: string;
  withdrawalCredentials: string;
  amountGwei: bigint;
}

export interface Funding {
  publicKey: `0x${string}`;
  amountGwei: bigint;
}

export interface TopUpInputs {
  /**
   * The keys the vault tracks as its 0x02 validators, finalized or not: those of its
   * V2ValidatorRegistered events and the targets of its ValidatorConsolidationSubmitted events.
   * The vault refuses to fund any other key (InvalidValidators), a 0x01 registration included.
   */
  registeredKeys: Iterable<string>;
  /** The beacon's view of those keys at head; keys it does not know yet are simply absent. */
  beaconValidators: readonly BeaconValidator[];
  /** The beacon's pending deposits at the same head, all of them, in queue order. */
  pendingDeposits: readonly PendingDeposit[];
  /** What top-ups may spend, in gwei (stakeable assets). */
  assetsGwei: bigint;
  maxValidatorBalanceGwei: bigint;
  minDepositAmountGwei: bigint;
  /**
   * When each key last received a deposit from the vault (unix seconds): its ValidatorFunded
   * events, and best also its registration. Such a deposit may not be on the beacon node yet.
   */
  lastDepositAt: ReadonlyMap<string, number>;
  /** The head block's timestamp, unix seconds. */
  now: number;
  /** --min-deposit-delay in seconds. */
  minDepositDelaySeconds: number;
  /** VALIDATORS_FUNDING_BATCH_SIZE: validators per fundValidators call. */
  batchSize: number;
}

export interface HeldTopUp extends Funding {
  /** Unix seconds from which the key may be funded again. */
  readyAt: number;
}

export interface TopUpPlan {
  /** fundValidators calls to make, in order; each at most batchSize validators. */
  batches: Funding[][];
  fundedGwei: bigint;
  /**
   * Top-ups that are due but wait for the deposit delay. Their assets are kept back rather than
   * spent on new validators, so an existing validator is not starved by a fresh registration.
   */
  held: HeldTopUp[];
  /** What is left for registrations: assets − funded − held. */
  remainingGwei: bigint;
}

/** The balance each compounding vault validator will have once the queued deposits land. */
export function topUpCandidates(
  inputs: Pick<TopUpInputs, "registeredKeys" | "beaconValidators" | "pendingDeposits">,
): Map<`0x${string}`, bigint> {
  const registered = new Set<string>();
  for (const key of inputs.registeredKeys) registered.add(keyOf(key));

  const balances = new Map<`0x${string}`, bigint>();
  const onBeacon = new Set<string>();
  for (const v of inputs.beaconValidators) {
    const key = keyOf(v.pubkey);
    if (!registered.has(key)) continue;
    onBeacon.add(key);
    if (isCompounding(v.withdrawalCredentials) && !hasExitStarted(v.status)) balances.set(key, v.balanceGwei);
  }
  // A key the beacon does not know yet becomes a validator with the credentials of its first
  // pending deposit; later deposits to it add to its balance whatever credentials they carry.
  const firstSeen = new Set<string>();
  for (const d of inputs.pendingDeposits) {
    const key = keyOf(d.pubkey);
    if (!registered.has(key)) continue;
    if (!onBeacon.has(key) && !firstSeen.has(key)) {
      firstSeen.add(key);
      if (isCompounding(d.withdrawalCredentials)) balances.set(key, 0n);
    }
    const balance = balances.get(key);
    if (balance !== undefined) balances.set(key, balance + d.amountGwei);
  }
  return balances;
}

/**
 * Top-ups of existing 0x02 validators (spec §6.4 step 2), planned before new registrations so
 * the vault's assets first fill validators that already run. The fullest validator is filled
 * first, each up to the maximum balance, and only with at least the minimum deposit; a key that
 * received a deposit within the delay is held: the beacon node may not show that deposit yet,
 * and counting it at its old balance would overfund it.
 */
export function planTopUps(inputs: TopUpInputs): TopUpPlan {
  const ordered = [...topUpCandidates(inputs)]
    .filter(([, balance]) => balance < inputs.maxValidatorBalanceGwei)
    .sort(([ka, a], [kb, b]) => (a === b ? (ka < kb ? -1 : 1) : a > b ? -1 : 1));

  const lastDeposit = new Map<string, number>();
  for (const [key, at] of inputs.lastDepositAt) lastDeposit.set(keyOf(key), at);
  const fundings: Funding[] = [];
  const held: HeldTopUp[] = [];
  let remaining = inputs.assetsGwei;
  let funded = 0n;
  for (const [publicKey, balance] of ordered) {
    if (remaining < inputs.minDepositAmountGwei) break;
    const room = inputs.maxValidatorBalanceGwei - balance;
    if (room < inputs.minDepositAmountGwei) continue;
    const amountGwei = minGwei(room, remaining);
    remaining -= amountGwei;
    const last = lastDeposit.get(publicKey);
    if (last !== undefined && inputs.now - last < inputs.minDepositDelaySeconds) {
      held.push({ publicKey, amountGwei, readyAt: last + inputs.minDepositDelaySeconds });
    } else {
      fundings.push({ publicKey, amountGwei });
      funded += amountGwei;
    }
  }
  const batches: Funding[][] = [];
  const size = Math.max(1, inputs.batchSize);
  for (let i = 0; i < fundings.length; i += size) batches.push(fundings.slice(i, i + size));
  return { batches, fundedGwei: funded, held, remainingGwei: remaining };
}
