import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ETH_GWEI } from "../../../test/support/planning-fixtures.ts";
import { REGISTRATION_MAX_GWEI } from "../../keys/validator-entries.ts";
import { MIN_ACTIVATION_BALANCE_GWEI } from "./beacon-rules.ts";
import {
  type RegistrationAmountsOptions,
  registrationAmounts,
  stakeableGwei,
} from "./registration-amounts.ts";

const MAX = 1945n * ETH_GWEI;
const amounts = (over: Partial<RegistrationAmountsOptions>) =>
  registrationAmounts({
    assetsGwei: 0n,
    validatorType: "0x02",
    maxValidatorBalanceGwei: MAX,
    batchLimit: 100,
    ...over,
  });

describe("registrationAmounts", () => {
  it("100 ETH as 0x02: one validator of 100 ETH", () => {
    assert.deepEqual(amounts({ assetsGwei: 100n * ETH_GWEI }), [100n * ETH_GWEI]);
  });

  it("96 ETH as 0x01: three validators of 32 ETH", () => {
    assert.deepEqual(amounts({ assetsGwei: 96n * ETH_GWEI, validatorType: "0x01" }), [
      32n * ETH_GWEI,
      32n * ETH_GWEI,
      32n * ETH_GWEI,
    ]);
  });

  it("0x01 leaves a rest below 32 ETH unstaked", () => {
    assert.equal(amounts({ assetsGwei: 95n * ETH_GWEI, validatorType: "0x01" }).length, 2);
  });

  it("0x02 fills full validators, then one of the rest when it is at least 32 ETH", () => {
    assert.deepEqual(amounts({ assetsGwei: MAX * 2n + 40n * ETH_GWEI }), [MAX, MAX, 40n * ETH_GWEI]);
    assert.deepEqual(amounts({ assetsGwei: MAX + 31n * ETH_GWEI }), [MAX]);
  });

  it("nothing below 32 ETH", () => {
    assert.deepEqual(amounts({ assetsGwei: 32n * ETH_GWEI - 1n }), []);
    assert.deepEqual(amounts({ assetsGwei: 31n * ETH_GWEI, validatorType: "0x01" }), []);
  });

  it("is capped by the oracles' approval batch limit, the full validators first", () => {
    assert.deepEqual(
      amounts({ assetsGwei: 10n * 32n * ETH_GWEI, validatorType: "0x01", batchLimit: 4 }).length,
      4,
    );
    assert.deepEqual(amounts({ assetsGwei: MAX + 40n * ETH_GWEI, batchLimit: 1 }), [MAX]);
    assert.deepEqual(amounts({ assetsGwei: MAX, batchLimit: 0 }), []);
  });

  it("stays within the registration amounts the vault accepts", () => {
    // v3-core v4.0.1 contracts/libraries/ValidatorUtils.sol:23
    //   `uint256 private constant _validatorMinEffectiveBalance = 32 ether;`
    // v3-core v4.0.1 contracts/libraries/ValidatorUtils.sol:24
    //   `uint256 private constant _validatorMaxEffectiveBalance = 2048 ether;`
    // ValidatorUtils.sol:155-156 revert InvalidAssets on a registration when
    //   `valDeposit.depositAmount > _validatorMaxEffectiveBalance || valDeposit.depositAmount < _validatorMinEffectiveBalance`
    assert.equal(MIN_ACTIVATION_BALANCE_GWEI, 32n * ETH_GWEI);
    assert.equal(REGISTRATION_MAX_GWEI, 2048n * ETH_GWEI);
    assert.deepEqual(
      amounts({ assetsGwei: 5000n * ETH_GWEI, maxValidatorBalanceGwei: REGISTRATION_MAX_GWEI }),
      [REGISTRATION_MAX_GWEI, REGISTRATION_MAX_GWEI, 904n * ETH_GWEI],
    );
    assert.throws(
      () => amounts({ assetsGwei: 100n * ETH_GWEI, maxValidatorBalanceGwei: 31n * ETH_GWEI }),
      RangeError,
    );
    assert.throws(
      () => amounts({ assetsGwei: 5000n * ETH_GWEI, maxValidatorBalanceGwei: REGISTRATION_MAX_GWEI + 1n }),
      RangeError,
    );
  });
});

describe("stakeableGwei", () => {
  it("keeps the vault's minimum balance back and never goes below zero", () => {
    assert.equal(
      stakeableGwei({ withdrawableGwei: 100n * ETH_GWEI, vaultMinBalanceGwei: 5n * ETH_GWEI }),
      95n * ETH_GWEI,
    );
    assert.equal(stakeableGwei({ withdrawableGwei: 1n, vaultMinBalanceGwei: 5n }), 0n);
  });
});
