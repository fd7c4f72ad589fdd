import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  ETH,
  OTHER_VAULT,
  VAULT,
  validatorInfo,
  validatorKey,
  vaultCredentials,
} from "../../../test/support/validator-info.ts";
import { type ConsolidationCheckInput, ConsolidationRefusedError, checkConsolidation } from "./checks.ts";

const validator = validatorInfo;
const key = validatorKey;
const credentials = vaultCredentials;
const OTHER = OTHER_VAULT;

function input(overrides: Partial<ConsolidationCheckInput> = {}): ConsolidationCheckInput {
  return {
    vault: VAULT,
    sources: [key(1), key(2)],
    target: key(3),
    validators: [validator(1), validator(2), validator(3, { withdrawalCredentials: credentials("02") })],
    pendingPartialWithdrawals: [],
    pendingConsolidations: [],
    maxValidatorBalanceGwei: 1945n * ETH,
    allowSwitch: true,
    ...overrides,
  };
}

function refused(overrides: Partial<ConsolidationCheckInput>, pattern: RegExp): void {
  assert.throws(
    () => checkConsolidation(input(overrides)),
    (error: unknown) => {
      assert.ok(error instanceof ConsolidationRefusedError);
      assert.match(error.message, pattern);
      assert.ok(!error.message.includes("\n"), "one line");
      return true;
    },
  );
}

describe("checkConsolidation", () => {
  it("merges 0x01 sources of the vault into its 0x02 target", () => {
    const plan = checkConsolidation(input());
    assert.equal(plan.kind, "merge");
    assert.deepEqual(
      plan.sources.map((s) => s.index),
      [1, 2],
    );
    assert.equal(plan.target.index, 3);
    assert.equal(plan.targetBalanceAfterGwei, 96n * ETH);
  });

  it("switches a 0x01 validator to 0x02 when the source is the target", () => {
    const plan = checkConsolidation(input({ sources: [key(1)], target: key(1) }));
    assert.equal(plan.kind, "switch");
    assert.equal(plan.target.index, 1);
    assert.deepEqual(
      plan.sources.map((s) => s.index),
      [1],
    );
  });

  it("refuses a source whose withdrawal credentials are not the vault's", () => {
    refused(
      {
        validators: [
          validator(1, { withdrawalCredentials: credentials("01", OTHER) }),
          validator(2),
          validator(3, { withdrawalCredentials: credentials("02") }),
        ],
      },
      /source 0x010101.*\(index 1\) is not a validator of vault .*consolidate only this vault's validators/,
    );
    // 0x00 (BLS) credentials are never the vault's.
    refused(
      {
        validators: [
          validator(1, { withdrawalCredentials: `0x00${"11".repeat(31)}` }),
          validator(2),
          validator(3, { withdrawalCredentials: credentials("02") }),
        ],
      },
      /is not a validator of vault/,
    );
  });

  it("refuses a key the beacon chain does not know", () => {
    refused(
      { validators: [validator(2), validator(3, { withdrawalCredentials: credentials("02") })] },
      /source 0x010101.* is not known to the consensus node/,
    );
  });

  for (const status of ["active_exiting", "exited_unslashed", "withdrawal_possible", "active_slashed"]) {
    it(`refuses a source that is ${status}`, () => {
      refused(
        {
          validators: [
            validator(1, { status }),
            validator(2),
            validator(3, { withdrawalCredentials: credentials("02") }),
          ],
        },
        new RegExp(`source .*\\(index 1\\) is ${status}, not active.*remove it from --source-public-keys`),
      );
    });
  }

  it("refuses an exiting target", () => {
    refused(
      {
        validators: [
          validator(1),
          validator(2),
          validator(3, { status: "active_exiting", withdrawalCredentials: credentials("02") }),
        ],
      },
      /target .*\(index 3\) is active_exiting, not active/,
    );
  });

  it("refuses a source with pending partial withdrawals", () => {
    refused(
      { pendingPartialWithdrawals: [{ validatorIndex: 2 }] },
      /source .*\(index 2\) has pending partial withdrawals/,
    );
  });

  it("refuses a source or target already in a pending consolidation", () => {
    refused(
      { pendingConsolidations: [{ sourceIndex: 1, targetIndex: 9 }] },
      /source .*\(index 1\) is already in a pending consolidation/,
    );
    refused(
      { pendingConsolidations: [{ sourceIndex: 3, targetIndex: 9 }] },
      /target .*\(index 3\) is already consolidating/,
    );
  });

  it("refuses a 0x01 target that is not being switched", () => {
    refused(
      { validators: [validator(1), validator(2), validator(3)] },
      /target .*\(index 3\) has 0x01 credentials and is not being switched: switch it first/,
    );
  });

  it("refuses a target that would exceed the max balance", () => {
    refused(
      { maxValidatorBalanceGwei: 95n * ETH },
      /would hold 96000000000 gwei, above --max-validator-balance-gwei 95000000000/,
    );
    assert.equal(
      checkConsolidation(input({ maxValidatorBalanceGwei: 96n * ETH })).targetBalanceAfterGwei,
      96n * ETH,
    );
  });

  it("refuses a switch with --no-switch-consolidation, and of a 0x02 validator", () => {
    refused({ sources: [key(1)], target: key(1), allowSwitch: false }, /--no-switch-consolidation is set/);
    refused(
      { sources: [key(3)], target: key(3) },
      /already has 0x02 credentials: there is nothing to switch/,
    );
  });

  it("refuses repeated sources and a switch mixed with a merge", () => {
    refused({ sources: [key(1), key(1)] }, /listed twice/);
    refused(
      { sources: [key(1), key(3)], target: key(3) },
      /also one of several sources: switch it alone first/,
    );
  });

  it("refuses a source active for less than SHARD_COMMITTEE_PERIOD, but not a switch", () => {
    const young = [
      validator(1, { activationEpoch: 10n }),
      validator(2),
      validator(3, { withdrawalCredentials: credentials("02") }),
    ];
    refused(
      { validators: young, shardCommittee: { headEpoch: 100n, periodEpochs: 256n } },
      /source .*\(index 1\) has been active since epoch 10, less than SHARD_COMMITTEE_PERIOD \(256 epochs\): wait until epoch 266/,
    );
    const plan = checkConsolidation(
      input({
        validators: young,
        sources: [key(1)],
        target: key(1),
        shardCommittee: { headEpoch: 100n, periodEpochs: 256n },
      }),
    );
    assert.equal(plan.kind, "switch");
  });
});
