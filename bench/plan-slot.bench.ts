/**
 * Plans one slot of a version-5 vault with 10,000 validators (issue 12, Must 7): top-up
 * candidates, new registrations and withdrawals from the beacon's view of the vault, its pending
 * deposits, partial withdrawals and consolidations. The limit is 1 s; the figure is printed next
 * to the time to read the same inputs alone (JSON.parse of the Beacon API answers, then their
 * validation), which the service pays anyway.
 *
 * Run alone: node bench/plan-slot.bench.ts
 */
import { performance } from "node:perf_hooks";
import {
  PendingConsolidationsResponse,
  PendingDepositsResponse,
  PendingPartialWithdrawalsResponse,
  toPendingConsolidation,
  toPendingDeposit,
  toPendingPartialWithdrawal,
  toValidatorInfo,
  ValidatorsResponse,
} from "../src/chain/consensus-dto.ts";
import { forcedExitIndexes } from "../src/operator/planning/oracle-exits.ts";
import { planSlot, type SlotPlan } from "../src/operator/planning/slot-plan.ts";

const VALIDATORS = 10_000;
/** Other vaults' deposits in the beacon's queue besides ours. */
const OTHER_PENDING_DEPOSITS = 30_000;
const LIMIT_MS = 1000;
const RUNS = 5;
const ETH = 1_000_000_000n;
const EPOCH = 400_000n;
const FAR_FUTURE = (2n ** 64n - 1n).toString();

const hex = (n: number, bytes: number) => `0x${n.toString(16).padStart(bytes * 2, "0")}`;
const credentials = (type: string) => `${type}${"00".repeat(11)}${"ab".repeat(20)}`;

/** The Beacon API answers the service would receive, as text. */
function beaconAnswers() {
  const validators = Array.from({ length: VALIDATORS }, (_, i) => {
    const compounding = i % 2 === 0;
    const balance = compounding ? 32n * ETH + BigInt((i * 7919) % 1900) * ETH : 32n * ETH;
    const exiting = i % 97 === 0;
    return {
      index: String(1_000_000 + i),
      balance: balance.toString(),
      status: exiting ? "active_exiting" : "active_ongoing",
      validator: {
        pubkey: hex(i + 1, 48),
        withdrawal_credentials: credentials(compounding ? "0x02" : "0x01"),
        effective_balance: balance.toString(),
        slashed: false,
        activation_eligibility_epoch: "100",
        activation_epoch: String(100 + (i % 1000) * 300),
        exit_epoch: exiting ? String(EPOCH + 10n) : FAR_FUTURE,
        withdrawable_epoch: exiting ? String(EPOCH + 266n) : FAR_FUTURE,
      },
    };
  });
  const deposits = Array.from({ length: OTHER_PENDING_DEPOSITS + VALIDATORS / 10 }, (_, i) => ({
    // Every tenth of ours has a deposit pending; the rest are other validators'.
    pubkey: i < VALIDATORS / 10 ? hex(i * 10 + 1, 48) : hex(5_000_000 + i, 48),
    withdrawal_credentials: credentials("0x02"),
    amount: (10n * ETH).toString(),
    signature: `0x${"00".repeat(96)}`,
    slot: String(12_800_000 + i),
  }));
  const partials = Array.from({ length: 2000 }, (_, i) => ({
    validator_index: String(1_000_000 + i * 4),
    amount: (5n * ETH).toString(),
    withdrawable_epoch: String(EPOCH + 256n),
  }));
  const consolidations = Array.from({ length: 200 }, (_, i) => ({
    source_index: String(1_000_001 + i * 40),
    target_index: String(1_000_000 + i * 40),
  }));
  const wrap = (data: unknown[]) =>
    JSON.stringify({ version: "electra", execution_optimistic: false, finalized: false, data });
  return {
    validators: wrap(validators),
    deposits: wrap(deposits),
    partials: wrap(partials),
    consolidations: wrap(consolidations),
  };
}

