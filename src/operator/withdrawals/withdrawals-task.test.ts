import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { decodeFunctionData, hexToBytes } from "viem";
import { memoryLogger } from "../../../test/support/memory-logger.ts";
import { beaconValidator, credentials, ETH_GWEI } from "../../../test/support/planning-fixtures.ts";
import { vaultV5Abi } from "../../chain/abi/vault-v5.ts";
import type { VaultState } from "../../chain/vault-state-reader.ts";
import { decodeWithdrawalEntries } from "../../keys/validator-entries.ts";
import { OperatorError } from "../../lib/errors.ts";
import { type ManagerCall, type ManagerSignatures, walletIsManager } from "../manager-signatures.ts";
import type { RoundContext } from "../round-context.ts";
import type { SlotSnapshot } from "../snapshot.ts";
import {
  GasPriceTooHighError,
  type TransactionRequest,
  type TransactionSender,
} from "../tx/transaction-sender.ts";
import { createWithdrawalsTask, WITHDRAWAL_GAS_FLOOR, type WithdrawalsInputs } from "./withdrawals-task.ts";

const VAULT = "0x3320ad928c20187602a2b2c04eeaa813fa899468";
const INTERVAL = 100;
const EPOCH_SECONDS = 10;
const FEE_WEI = 3n;

/** A round at head `timestamp`. */
const round = (timestamp: number): RoundContext<VaultState> => ({
  snapshot: {
    head: { number: BigInt(timestamp), timestamp },
    vault: { blockNumber: BigInt(timestamp) },
    fees: { maxFeePerGas: 1n, maxPriorityFeePerGas: 1n },
    balance: 10n ** 18n,
  } as unknown as SlotSnapshot<VaultState>,
  harvested: false,
});

/** One 0x02 validator of 40 ETH (8 ETH above 32) and one 0x01 validator of 32 ETH, both old. */
const baseInputs = (over: Partial<WithdrawalsInputs> = {}): WithdrawalsInputs => ({
  epoch: 10_000n,
  shardCommitteePeriod: 256n,
  validators: [
    beaconValidator(7, { balanceGwei: 40n * ETH_GWEI, withdrawalCredentials: credentials("0x02") }),
    beaconValidator(8, { balanceGwei: 32n * ETH_GWEI, withdrawalCredentials: credentials("0x01") }),
  ],
  exitQueueMissingGwei: 0n,
  pendingPartialWithdrawals: [],
  pendingConsolidations: [],
  partialQueueFull: false,
  forcedExits: new Set(),
  validatorMinActiveEpochs: 0n,
  requestFeeWei: () => FEE_WEI,
  beaconTime: 1_000_000,
  ...over,
});

interface Harness {
  sent: TransactionRequest[];
  reads: string[];
  /** What the chain says the next readInputs returns. */
  inputs: WithdrawalsInputs;
  /** The block timestamp of the vault's last ValidatorWithdrawalSubmitted event, as the chain says. */
  lastOnChain: number | undefined;
  failCheck?: Error;
  task: ReturnType<typeof createWithdrawalsTask>;
}

function harness(over: { maxRequestFeeGwei?: bigint; manager?: ManagerSignatures } = {}): Harness {
  const h = { sent: [], reads: [], inputs: baseInputs(), lastOnChain: undefined } as unknown as Harness;
  const sender: TransactionSender = {
    checkCanPay: (_state, gas, kind) => {
      h.reads.push(`check ${kind} ${gas}`);
      if (h.failCheck) throw h.failCheck;
    },
    send: async (request) => {
      h.sent.push(request);
      return { transactionHash: `0x${"ab".repeat(32)}`, blockNumber: 5n, status: "success" };
    },
    settle: async () => true,
  };
  h.task = createWithdrawalsTask({
    vault: VAULT,
    intervalSeconds: INTERVAL,
    recheckSeconds: EPOCH_SECONDS,
    maxRequestFeeGwei: over.maxRequestFeeGwei ?? 1000n,
    disableFullWithdrawals: false,
    lastSubmittedAt: async () => {
      h.reads.push("events");
      return h.lastOnChain;
    },
    readInputs: async () => {
      h.reads.push("inputs");
      return h.inputs;
    },
    sender,
    manager: over.manager ?? walletIsManager,
    log: memoryLogger(),
  });
  return h;
}

