import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Hex } from "viem";
import type { VaultState } from "../../chain/vault-state-reader.ts";
import { resolveNetwork } from "../../config/networks.ts";
import type { ExitSigner } from "../../keys/sources/exit-signer.ts";
import { UserInputError } from "../../lib/errors.ts";
import type { OracleSet } from "../../oracles/oracle-set.ts";
import type { SlotSnapshot } from "../snapshot.ts";
import { validatorTypeFor } from "./open-validators-manager-flow.ts";
import { createValidatorsManagerFlow } from "./validators-manager-flow.ts";

const VAULT = "0x3320ad928c20187602a2b2c04eeaa813fa899468";
const ETH = 10n ** 18n;
const GWEI_ETH = 1_000_000_000n;
const KEYS = [1, 2, 3, 4].map((i) => `0x${i.toString(16).padStart(2, "0").repeat(48)}` as Hex);

function flow(
  validatorType: "0x01" | "0x02",
  options: { vaultMinBalanceGwei?: bigint; network?: "hoodi" | "gnosis" } = {},
) {
  return createValidatorsManagerFlow({
    vault: VAULT,
    network: resolveNetwork(options.network ?? "hoodi", { devnetFile: "/nonexistent" }),
    signer: { description: "local keystores", publicKeys: () => KEYS } as unknown as ExitSigner,
    validatorType,
    maxValidatorBalanceGwei: 1945n * GWEI_ETH,
    minDepositAmountGwei: 10n * GWEI_ETH,
    vaultMinBalanceGwei: options.vaultMinBalanceGwei ?? 0n,
    signManager: async () => "0x",
    registryRoot: async () => `0x${"11".repeat(32)}`,
    oracleTimeoutMs: 1000,
  });
}

const snapshot = (stakeable: bigint, deposited: readonly Hex[] = [], batchLimit = 10) =>
  ({
    vault: {} as VaultState,
    deposits: { count: 0, has: (key: string) => deposited.includes(key as Hex) },
    oracles: { batchLimit } as OracleSet,
    stakeable,
  }) as unknown as SlotSnapshot<VaultState>;

describe("validators-manager flow (the wallet is the vault's validators manager)", () => {
  it("registers one 0x02 validator with the whole 100 ETH", () => {
    const plan = flow("0x02").plan(snapshot(100n * ETH));
    assert.equal(plan.kind, "register");
    if (plan.kind !== "register") return;
    assert.deepEqual(plan.payload.validators, [{ publicKey: KEYS[0], amountGwei: 100n * GWEI_ETH }]);
  });

  it("registers three 0x01 validators of 32 ETH for 96 ETH, skipping keys already deposited", () => {
    const plan = flow("0x01").plan(snapshot(96n * ETH, [KEYS[0] as Hex]));
    assert.equal(plan.kind, "register");
    if (plan.kind !== "register") return;
    assert.deepEqual(
      plan.payload.validators,
      [1, 2, 3].map((k) => ({ publicKey: KEYS[k], amountGwei: 32n * GWEI_ETH })),
    );
    assert.equal(flow("0x01").unusedKeys(snapshot(0n, [KEYS[0] as Hex])), 3);
  });

  it("keeps --vault-min-balance-gwei in the vault and waits below 32 ETH", () => {
    const plan = flow("0x02", { vaultMinBalanceGwei: 70n * GWEI_ETH }).plan(snapshot(100n * ETH));
    assert.deepEqual(plan, {
      kind: "wait",
      for: "assets",
      reason:
        "the vault has 30 ETH to stake and a new validator needs 32 ETH; 4 unused validator keys are ready",
    });
  });

  it("on Gnosis plans mGNO: 3.5 GNO make one 0x02 validator of 112 mGNO, 2 GNO two 0x01 of 32 mGNO", () => {
    const gnosis = flow("0x02", { network: "gnosis" }).plan(snapshot((7n * ETH) / 2n));
    assert.equal(gnosis.kind, "register");
    if (gnosis.kind !== "register") return;
    assert.deepEqual(gnosis.payload.validators, [{ publicKey: KEYS[0], amountGwei: 112n * GWEI_ETH }]);
    const v1 = flow("0x01", { network: "gnosis" }).plan(snapshot(2n * ETH));
    assert.equal(v1.kind === "register" && v1.payload.validators.length, 2);
    const wait = flow("0x02", { network: "gnosis" }).plan(snapshot(ETH / 2n));
    assert.deepEqual(wait, {
      kind: "wait",
      for: "assets",
      reason:
        "the vault has 0.5 GNO to stake and a new validator needs 1 GNO; 4 unused validator keys are ready",
    });
  });

  it("waits for keys when every key has a deposit", () => {
    const plan = flow("0x01").plan(snapshot(64n * ETH, KEYS));
    assert.equal(plan.kind === "wait" && plan.for, "keys");
    assert.match((plan as { reason: string }).reason, /create new keys/);
  });

  it("never plans a batch whose length the vault cannot tell apart (23 × 176 = 22 × 184 bytes)", () => {
    const many = Array.from({ length: 30 }, (_, i) => `0x${(i + 16).toString(16).repeat(48)}` as Hex);
    const f = createValidatorsManagerFlow({
      vault: VAULT,
      network: resolveNetwork("hoodi", { devnetFile: "/nonexistent" }),
      signer: { description: "local keystores", publicKeys: () => many } as unknown as ExitSigner,
      validatorType: "0x01",
      maxValidatorBalanceGwei: 1945n * GWEI_ETH,
      minDepositAmountGwei: 10n * GWEI_ETH,
      vaultMinBalanceGwei: 0n,
      signManager: async () => "0x",
      registryRoot: async () => `0x${"11".repeat(32)}`,
      oracleTimeoutMs: 1000,
    });
    const plan = f.plan(snapshot(30n * 32n * ETH, [], 23));
    assert.equal(plan.kind === "register" && plan.validators, 22);
  });
});

describe("validatorTypeFor", () => {
  it("takes the setting from version 5 on, 0x01 before unless 0x02 was asked for", () => {
    assert.equal(validatorTypeFor(5, { validatorType: "0x02", validatorTypeExplicit: false }), "0x02");
    assert.equal(validatorTypeFor(5, { validatorType: "0x01", validatorTypeExplicit: true }), "0x01");
    assert.equal(validatorTypeFor(3, { validatorType: "0x02", validatorTypeExplicit: false }), "0x01");
    assert.throws(
      () => validatorTypeFor(3, { validatorType: "0x02", validatorTypeExplicit: true }),
      (error: unknown) => error instanceof UserInputError && /--validator-type 0x01/.test(error.message),
    );
  });
});