function read(answers: ReturnType<typeof beaconAnswers>, validate: boolean) {
  const raw = {
    validators: JSON.parse(answers.validators) as unknown,
    deposits: JSON.parse(answers.deposits) as unknown,
    partials: JSON.parse(answers.partials) as unknown,
    consolidations: JSON.parse(answers.consolidations) as unknown,
  };
  if (!validate) return undefined;
  return {
    validators: ValidatorsResponse.parse(raw.validators).data.map(toValidatorInfo),
    deposits: PendingDepositsResponse.parse(raw.deposits).data.map(toPendingDeposit),
    partials: PendingPartialWithdrawalsResponse.parse(raw.partials).data.map(toPendingPartialWithdrawal),
    consolidations: PendingConsolidationsResponse.parse(raw.consolidations).data.map(toPendingConsolidation),
  };
}

function plan(inputs: NonNullable<ReturnType<typeof read>>): SlotPlan {
  const oracleAnswers = [0, 1, 2].map(() => inputs.validators.slice(0, 30).map((v) => v.index));
  return planSlot({
    settings: {
      validatorType: "0x02",
      minDepositAmountGwei: 10n * ETH,
      vaultMinBalanceGwei: 0n,
      maxValidatorBalanceGwei: 1945n * ETH,
      minDepositDelaySeconds: 3600,
      fundingBatchSize: 10,
      disableValidatorsFunding: false,
      disableValidatorsRegistration: false,
    },
    // Enough to fill many validators, with some left to register.
    withdrawableGwei: 6_000_000n * ETH,
    approvalBatchLimit: 100,
    topUps: {
      registeredKeys: inputs.validators.map((v) => v.pubkey),
      beaconValidators: inputs.validators,
      pendingDeposits: inputs.deposits,
      lastDepositAt: new Map(inputs.validators.slice(0, 500).map((v) => [v.pubkey, 1_800_000_000])),
      now: 1_800_000_100,
    },
    withdrawals: {
      epoch: EPOCH,
      validators: inputs.validators,
      // More than partials can give: the full-exit path runs too.
      exitQueueMissingGwei: 3_000_000n * ETH,
      pendingPartialWithdrawals: inputs.partials,
      pendingConsolidations: inputs.consolidations,
      forcedExits: forcedExitIndexes(oracleAnswers, 2),
      validatorMinActiveEpochs: 0n,
      disableFullWithdrawals: false,
      partialQueueFull: false,
      requestFeeWei: () => 1n,
      maxRequestFeeGwei: 1000n,
    },
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

function timed<T>(work: () => T): [T, number] {
  const start = performance.now();
  const result = work();
  return [result, performance.now() - start];
}

export async function run(): Promise<void> {
  const answers = beaconAnswers();
  const megabytes = Object.values(answers).reduce((sum, text) => sum + text.length, 0) / 1024 / 1024;
  const parseMs: number[] = [];
  const readMs: number[] = [];
  const planMs: number[] = [];
  let last: SlotPlan | undefined;
  for (let k = 0; k < RUNS; k++) {
    parseMs.push(timed(() => read(answers, false))[1]);
    const [inputs, ms] = timed(() => read(answers, true));
    readMs.push(ms);
    if (!inputs) throw new Error("no inputs");
    const [result, planned] = timed(() => plan(inputs));
    planMs.push(planned);
    last = result;
  }
  const counts = new Map<string, number>();
  for (const action of last?.actions ?? []) counts.set(action.kind, (counts.get(action.kind) ?? 0) + 1);
  const summary = [...counts].map(([kind, n]) => `${n} ${kind}`).join(", ");

  const figure = median(planMs);
  console.log(
    `plan slot: ${VALIDATORS} validators planned in ${figure.toFixed(0)} ms (limit ${LIMIT_MS} ms; ${summary})`,
  );
  console.log(
    `plan slot: reading the inputs alone (${megabytes.toFixed(1)} MiB of Beacon API JSON, ${OTHER_PENDING_DEPOSITS + VALIDATORS / 10} pending deposits): ` +
      `JSON.parse ${median(parseMs).toFixed(0)} ms, with validation ${median(readMs).toFixed(0)} ms`,
  );
  if (figure > LIMIT_MS) console.warn(`plan slot: slower than the ${LIMIT_MS} ms limit`);
}

if (import.meta.main) await run();
