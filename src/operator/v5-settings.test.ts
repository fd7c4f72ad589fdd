import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { UserInputError } from "../lib/errors.ts";
import { maxValidatorBalanceGweiFor, parseV5Settings, V5_DEFAULTS } from "./v5-settings.ts";

const ETH = 1_000_000_000n;

describe("parseV5Settings", () => {
  it("fills in the Python operator v4's defaults (spec §1.2–1.3)", () => {
    assert.deepEqual(parseV5Settings({}, {}), {
      validatorType: "0x02",
      validatorTypeExplicit: false,
      maxValidatorBalanceGwei: undefined,
      minDepositAmountGwei: 10n * ETH,
      vaultMinBalanceGwei: 0n,
      minDepositDelaySeconds: 3600,
      maxWithdrawalRequestFeeGwei: 1000n,
      disableValidatorsFunding: false,
      disableValidatorsRegistration: false,
      disableWithdrawals: false,
      withdrawalsIntervalSeconds: 43_200,
    });
  });

  it("keeps given values and says the validator type was chosen, even when it is the default", () => {
    const settings = parseV5Settings(
      {
        validatorType: "0x02",
        maxValidatorBalanceGwei: 64n * ETH,
        minDepositAmountGwei: 2n * ETH,
        vaultMinBalanceGwei: 5n * ETH,
        minDepositDelay: 0,
        maxWithdrawalRequestFeeGwei: 7n,
        disableValidatorsFunding: true,
        disableValidatorsRegistration: true,
        disableWithdrawals: true,
      },
      { WITHDRAWALS_INTERVAL: "600" },
    );
    assert.equal(settings.validatorTypeExplicit, true);
    assert.equal(settings.maxValidatorBalanceGwei, 64n * ETH);
    assert.equal(settings.minDepositAmountGwei, 2n * ETH);
    assert.equal(settings.vaultMinBalanceGwei, 5n * ETH);
    assert.equal(settings.minDepositDelaySeconds, 0);
    assert.equal(settings.maxWithdrawalRequestFeeGwei, 7n);
    assert.equal(settings.disableValidatorsFunding, true);
    assert.equal(settings.disableValidatorsRegistration, true);
    assert.equal(settings.disableWithdrawals, true);
    assert.equal(settings.withdrawalsIntervalSeconds, 600);
    assert.ok(Object.isFrozen(settings));
  });

  it("refuses a WITHDRAWALS_INTERVAL that is not a whole number of seconds, naming it", () => {
    assert.throws(
      () => parseV5Settings({}, { WITHDRAWALS_INTERVAL: "12h" }),
      (error: unknown) =>
        error instanceof UserInputError &&
        error.shortMessage ===
          'WITHDRAWALS_INTERVAL="12h" is not a number of seconds: use a whole number of at least 1',
    );
  });

  it("refuses a min deposit above the max validator balance: nothing could ever be deposited", () => {
    assert.throws(
      () => parseV5Settings({ minDepositAmountGwei: 40n * ETH, maxValidatorBalanceGwei: 32n * ETH }, {}),
      /--min-deposit-amount-gwei 40000000000 is above --max-validator-balance-gwei 32000000000/,
    );
  });
});

describe("maxValidatorBalanceGweiFor", () => {
  it("the flag, else the network's, else 1945 ETH", () => {
    assert.equal(maxValidatorBalanceGweiFor({ maxValidatorBalanceGwei: 100n * ETH }, {}), 100n * ETH);
    assert.equal(
      maxValidatorBalanceGweiFor(
        { maxValidatorBalanceGwei: undefined },
        { maxValidatorBalanceGwei: 1800n * ETH },
      ),
      1800n * ETH,
    );
    assert.equal(maxValidatorBalanceGweiFor({ maxValidatorBalanceGwei: undefined }, {}), 1945n * ETH);
    assert.equal(V5_DEFAULTS.maxValidatorBalanceGwei, 1945n * ETH);
  });
});
