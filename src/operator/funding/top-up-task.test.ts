import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { decodeFunctionData, type Hex, hexToBytes } from "viem";
import { memoryLogger } from "../../../test/support/memory-logger.ts";
import { vaultV5Abi } from "../../chain/abi/vault-v5.ts";
import type { HarvestParams } from "../../chain/vault-reader.ts";
import type { VaultState } from "../../chain/vault-state-reader.ts";
import { decodeValidatorDepositEntries } from "../../keys/validator-entries.ts";
import { type ManagerCall, type ManagerSignatures, walletIsManager } from "../manager-signatures.ts";
import type { BeaconValidator } from "../planning/beacon-rules.ts";
import type { RoundContext } from "../round-context.ts";
import type { SlotSnapshot } from "../snapshot.ts";
import {
  GasPriceTooHighError,
  type TransactionRequest,
  TransactionRevertedError,
  type TransactionSender,
} from "../tx/transaction-sender.ts";
import type { FundingHistory } from "./funding-history.ts";
import { createTopUpTask, type TopUpSettings } from "./top-up-task.ts";

const VAULT = "0x3320ad928c20187602a2b2c04eeaa813fa899468";
const GWEI = 1_000_000_000n;
const ETH = 1_000_000_000n;
const NOW = 1_800_000_000;
const key = (n: number) => `0x${n.toString(16).padStart(2, "0").repeat(48)}` as `0x${string}`;
const CREDENTIALS = `0x02${"0".repeat(22)}${VAULT.slice(2)}` as `0x${string}`;
const HARVEST: HarvestParams = {
  rewardsRoot: `0x${"11".repeat(32)}`,
  reward: 1n,
  unlockedMevReward: 0n,
  proof: [],
};

const SETTINGS: TopUpSettings = {
  maxValidatorBalanceGwei: 1945n * ETH,
  minDepositAmountGwei: 10n * ETH,
  vaultMinBalanceGwei: 0n,
  minDepositDelaySeconds: 3600,
  batchSize: 10,
};

function round(stakeableEth: bigint, harvest = false): RoundContext<VaultState> {
  const snapshot = {
    head: { number: 100n, timestamp: NOW },
    stakeable: stakeableEth * ETH * GWEI,
    harvest: harvest ? { params: HARVEST, assetsAfter: 0n } : undefined,
    fees: { maxFeePerGas: 1n, maxPriorityFeePerGas: 1n },
    balance: 10n ** 18n,
  } as SlotSnapshot<VaultState>;
  return { snapshot, harvested: false };
}

function validator(n: number, balanceEth: bigint): BeaconValidator {
  return {
    index: n,
    pubkey: key(n),
    balanceGwei: balanceEth * ETH,
    status: "active_ongoing",
    withdrawalCredentials: CREDENTIALS,
    activationEpoch: 1n,
  };
}

function fakeSender(calls: string[], sent: TransactionRequest[], fail?: () => void): TransactionSender {
  return {
    checkCanPay: (_state, gasFloor, kind) => {
      calls.push(`check ${kind} ${gasFloor}`);
      fail?.();
    },
    async send(request) {
      calls.push(`send ${request.kind}`);
      sent.push(request);
      return { transactionHash: `0x${"ab".repeat(32)}`, blockNumber: 9n, status: "success" };
    },
    settle: async () => true,
  };
}

function setup(options: {
  network?: { depositUnitsPerAsset?: number };
  history?: FundingHistory;
  validators?: BeaconValidator[];
  settings?: Partial<TopUpSettings>;
  fail?: () => void;
  send?: () => never;
  manager?: ManagerSignatures;
}) {
  const calls: string[] = [];
  const sent: TransactionRequest[] = [];
  const counts: Record<string, number> = {};
  const inc = (name: string) => (labels?: unknown, value?: number) => {
    const k = typeof labels === "object" && labels ? `${name} ${Object.values(labels).join(",")}` : name;
    counts[k] = (counts[k] ?? 0) + (typeof labels === "number" ? labels : (value ?? 1));
  };
  const log = memoryLogger();
  const sender = fakeSender(calls, sent, options.fail);
  if (options.send) sender.send = options.send;
  const task = createTopUpTask({
    vault: VAULT,
    network: options.network ?? {},
    settings: { ...SETTINGS, ...options.settings },
    history: async () => {
      calls.push("history");
      return options.history ?? { keys: [key(1)], lastDepositAt: new Map() };
    },
    beacon: async (keys) => {
      calls.push(`beacon ${keys.length}`);
      return { validators: options.validators ?? [validator(1, 100n)], pendingDeposits: [] };
    },
    sender,
    manager: options.manager ?? walletIsManager,
    metrics: { topUps: { inc: inc("topUps") }, validatorsFunded: { inc: inc("funded") } } as never,
    log,
  });
  return { task, calls, sent, counts, log };
}

