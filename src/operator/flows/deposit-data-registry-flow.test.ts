import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { VaultState } from "../../chain/vault-state-reader.ts";
import { resolveNetwork } from "../../config/networks.ts";
import type { DepositDataEntry } from "../../keys/deposit-data-file.ts";
import type { ExitSigner } from "../../keys/sources/exit-signer.ts";
import type { ValidatorsTree } from "../../keys/validators-tree.ts";
import type { OracleSet } from "../../oracles/oracle-set.ts";
import type { SlotSnapshot } from "../snapshot.ts";
import { createDepositDataRegistryFlow } from "./deposit-data-registry-flow.ts";

const VAULT = "0x3320ad928c20187602a2b2c04eeaa813fa899468";
const REGISTRY = "0x75ab6ddce07556639333d3df1eaa684f5735223e";
const ROOT = `0x${"11".repeat(32)}` as const;
const ETH = 10n ** 18n;
const entry = (i: number) =>
  ({ position: i, publicKey: new Uint8Array(48).fill(i + 1) }) as unknown as DepositDataEntry;
const keyOf = (i: number) => `0x${(i + 1).toString(16).padStart(2, "0").repeat(48)}`;

const flowWith = (hasKey: (key: string) => boolean = () => true) =>
  createDepositDataRegistryFlow({
    vault: VAULT,
    registry: REGISTRY,
    network: resolveNetwork("hoodi", { devnetFile: "/nonexistent" }),
    depositData: [0, 1, 2, 3].map(entry),
    depositDataFile: "/data/deposit_data.json",
    tree: {} as ValidatorsTree,
    fileRoot: ROOT,
    signer: { has: hasKey } as unknown as ExitSigner,
    oracleTimeoutMs: 1000,
    registryRoot: async () => ROOT,
  });
const flow = flowWith();

const snapshot = (
  index: number,
  stakeable: bigint,
  options: { root?: `0x${string}`; deposited?: string[]; batchLimit?: number } = {},
) =>
  ({
    vault: {
      version: 5,
      // The vault's own record is not where this flow looks: the registry's is.
      registry: { registry: REGISTRY, depositDataRoot: options.root ?? ROOT, depositDataIndex: index },
    } as unknown as VaultState,
    deposits: { count: 0, has: (key: string) => (options.deposited ?? []).includes(key) },
    oracles: { batchLimit: options.batchLimit ?? 10 } as OracleSet,
    stakeable,
  }) as unknown as SlotSnapshot<VaultState>;

describe("deposit data registry flow (vault version 2+, the registry its validators manager)", () => {
  it("registers from the registry's next index, in deposit data order, as many as the assets fund", () => {
    const plan = flow.plan(snapshot(1, 64n * ETH));
    assert.equal(plan.kind, "register");
    if (plan.kind !== "register") return;
    assert.deepEqual([plan.validators, plan.firstDepositIndex, plan.payload.startIndex], [2, 1, 1]);
    assert.deepEqual(
      plan.payload.entries.map((e) => (e as unknown as { position: number }).position),
      [1, 2],
    );
    assert.equal(flow.unusedKeys(snapshot(1, 0n)), 3);
  });

  it("keeps to the oracles' batch limit and to the keys left", () => {
    const limited = flow.plan(snapshot(0, 128n * ETH, { batchLimit: 3 }));
    assert.equal(limited.kind === "register" && limited.validators, 3);
    const last = flow.plan(snapshot(3, 128n * ETH));
    assert.equal(last.kind === "register" && last.validators, 1);
  });

  it("waits for deposit data, naming set-deposit-data-root, while the registry holds another root", () => {
    const plan = flow.plan(snapshot(0, 64n * ETH, { root: `0x${"22".repeat(32)}` }));
    assert.equal(plan.kind, "wait");
    if (plan.kind !== "wait") return;
    assert.equal(plan.for, "deposit-data");
    assert.match(
      plan.reason,
      /not the vault's root in the DepositDataRegistry: set it there \(set-deposit-data-root/,
    );
  });

  it("waits for keys when the file is used up, with the registry's fix", () => {
    assert.deepEqual(flow.plan(snapshot(4, 33n * ETH)), {
      kind: "wait",
      for: "keys",
      reason:
        "the vault can fund 1 more validator (33 ETH) but all 4 keys of /data/deposit_data.json are registered: create new keys (create-keys) and set the new deposit data's root in the DepositDataRegistry (set-deposit-data-root)",
    });
  });

  it("waits for assets below one validator", () => {
    const plan = flow.plan(snapshot(2, 31n * ETH));
    assert.equal(plan.kind === "wait" && plan.for, "assets");
  });

  it("stops the batch before a key that already has a deposit, and is blocked when it is the next one", () => {
    const before = flow.plan(snapshot(0, 128n * ETH, { deposited: [keyOf(2)] }));
    assert.equal(before.kind === "register" && before.validators, 2);
    const blocked = flow.plan(snapshot(2, 128n * ETH, { deposited: [keyOf(2)] }));
    assert.equal(blocked.kind === "wait" && blocked.for, "deposit-data");
  });

  it("harvests alone through the registry's updateVaultState", () => {
    const request = flow.harvest({ rewardsRoot: ROOT, reward: 1n, unlockedMevReward: 0n, proof: [] });
    assert.equal(request.kind, "harvest");
    assert.equal(request.to, REGISTRY);
  });
});
