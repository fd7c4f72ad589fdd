import { type Address, formatEther, type Hex } from "viem";
import type { SsvFeeEra } from "../../chain/abi/ssv-network.ts";
import { OperatorError, UserInputError } from "../../lib/errors.ts";

/**
 * The plan of `ssv register` (and of the manager's registrations): pure, inputs in, plan out.
 * The keys go to one cluster in chunks of at most the era's bulk limit; the first chunk carries
 * the whole funding for the runway, so every later chunk finds the cluster already funded for
 * all of them. The SSV-token era approves the SSVNetwork first when the allowance is short.
 */
export interface SsvRegistrationPlanInputs {
  owner: Address;
  era: SsvFeeEra;
  /** The keys to register, in the vault's order. */
  keys: readonly Hex[];
  /** Ascending operator ids of the chosen cluster. */
  operatorIds: readonly bigint[];
  /** Whether the owner already has this cluster (its snapshot is then not the empty one). */
  existingCluster: boolean;
  /** The owner's next nonce (ValidatorAdded events so far). */
  nonce: number;
  /** Validators per transaction for this cluster size (bulk limits 80/40/30/20). */
  bulkLimit: number;
  /** What the cluster needs on top of its balance for the runway with the new validators. */
  amount: bigint;
  /** --runway-days, for messages. */
  runwayDays: number;
  /** The owner's funds: SSV (token era) with the SSVNetwork's allowance, ETH always. */
  funds: { ssv?: bigint; allowance?: bigint; eth: bigint };
}

export interface SsvRegistrationChunk {
  keys: Hex[];
  /** The nonce of the chunk's first key; key k uses firstNonce + k. */
  firstNonce: number;
  /** SSV (token era, an argument) or ETH (the transaction's value) sent with this chunk. */
  amount: bigint;
}

export interface SsvRegistrationPlan {
  owner: Address;
  era: SsvFeeEra;
  operatorIds: bigint[];
  existingCluster: boolean;
  chunks: SsvRegistrationChunk[];
  /** Total SSV or ETH paid into the cluster. */
  amount: bigint;
  /** Token era, allowance short: approve this amount first. */
  approve?: bigint;
}

/** The owner cannot pay for the runway: nothing is sent. */
export class InsufficientSsvFundsError extends UserInputError {
  override name = "InsufficientSsvFundsError";
}

export class SsvRegistrationPlanError extends OperatorError {
  override name = "SsvRegistrationPlanError";
}

/** The era's currency, for messages. */
export function eraToken(era: SsvFeeEra): string {
  return era === "eth" ? "ETH" : "SSV";
}

export function planSsvRegistration(inputs: SsvRegistrationPlanInputs): SsvRegistrationPlan {
  const { keys, bulkLimit, amount, funds, era, owner } = inputs;
  if (keys.length === 0) throw new SsvRegistrationPlanError("no keys to register on SSV");
  if (new Set(keys.map((k) => k.toLowerCase())).size !== keys.length) {
    throw new SsvRegistrationPlanError("a key is listed twice for SSV registration");
  }
  if (!Number.isSafeInteger(bulkLimit) || bulkLimit < 1) {
    throw new SsvRegistrationPlanError(`the bulk limit ${bulkLimit} is not a positive integer`);
  }
  if (amount < 0n) throw new SsvRegistrationPlanError("a negative funding amount");
  const token = eraToken(era);
  const has = era === "eth" ? funds.eth : (funds.ssv ?? 0n);
  if (has < amount) {
    throw new InsufficientSsvFundsError(
      `the owner ${owner} has ${formatEther(has)} ${token} and registering ${keys.length} ${keys.length === 1 ? "validator" : "validators"} with a ${inputs.runwayDays}-day runway needs ${formatEther(amount)} ${token}: send ${formatEther(amount - has)} ${token} to it, or pass a shorter --runway-days`,
    );
  }
  const chunks: SsvRegistrationChunk[] = [];
  for (let start = 0; start < keys.length; start += bulkLimit) {
    chunks.push({
      keys: keys.slice(start, start + bulkLimit),
      firstNonce: inputs.nonce + start,
      amount: start === 0 ? amount : 0n,
    });
  }
  const shortAllowance = era === "ssv-token" && amount > 0n && (funds.allowance ?? 0n) < amount;
  return {
    owner,
    era,
    operatorIds: [...inputs.operatorIds],
    existingCluster: inputs.existingCluster,
    chunks,
    amount,
    ...(shortAllowance ? { approve: amount } : {}),
  };
}

/** The plan as the lines `ssv register` prints before sending (and --dry-run prints alone). */
export function planLines(plan: SsvRegistrationPlan, why: readonly string[]): string[] {
  const token = eraToken(plan.era);
  const keys = plan.chunks.flatMap((c) => c.keys);
  const lines = [
    `Register ${keys.length} ${keys.length === 1 ? "validator" : "validators"} on SSV as ${plan.owner} (${plan.era} era)`,
    `Cluster ${plan.operatorIds.join(",")} (${plan.existingCluster ? "existing" : "new"}):`,
    ...why.map((line) => `  ${line}`),
    `Funding: ${formatEther(plan.amount)} ${token}`,
  ];
  if (plan.approve !== undefined)
    lines.push(`Call: approve ${formatEther(plan.approve)} SSV to the SSVNetwork`);
  for (const chunk of plan.chunks) {
    const call = chunk.keys.length === 1 ? "registerValidator" : "bulkRegisterValidator";
    lines.push(
      `Call: ${call} of ${chunk.keys.length} (nonces ${chunk.firstNonce}..${chunk.firstNonce + chunk.keys.length - 1}), ${formatEther(chunk.amount)} ${token}`,
    );
    for (const key of chunk.keys) lines.push(`  ${key}`);
  }
  return lines;
}