const run = (h: Harness, timestamp: number) => h.task.run(round(timestamp), new AbortController().signal);

function decoded(request: TransactionRequest | undefined) {
  assert.ok(request);
  const { functionName, args } = decodeFunctionData({ abi: vaultV5Abi, data: request.data });
  assert.equal(functionName, "withdrawValidators");
  const [validators, signature] = args as readonly [`0x${string}`, `0x${string}`];
  return {
    to: request.to,
    kind: request.kind,
    value: request.value,
    signature,
    entries: decodeWithdrawalEntries(hexToBytes(validators)).map((e) => [
      Buffer.from(e.publicKey).toString("hex"),
      e.amountGwei,
    ]),
  };
}

describe("withdrawals task", () => {
  it("does not plan from a beacon state older than the last submission (it would not show it yet)", async () => {
    const h = harness();
    h.lastOnChain = 900;
    h.inputs = baseInputs({ exitQueueMissingGwei: 5n * ETH_GWEI, beaconTime: 899 });
    assert.deepEqual(await run(h, 1001), { kind: "ok" });
    assert.deepEqual(h.sent, [], "the queue only looked unpaid");
    h.inputs = baseInputs({ exitQueueMissingGwei: 5n * ETH_GWEI, beaconTime: 1001 });
    await run(h, 1002);
    assert.equal(h.sent.length, 1, "planned again once the beacon caught up");
  });

  it("serves the exit queue with a partial withdrawal from a 0x02 validator's excess, fee paid", async () => {
    const h = harness();
    h.inputs = baseInputs({ exitQueueMissingGwei: 5n * ETH_GWEI });
    assert.deepEqual(await run(h, 1000), { kind: "ok" });
    assert.deepEqual(h.reads, ["events", "inputs", `check withdrawal ${WITHDRAWAL_GAS_FLOOR}`]);
    assert.deepEqual(decoded(h.sent[0]), {
      to: VAULT,
      kind: "withdrawal",
      value: FEE_WEI,
      signature: "0x",
      entries: [[beaconValidator(7).pubkey.slice(2).toLowerCase(), 5n * ETH_GWEI]],
    });
  });

  it("a relayer-managed vault: the relayer signs the exact withdrawValidators entries; its failure sends nothing", async () => {
    const asked: ManagerCall[] = [];
    let fail = true;
    const h = harness({
      manager: {
        signer: "http://relayer.test",
        sign: async (call) => {
          asked.push(call);
          if (fail) throw new OperatorError("relayer down", { retryable: true });
          return `0x${"5b".repeat(65)}`;
        },
      },
    });
    h.inputs = baseInputs({ exitQueueMissingGwei: 5n * ETH_GWEI });
    await assert.rejects(run(h, 1000), /relayer down/);
    assert.deepEqual(h.sent, []);
    fail = false;
    await run(h, 1001);
    const sent = decoded(h.sent[0]);
    assert.equal(sent.signature, `0x${"5b".repeat(65)}`);
    assert.equal(asked.at(-1)?.kind, "withdraw");
    const request = (h.sent as TransactionRequest[])[0] as TransactionRequest;
    const { args } = decodeFunctionData({ abi: vaultV5Abi, data: request.data });
    assert.equal(args[0], asked.at(-1)?.validators);
  });

  it("exits a validator fully when partials cannot cover the queue, and pays per request", async () => {
    const h = harness();
    h.inputs = baseInputs({ exitQueueMissingGwei: 30n * ETH_GWEI });
    await run(h, 1000);
    const tx = decoded(h.sent[0]);
    // The smallest validator exits (32 ETH covers 30); no partial is needed beside it.
    assert.deepEqual(tx.entries, [[beaconValidator(8).pubkey.slice(2).toLowerCase(), 0n]]);
    assert.equal(tx.value, FEE_WEI);
  });

  it("sends nothing a second time within WITHDRAWALS_INTERVAL, and reads nothing meanwhile", async () => {
    const h = harness();
    h.inputs = baseInputs({ exitQueueMissingGwei: 5n * ETH_GWEI });
    await run(h, 1000);
    h.reads.length = 0;
    // The beacon has not processed the request yet: the same inputs would ask for it again.
    await run(h, 1050);
    await run(h, 1100);
    assert.equal(h.sent.length, 1);
    assert.deepEqual(h.reads, []);
    // After the interval, it asks the chain, which now shows the partial withdrawal pending.
    h.inputs = baseInputs({
      exitQueueMissingGwei: 5n * ETH_GWEI,
      pendingPartialWithdrawals: [{ validatorIndex: 7, amountGwei: 5n * ETH_GWEI }],
    });
    h.lastOnChain = 1000;
    await run(h, 1101);
    assert.deepEqual(h.reads, ["events", "inputs"]);
    assert.equal(h.sent.length, 1);
  });

  it("after a restart, learns the last submission from the vault's events", async () => {
    const h = harness();
    h.inputs = baseInputs({ exitQueueMissingGwei: 5n * ETH_GWEI });
    h.lastOnChain = 950;
    assert.deepEqual(await run(h, 1000), { kind: "ok" });
    await run(h, 1040);
    assert.deepEqual(h.reads, ["events"]);
    assert.equal(h.sent.length, 0);
  });

  it("checks an idle queue again only once an epoch has passed", async () => {
    const h = harness();
    await run(h, 1000);
    await run(h, 1005);
    await run(h, 1010);
    assert.deepEqual(h.reads, ["events", "inputs", "events", "inputs"]);
    assert.equal(h.sent.length, 0);
  });

  it("waits, saying so in one line, while the request fee is above the cap", async () => {
    const h = harness({ maxRequestFeeGwei: 1n });
    h.inputs = baseInputs({ exitQueueMissingGwei: 5n * ETH_GWEI, requestFeeWei: () => 2n * ETH_GWEI });
    const wait = {
      kind: "waiting",
      for: "withdrawal-fee",
      reason:
        "the withdrawal request fee is 2 gwei, above --max-withdrawal-request-fee-gwei 1; withdrawals wait for it to fall",
    };
    assert.deepEqual(await run(h, 1000), wait);
    // Until the next check, the task still says what it waits for.
    assert.deepEqual(await run(h, 1005), wait);
    h.inputs = baseInputs({ exitQueueMissingGwei: 5n * ETH_GWEI });
    assert.deepEqual(await run(h, 1010), { kind: "ok" });
    assert.equal(h.sent.length, 1);
  });

  it("waits for the gas price like every other transaction", async () => {
    const h = harness();
    h.inputs = baseInputs({ exitQueueMissingGwei: 5n * ETH_GWEI });
    h.failCheck = new GasPriceTooHighError(
      "gas price 50.00 gwei is above --max-fee-per-gas-gwei 10.00: waiting",
    );
    const outcome = await run(h, 1000);
    assert.equal(outcome.kind, "waiting");
    assert.equal(outcome.kind === "waiting" ? outcome.for : "", "gas");
    assert.equal(h.sent.length, 0);
  });

  it("counts what is already coming back: an exiting validator covers the queue", async () => {
    const h = harness();
    h.inputs = baseInputs({
      exitQueueMissingGwei: 30n * ETH_GWEI,
      validators: [
        beaconValidator(7, { balanceGwei: 40n * ETH_GWEI, withdrawalCredentials: credentials("0x02") }),
        beaconValidator(8, { balanceGwei: 32n * ETH_GWEI, status: "active_exiting" }),
      ],
    });
    assert.deepEqual(await run(h, 1000), { kind: "ok" });
    assert.equal(h.sent.length, 0);
  });
});
