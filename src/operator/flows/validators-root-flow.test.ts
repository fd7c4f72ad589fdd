import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { VaultSnapshot } from "../../chain/vault-reader.ts";
import { resolveNetwork } from "../../config/networks.ts";
import type { DepositDataEntry } from "../../keys/deposit-data-file.ts";
import type { ExitSigner } from "../../keys/sources/exit-signer.ts";
import type { ValidatorsTree } from "../../keys/validators-tree.ts";
import type { OracleSet } from "../../oracles/oracle-set.ts";
import type { SlotSnapshot } from "../snapshot.ts";
import { createValidatorsRootFlow, registrationGasFloor } from "./validators-root-flow.ts";

const VAULT = "0x3320ad928c20187602a2b2c04eeaa813fa899468";
const ROOT = `0x${"11".repeat(32)}` as const;
const ETH = 10n ** 18n;
const entry = (i: number) =>
  ({ position: i, publicKey: new Uint8Array(48).fill(i + 1) }) as unknown as DepositDataEntry;

const flow = createValidatorsRootFlow({
  vault: VAULT,
  network: resolveNetwork("hoodi", { devnetFile: "/nonexistent" }),
  depositData: [0, 1, 2].map(entry),
  depositDataFile: "/data/deposit_data.json",
  tree: {} as ValidatorsTree,
  fileRoot: ROOT,
  signer: { has: () => true } as unknown as ExitSigner,
  oracleTimeoutMs: 1000,
  registryRoot: async () => ROOT,
});

const snapshot = (validatorIndex: number, stakeable: bigint, root = ROOT) =>
  ({
    vault: { validatorsRoot: root, validatorIndex } as VaultSnapshot,
    deposits: { count: 0, has: () => false },
    oracles: { batchLimit: 10 } as OracleSet,
    stakeable,
  }) as unknown as SlotSnapshot;

describe("validators root flow (vault version 1)", () => {
  it("registers the next deposit data entries the assets fund", () => {
    const plan = flow.plan(snapshot(1, 64n * ETH));
    assert.equal(plan.kind, "register");
    if (plan.kind !== "register") return;
    assert.deepEqual([plan.validators, plan.firstDepositIndex, plan.payload.startIndex], [2, 1, 1]);
    assert.equal(flow.unusedKeys(snapshot(1, 0n)), 2);
  });

  it("waits for assets, saying how many keys are ready or that none is left", () => {
    assert.deepEqual(flow.plan(snapshot(1, 3n * ETH)), {
      kind: "wait",
      for: "assets",
      reason: "the vault has 3 ETH to stake and a validator needs 32 ETH; 2 unused validator keys are ready",
    });
    const none = flow.plan(snapshot(3, 0n));
    assert.match(
      (none as { reason: string }).reason,
      /every key of \/data\/deposit_data\.json is registered too$/,
    );
  });

  it("waits for keys when the assets fund validators but every key is registered", () => {
    assert.deepEqual(flow.plan(snapshot(3, 33n * ETH)), {
      kind: "wait",
      for: "keys",
      reason:
        "the vault can fund 1 more validator (33 ETH) but all 3 keys of /data/deposit_data.json are registered: create new keys (create-keys) and set the vault's validators root to the new deposit data",
    });
  });

  it("waits for deposit data when the vault's root is another file's", () => {
    const plan = flow.plan(snapshot(0, 64n * ETH, `0x${"22".repeat(32)}`));
    assert.equal(plan.kind === "wait" && plan.for, "deposit-data");
  });

  it("on Gnosis a validator needs 1 GNO of the vault's assets (32 mGNO)", () => {
    const gnosisFlow = createValidatorsRootFlow({
      vault: VAULT,
      network: resolveNetwork("gnosis", { devnetFile: "/nonexistent" }),
      depositData: [0, 1, 2].map(entry),
      depositDataFile: "/data/deposit_data.json",
      tree: {} as ValidatorsTree,
      fileRoot: ROOT,
      signer: { has: () => true } as unknown as ExitSigner,
      oracleTimeoutMs: 1000,
      registryRoot: async () => ROOT,
    });
    const plan = gnosisFlow.plan(snapshot(0, 2n * ETH));
    assert.equal(plan.kind === "register" && plan.validators, 2);
    assert.match(
      (gnosisFlow.plan(snapshot(0, ETH / 2n)) as { reason: string }).reason,
      /0\.5 GNO to stake and a validator needs 1 GNO/,
    );
  });

  it("floors a registration's gas under its real cost", () => {
    assert.equal(registrationGasFloor(1), 150_000n);
    assert.equal(registrationGasFloor(3), 250_000n);
  });
});
