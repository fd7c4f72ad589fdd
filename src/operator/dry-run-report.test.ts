import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { dryRunLines } from "./dry-run-report.ts";
import type { OnceRoundResult } from "./once-run.ts";

const KEY = `0x${"ab".repeat(48)}` as const;
const FEES = { maxFeePerGas: 2_000_000_000n, maxPriorityFeePerGas: 1_000_000_000n };

/** Only what the report reads; the clients are never touched by it. */
function result(extra: Partial<OnceRoundResult>): OnceRoundResult {
  return {
    network: { gasToken: "ETH" },
    flow: { kind: "validators-manager", name: "validators manager is the wallet" },
    version: 5,
    wallet: "0x58A57ed9d8d624cBD12e2C467D34787555bB1b25",
    slot: 15,
    snapshot: { head: { number: 15n, timestamp: 0 }, balance: 10n ** 19n },
    unusedKeys: 2,
    tasks: {},
    dryRun: { registrations: [], sends: [] },
    ...extra,
  } as OnceRoundResult;
}

describe("dryRunLines", () => {
  it("prints the planned registration, every recorded send and each task's outcome", () => {
    const lines = dryRunLines(
      result({
        tasks: {
          registration: { state: "ok", since: 0 },
          withdrawals: { state: "ok", since: 0 },
          harvest: { state: "failed", since: 0, reason: "dry run: the hot wallet signs nothing" },
          "top-up": {
            state: "waiting",
            since: 0,
            waitingFor: "deposit-delay",
            reason: "validator 3 got a deposit",
          },
        },
        dryRun: {
          registrations: [
            {
              flow: "validators manager is the wallet",
              validators: [{ publicKey: KEY, amountGwei: 100_000_000_001n }],
              firstDepositIndex: undefined,
              harvests: true,
              gasFloor: 150_000n,
              fees: FEES,
              balance: 10n ** 19n,
            },
          ],
          sends: [
            {
              kind: "withdrawal",
              to: "0x3320ad928c20187602a2b2c04eeaa813fa899468",
              data: "0x12345678aabb",
              value: 3n,
              publicKeys: [],
              gas: 100_000n,
              gasError: undefined,
              fees: FEES,
            },
          ],
        },
      }),
    );
    assert.deepEqual(lines, [
      "Dry run of one round at slot 15, block 15: nothing was signed, sent or written.",
      "Vault validators manager is the wallet; hot wallet 0x58A57ed9d8d624cBD12e2C467D34787555bB1b25 holds 10 ETH.",
      "Task registration: plans a registration (below)",
      "Task withdrawals: ok",
      "Task harvest: stops: dry run: the hot wallet signs nothing",
      "Task top-up: waits for the deposit delay: validator 3 got a deposit",
      "Would register 1 validator through the validators manager is the wallet, harvesting the vault in the same call:",
      `  1. ${KEY}: 100000000001 gwei`,
      "  fees: max 2 gwei, priority 1 gwei; gas at least 150000 (at least 0.0003 ETH)",
      "  the oracles' approvals are not requested by a dry run: the next round asks them, then sends",
      "Would send withdrawal to 0x3320ad928c20187602a2b2c04eeaa813fa899468 with 0.000000000000000003 ETH: 0x12345678… (6 bytes), gas 100000 (up to 0.00024 ETH), max fee 2 gwei",
    ]);
  });

  it("says when the round would send nothing", () => {
    const lines = dryRunLines(
      result({
        tasks: { registration: { state: "waiting", since: 0, waitingFor: "assets", reason: "0 ETH" } },
      }),
    );
    assert.deepEqual(lines.slice(2), [
      "Task registration: waits for assets: 0 ETH",
      "Would send nothing this round.",
    ]);
  });
});
