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
import type { ValidatorInfo } from "../../chain/consensus-dto.ts";
import { checkConsolidation } from "./checks.ts";
import { type ConsolidationSelectionInput, selectConsolidation } from "./selection.ts";

/** Validator n, active since epoch n unless overridden: the lower n, the longer active. */
const validator = (n: number, overrides: Partial<ValidatorInfo> = {}) =>
  validatorInfo(n, { activationEpoch: BigInt(n), ...overrides });
const key = validatorKey;
const credentials = vaultCredentials;
const OTHER = OTHER_VAULT;
const compounding = (n: number, balanceEth: bigint, overrides: Partial<ValidatorInfo> = {}) =>
  validator(n, { withdrawalCredentials: credentials("02"), balanceGwei: balanceEth * ETH, ...overrides });

function input(overrides: Partial<ConsolidationSelectionInput> = {}): ConsolidationSelectionInput {
  return {
    vault: VAULT,
    validators: [],
    pendingPartialWithdrawals: [],
    pendingConsolidations: [],
    exclude: new Set(),
    maxValidatorBalanceGwei: 1945n * ETH,
    allowSwitch: true,
    shardCommittee: { headEpoch: 1000n, periodEpochs: 256n },
    ...overrides,
  };
}

describe("selectConsolidation", () => {
  it("no 0x02 validator yet: switches the longest-active 0x01 validator", () => {
    const validators = [
      validator(5, { activationEpoch: 20n }),
      validator(3, { activationEpoch: 10n }),
      validator(4),
    ];
    assert.deepEqual(selectConsolidation(input({ validators })), {
      kind: "keys",
      sources: [key(4)],
      target: key(4),
    });
  });

  it("merges the longest-active 0x01 validators into the 0x02 one with the least balance, up to the limit", () => {
    const validators = [
      compounding(1, 100n),
      compounding(2, 64n),
      validator(9),
      validator(7),
      validator(8),
      validator(6),
    ];
    const selection = selectConsolidation(input({ validators, maxValidatorBalanceGwei: 160n * ETH }));
    assert.deepEqual(selection, { kind: "keys", sources: [key(6), key(7), key(8)], target: key(2) });
    // What it picks passes the checks keys given by hand pass.
    if (selection.kind !== "keys") return;
    const plan = checkConsolidation({
      ...input({ validators, maxValidatorBalanceGwei: 160n * ETH }),
      ...selection,
    });
    assert.equal(plan.kind, "merge");
    assert.equal(plan.targetBalanceAfterGwei, 160n * ETH);
  });

  it("passes over what cannot be a source: excluded, exiting, consolidating, withdrawing, too new, another vault's", () => {
    const validators = [
      compounding(1, 40n),
      validator(2),
      validator(3, { status: "active_exiting" }),
      validator(4),
      validator(5),
      validator(6, { activationEpoch: 900n }),
      validator(7, { withdrawalCredentials: credentials("01", OTHER) }),
      validator(8),
      validator(9),
    ];
    const selection = selectConsolidation(
      input({
        validators,
        exclude: new Set([key(2)]),
        pendingConsolidations: [{ sourceIndex: 4, targetIndex: 1 }],
        pendingPartialWithdrawals: [{ validatorIndex: 5 }],
        maxValidatorBalanceGwei: 200n * ETH,
      }),
    );
    assert.deepEqual(selection, { kind: "keys", sources: [key(8), key(9)], target: key(1) });
  });

  it("a target consolidating away or excluded is not chosen; the next 0x02 is", () => {
    const validators = [compounding(1, 40n), compounding(2, 50n), compounding(3, 60n), validator(9)];
    const selection = selectConsolidation(
      input({
        validators,
        exclude: new Set([key(2)]),
        pendingConsolidations: [{ sourceIndex: 1, targetIndex: 3 }],
      }),
    );
    assert.deepEqual(selection, { kind: "keys", sources: [key(9)], target: key(3) });
  });

  it("the least-balance 0x02 validator is full: switches the longest-active 0x01 instead", () => {
    const validators = [compounding(1, 1930n), validator(4), validator(3)];
    assert.deepEqual(selectConsolidation(input({ validators })), {
      kind: "keys",
      sources: [key(3)],
      target: key(3),
    });
  });

  it("says why there is nothing to do, in one line", () => {
    const none = (overrides: Partial<ConsolidationSelectionInput>, pattern: RegExp) => {
      const selection = selectConsolidation(input(overrides));
      assert.equal(selection.kind, "none");
      if (selection.kind === "none") {
        assert.match(selection.reason, pattern);
        assert.ok(!selection.reason.includes("\n"));
      }
    };
    none({ validators: [] }, /no active 0x02 validator .* no active 0x01 validator is free to switch/);
    none(
      { validators: [validator(3)], allowSwitch: false },
      /would switch validator 3 to 0x02, and --no-switch-consolidation is set/,
    );
    none(
      { validators: [compounding(1, 40n), validator(2, { activationEpoch: 999n })] },
      /no 0x01 validator can be a source/,
    );
    none(
      { validators: [compounding(1, 1940n), validator(2)], allowSwitch: false },
      /least balance \(index 1\) has no room under --max-validator-balance-gwei \d+ for another source; the next step would switch validator 2/,
    );
  });
});