/** The calls of a sent vault.multicall, by function name, with the fundValidators entries decoded. */
function multicallOf(request: TransactionRequest) {
  const outer = decodeFunctionData({ abi: vaultV5Abi, data: request.data });
  assert.equal(outer.functionName, "multicall");
  return (outer.args[0] as readonly Hex[]).map((data) => {
    const call = decodeFunctionData({ abi: vaultV5Abi, data });
    if (call.functionName !== "fundValidators") return { name: call.functionName };
    const [validators, signature] = call.args as readonly [Hex, Hex];
    const { type, entries } = decodeValidatorDepositEntries(hexToBytes(validators));
    return {
      name: call.functionName,
      signature,
      type,
      fundings: entries.map((e) => ({ publicKey: e.publicKey.length, amountGwei: e.amountGwei })),
    };
  });
}

const signal = new AbortController().signal;

describe("top-up task", () => {
  it("reads nothing when the vault cannot make the minimum deposit", async () => {
    const { task, calls } = setup({});
    const r = round(9n);
    assert.deepEqual(await task.run(r, signal), { kind: "ok" });
    assert.deepEqual(calls, []);
    assert.equal(r.reservedWei, undefined);
  });

  it("tops a 0x02 validator up with the vault's assets: fundValidators in vault.multicall, empty manager signature", async () => {
    const { task, calls, sent, counts, log } = setup({});
    const r = round(50n);
    assert.deepEqual(await task.run(r, signal), { kind: "ok" });
    assert.deepEqual(calls, ["history", "beacon 1", "check top-up 100000", "send top-up"]);
    assert.equal(sent.length, 1);
    assert.equal(sent[0]?.kind, "top-up");
    assert.equal(sent[0]?.to, VAULT);
    // A top-up names no keys in the journal: they are held by their (mined) registration.
    assert.equal(sent[0]?.publicKeys, undefined);
    assert.deepEqual(multicallOf(sent[0] as TransactionRequest), [
      {
        name: "fundValidators",
        signature: "0x",
        type: "0x02",
        fundings: [{ publicKey: 48, amountGwei: 50n * ETH }],
      },
    ]);
    assert.equal(r.reservedWei, 50n * ETH * GWEI, "registration may not spend the 50 ETH again");
    assert.equal(r.harvested, false);
    assert.deepEqual(counts, { "topUps success": 1, funded: 1 });
    assert.deepEqual(log.lines("info"), ["info validators topped up"]);
    assert.deepEqual(log.entries[0]?.context?.amountsGwei, ["50000000000"]);
  });

  it("a relayer-managed vault: the relayer's manager signature over the exact fundValidators entries", async () => {
    const asked: ManagerCall[] = [];
    const manager: ManagerSignatures = {
      signer: "http://relayer.test",
      sign: async (call) => {
        asked.push(call);
        return `0x${"5a".repeat(65)}`;
      },
    };
    const { task, sent } = setup({ manager });
    await task.run(round(50n), signal);
    assert.equal(asked.length, 1);
    assert.equal(asked[0]?.kind, "fund");
    assert.deepEqual(asked[0]?.items, [{ publicKey: key(1), amountGwei: 50n * ETH }]);
    const outer = decodeFunctionData({ abi: vaultV5Abi, data: (sent[0] as TransactionRequest).data });
    const inner = decodeFunctionData({ abi: vaultV5Abi, data: (outer.args[0] as readonly Hex[])[0] as Hex });
    assert.deepEqual(inner.args, [asked[0]?.validators, `0x${"5a".repeat(65)}`]);
  });

  it("on Gnosis tops up in mGNO: 2 GNO in the vault fund 64 mGNO, and 2 GNO are reserved", async () => {
    const { task, sent } = setup({ network: { depositUnitsPerAsset: 32 } });
    const r = round(2n);
    assert.deepEqual(await task.run(r, signal), { kind: "ok" });
    assert.deepEqual(multicallOf(sent[0] as TransactionRequest)[0]?.fundings, [
      { publicKey: 48, amountGwei: 64n * ETH },
    ]);
    assert.equal(r.reservedWei, 2n * ETH * GWEI);
  });

  it("puts a due harvest first (fundValidators refuses a vault that needs one) and spends it", async () => {
    const { task, sent } = setup({});
    const r = round(50n, true);
    await task.run(r, signal);
    assert.deepEqual(
      multicallOf(sent[0] as TransactionRequest).map((c) => c.name),
      ["updateState", "fundValidators"],
    );
    assert.equal(r.harvested, true);
  });

  it("holds a top-up within --min-deposit-delay: a wait with its reason, and its assets reserved", async () => {
    const { task, calls } = setup({
      history: { keys: [key(1)], lastDepositAt: new Map([[key(1), NOW - 60]]) },
    });
    const r = round(50n);
    const outcome = await task.run(r, signal);
    assert.equal(outcome.kind, "waiting");
    assert.equal(outcome.kind === "waiting" && outcome.for, "deposit-delay");
    assert.match(outcome.kind === "waiting" ? outcome.reason : "", /--min-deposit-delay/);
    assert.deepEqual(calls, ["history", "beacon 1"]);
    assert.equal(r.reservedWei, 50n * ETH * GWEI);
  });

  it("sends the first batch this slot and reserves every planned top-up", async () => {
    const validators = [validator(1, 100n), validator(2, 90n), validator(3, 80n)];
    const { task, sent } = setup({
      history: { keys: [key(1), key(2), key(3)], lastDepositAt: new Map() },
      validators,
      settings: { batchSize: 2, maxValidatorBalanceGwei: 120n * ETH },
    });
    const r = round(100n);
    await task.run(r, signal);
    assert.deepEqual(multicallOf(sent[0] as TransactionRequest)[0]?.fundings, [
      { publicKey: 48, amountGwei: 20n * ETH },
      { publicKey: 48, amountGwei: 30n * ETH },
    ]);
    assert.equal(r.reservedWei, 90n * ETH * GWEI);
  });

  it("ignores keys the vault does not track and validators without 0x02 credentials", async () => {
    const v01 = {
      ...validator(2, 32n),
      withdrawalCredentials: `0x01${CREDENTIALS.slice(4)}` as `0x${string}`,
    };
    const { task, sent } = setup({
      history: { keys: [key(2)], lastDepositAt: new Map() },
      validators: [v01, validator(1, 32n)],
    });
    const r = round(50n);
    assert.deepEqual(await task.run(r, signal), { kind: "ok" });
    assert.equal(sent.length, 0);
    assert.equal(r.reservedWei, undefined);
  });

  it("waits for gas without sending; the planned top-up stays reserved", async () => {
    const { task, sent, counts } = setup({
      fail: () => {
        throw new GasPriceTooHighError(
          "gas price 90.00 gwei is above --max-fee-per-gas-gwei 50.00: waiting",
          {
            retryable: true,
          },
        );
      },
    });
    const r = round(50n);
    const outcome = await task.run(r, signal);
    assert.equal(outcome.kind === "waiting" && outcome.for, "gas");
    assert.equal(sent.length, 0);
    assert.equal(r.reservedWei, 50n * ETH * GWEI);
    assert.deepEqual(counts, {});
  });

  it("fails on a reverted top-up and counts it", async () => {
    const { task, counts } = setup({
      send: () => {
        throw new TransactionRevertedError("top-up transaction 0xab reverted");
      },
    });
    await assert.rejects(task.run(round(50n), signal), TransactionRevertedError);
    assert.deepEqual(counts, { "topUps failure": 1 });
  });
});
