import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { DepositDataEntry } from "../../keys/deposit-data-file.ts";
import { toHex } from "../../lib/hex.ts";
import { type PlanInputs, planRegistration } from "./plan.ts";

const ETH32 = 32n * 10n ** 18n;
const entry = (i: number): DepositDataEntry =>
  ({ position: i, publicKey: new Uint8Array(48).fill(i + 1) }) as unknown as DepositDataEntry;
const pk = (i: number) => `0x${toHex(new Uint8Array(48).fill(i + 1))}`;
const ROOT = `0x${"11".repeat(32)}` as const;

const inputs = (over: Partial<PlanInputs> = {}): PlanInputs => ({
  depositData: [0, 1, 2, 3, 4].map(entry),
  depositDataRoot: ROOT,
  vaultValidatorsRoot: ROOT,
  vaultValidatorIndex: 0,
  stakeableWei: 3n * ETH32,
  validatorDepositWei: ETH32,
  batchLimit: 10,
  hasDepositOnChain: () => false,
  hasKey: () => true,
  ...over,
});

describe("planRegistration", () => {
  it("takes the next entries in deposit-data order, as many as the assets fund", () => {
    const plan = planRegistration(inputs({ vaultValidatorIndex: 1 }));
    assert.equal(plan.kind, "register");
    if (plan.kind === "register") {
      assert.equal(plan.startIndex, 1);
      assert.deepEqual(
        plan.entries.map((e) => e.position),
        [1, 2, 3],
      );
    }
  });

  it("is bounded by the oracles' batch limit and by the remaining entries", () => {
    const a = planRegistration(inputs({ batchLimit: 2 }));
    assert.equal(a.kind === "register" && a.entries.length, 2);
    const b = planRegistration(inputs({ vaultValidatorIndex: 4 }));
    assert.equal(b.kind === "register" && b.entries.length, 1);
  });

  it("idles below 32 ETH and when the deposit data is used up", () => {
    assert.deepEqual(planRegistration(inputs({ stakeableWei: ETH32 - 1n })), {
      kind: "idle",
      reason: "not enough assets",
      stakeable: 0,
    });
    assert.equal(planRegistration(inputs({ vaultValidatorIndex: 5 })).kind, "idle");
  });

  it("refuses to register when the file is not the vault's deposit data", () => {
    const plan = planRegistration(inputs({ vaultValidatorsRoot: `0x${"22".repeat(32)}` }));
    assert.equal(plan.kind, "blocked");
    assert.match((plan as { reason: string }).reason, /not the vault's validators root/);
  });

  it("stops before a key already deposited by someone else, and is blocked when it is the next one", () => {
    const later = planRegistration(inputs({ hasDepositOnChain: (p) => p === pk(2) }));
    assert.equal(later.kind === "register" && later.entries.length, 2);
    const next = planRegistration(inputs({ hasDepositOnChain: (p) => p === pk(0) }));
    assert.equal(next.kind, "blocked");
    assert.match((next as { reason: string }).reason, /already has a deposit on chain; it is skipped/);
  });

  it("is blocked when the next key has no keystore", () => {
    const plan = planRegistration(inputs({ hasKey: (p) => p !== pk(0) }));
    assert.match((plan as { reason: string }).reason, /no keystore for validator/);
  });
});
