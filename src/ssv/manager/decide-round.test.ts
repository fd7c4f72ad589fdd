import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Address, Hex } from "viem";
import { type DecideSettings, decideRound, type ReplacementCheck } from "./decide-round.ts";
import type { ClusterView, ManagerView, OperatorView, VaultKeyView } from "./view.ts";

const ESCROW = "0x00000000000000000000000000000000000000e5" as Address;
const pk = (n: number) => `0x${n.toString(16).padStart(2, "0").repeat(48)}` as Hex;
const HOUR = 3_600_000;
const NOW = 1_000 * HOUR;

const operator = (id: number, over: Partial<OperatorView> = {}): OperatorView => ({
  id: BigInt(id),
  removed: false,
  isActive: true,
  fee: 100n,
  ...over,
});
const cluster = (ids: number[], over: Partial<ClusterView> = {}): ClusterView => ({
  key: ids.join(","),
  operatorIds: ids.map(BigInt),
  validators: [],
  liquidated: false,
  balance: 1000n,
  runwayDays: 60,
  amountForRunway: 0n,
  ...over,
});
const key = (n: number, state: VaultKeyView["state"], lastRemovedBlock?: bigint): VaultKeyView => ({
  publicKey: pk(n),
  state,
  lastRemovedBlock,
});
const view = (over: Partial<ManagerView> = {}): ManagerView => ({
  head: 10_000n,
  now: NOW,
  clusters: [],
  operators: new Map([1, 2, 3, 4, 5, 6, 7, 8].map((id) => [BigInt(id), operator(id)])),
  keys: [],
  feeRecipient: ESCROW,
  mevEscrow: ESCROW,
  ...over,
});
const SETTINGS: DecideSettings = {
  minRunwayDays: 30,
  reregisterDelayBlocks: 96n,
  maxMigrationsPerRound: 1,
  inactiveGraceMs: 24 * HOUR,
  feeFactor: 2,
  marketMedianFee: 100n,
};
const always: ReplacementCheck = () => ({ ok: true });
const kinds = (d: ReturnType<typeof decideRound>) => d.actions.map((a) => `${a.kind}:${a.why}`);
const withOperators = (...changed: OperatorView[]) => {
  const map = new Map(view().operators);
  for (const o of changed) map.set(o.id, o);
  return map;
};

describe("decideRound", () => {
  it("does nothing for a healthy owner", () => {
    const d = decideRound(
      view({ clusters: [cluster([1, 2, 3, 4], { validators: [pk(1)] })], keys: [key(1, "on-ssv")] }),
      SETTINGS,
      always,
    );
    assert.deepEqual(d.actions, []);
    assert.deepEqual(d.deferred, []);
  });

  it("sets the fee recipient to the MEV escrow when the last one differs or was never set", () => {
    for (const feeRecipient of [undefined, "0x00000000000000000000000000000000000000aa" as Address]) {
      const d = decideRound(view({ feeRecipient }), SETTINGS, always);
      assert.deepEqual(d.actions, [
        { kind: "set-fee-recipient", recipient: ESCROW, current: feeRecipient, why: "fee-recipient-differs" },
      ]);
    }
    const sameButCase = decideRound(
      view({ feeRecipient: ESCROW.toUpperCase() as Address }),
      SETTINGS,
      always,
    );
    assert.deepEqual(sameButCase.actions, []);
  });

  it("registers due and next keys, in key order, in one action", () => {
    const d = decideRound(
      view({ keys: [key(1, "on-ssv"), key(2, "due"), key(3, "next"), key(4, "other")] }),
      SETTINGS,
      always,
    );
    assert.deepEqual(d.actions, [
      { kind: "register", publicKeys: [pk(2), pk(3)], excludeOperatorIds: [], why: "keys-not-on-ssv" },
    ]);
  });

  it("waits --reregister-delay-blocks after a key's removal before registering it again", () => {
    const early = decideRound(view({ head: 10_095n, keys: [key(2, "due", 10_000n)] }), SETTINGS, always);
    assert.deepEqual(early.actions, []);
    assert.equal(early.deferred[0]?.what, "reregistration");
    const ready = decideRound(view({ head: 10_096n, keys: [key(2, "due", 10_000n)] }), SETTINGS, always);
    assert.deepEqual(kinds(ready), ["register:keys-not-on-ssv"]);
  });

  it("tops up a cluster whose runway is below the minimum, by the amount for the target runway", () => {
    const low = cluster([1, 2, 3, 4], { validators: [pk(1)], runwayDays: 29.5, amountForRunway: 777n });
    const d = decideRound(view({ clusters: [low], keys: [key(1, "on-ssv")] }), SETTINGS, always);
    assert.deepEqual(d.actions, [
      {
        kind: "deposit",
        clusterKey: "1,2,3,4",
        operatorIds: [1n, 2n, 3n, 4n],
        amount: 777n,
        runwayDays: 29.5,
        why: "runway-below-minimum",
      },
    ]);
    const enough = cluster([1, 2, 3, 4], { validators: [pk(1)], runwayDays: 30, amountForRunway: 5n });
    assert.deepEqual(decideRound(view({ clusters: [enough] }), SETTINGS, always).actions, []);
  });

  it("reactivates a liquidated cluster that still has validators, not one whose validators all exited", () => {
    const liquidated = cluster([1, 2, 3, 4], {
      validators: [pk(1), pk(2)],
      liquidated: true,
      balance: 0n,
      runwayDays: undefined,
      amountForRunway: 900n,
    });
    const d = decideRound(
      view({ clusters: [liquidated], keys: [key(1, "on-ssv"), key(2, "exited-on-ssv")] }),
      SETTINGS,
      always,
    );
    assert.deepEqual(kinds(d), ["reactivate:cluster-liquidated", "remove:validator-exited"]);
    assert.equal(d.actions[0]?.kind === "reactivate" && d.actions[0].validators, 1);
    const allExited = decideRound(
      view({ clusters: [liquidated], keys: [key(1, "exited-on-ssv"), key(2, "exited-on-ssv")] }),
      SETTINGS,
      always,
    );
    assert.deepEqual(kinds(allExited), ["remove:validator-exited"]);
  });

  it("removes exited validators in one bulk removal per cluster", () => {
    const a = cluster([1, 2, 3, 4], { validators: [pk(1), pk(2), pk(3)] });
    const b = cluster([5, 6, 7, 8], { validators: [pk(4)] });
    const keys = [
      key(1, "exited-on-ssv"),
      key(2, "on-ssv"),
      key(3, "exited-on-ssv"),
      key(4, "exited-on-ssv"),
    ];
    const d = decideRound(view({ clusters: [a, b], keys }), SETTINGS, always);
    assert.deepEqual(
      d.actions.map((x) => (x.kind === "remove" ? [x.clusterKey, x.publicKeys] : x.kind)),
      [
        ["1,2,3,4", [pk(1), pk(3)]],
        ["5,6,7,8", [pk(4)]],
      ],
    );
  });

  it("withdraws the whole balance of a cluster without validators, not of a liquidated or empty-balance one", () => {
    const empty = cluster([1, 2, 3, 4], { balance: 1234n, runwayDays: undefined });
    const dry = cluster([5, 6, 7, 8], { balance: 0n, runwayDays: undefined });
    const d = decideRound(view({ clusters: [empty, dry] }), SETTINGS, always);
    assert.deepEqual(d.actions, [
      {
        kind: "withdraw",
        clusterKey: "1,2,3,4",
        operatorIds: [1n, 2n, 3n, 4n],
        amount: 1234n,
        why: "cluster-empty",
      },
    ]);
  });

  it("migrates away from a removed operator: removes the validators and excludes the operator from new clusters", () => {
    const bad = cluster([1, 2, 3, 4], { validators: [pk(1), pk(2)] });
    const operators = withOperators(operator(3, { removed: true, isActive: false }));
    const d = decideRound(
      view({ clusters: [bad], operators, keys: [key(1, "on-ssv"), key(2, "on-ssv")] }),
      SETTINGS,
      always,
    );
    assert.deepEqual(d.actions, [
      {
        kind: "remove",
        clusterKey: "1,2,3,4",
        operatorIds: [1n, 2n, 3n, 4n],
        publicKeys: [pk(1), pk(2)],
        why: "operator-removed",
        badOperatorIds: [3n],
        reasons: ["operator 3 was removed from the SSV network"],
      },
    ]);
    assert.deepEqual(d.badOperatorIds, [3n]);
    // Next rounds: the keys are due again; after the delay they go to a cluster without operator 3.
    const later = decideRound(
      view({
        head: 20_000n,
        clusters: [cluster([1, 2, 3, 4], { balance: 0n, runwayDays: undefined })],
        operators,
        keys: [key(1, "due", 10_000n), key(2, "due", 10_000n)],
      }),
      SETTINGS,
      always,
    );
    assert.deepEqual(later.actions, [
      { kind: "register", publicKeys: [pk(1), pk(2)], excludeOperatorIds: [3n], why: "keys-not-on-ssv" },
    ]);
  });

  it("migrates for inactivity only after the grace period", () => {
    const c = cluster([1, 2, 3, 4], { validators: [pk(1)] });
    const at = (since: number) =>
      decideRound(
        view({
          clusters: [c],
          operators: withOperators(operator(2, { isActive: false, inactiveSince: since })),
        }),
        SETTINGS,
        always,
      );
    assert.deepEqual(at(NOW - 23 * HOUR).actions, []);
    assert.deepEqual(at(NOW - 24 * HOUR).actions, []);
    assert.deepEqual(kinds(at(NOW - 24 * HOUR - 1)), ["remove:operator-inactive"]);
  });

  it("migrates away from an operator much dearer than the market", () => {
    const c = cluster([1, 2, 3, 4], { validators: [pk(1)] });
    const operators = withOperators(operator(4, { fee: 201n }));
    assert.deepEqual(kinds(decideRound(view({ clusters: [c], operators }), SETTINGS, always)), [
      "remove:operator-expensive",
    ]);
    const twice = withOperators(operator(4, { fee: 200n }));
    assert.deepEqual(decideRound(view({ clusters: [c], operators: twice }), SETTINGS, always).actions, []);
  });

  it("never migrates when no replacement cluster can be formed", () => {
    const bad = cluster([1, 2, 3, 4], { validators: [pk(1)] });
    const operators = withOperators(operator(1, { removed: true }));
    const seen: (readonly bigint[])[] = [];
    const d = decideRound(view({ clusters: [bad], operators }), SETTINGS, (excluded) => {
      seen.push(excluded);
      return { ok: false, reason: "3 operators left after the filters, 4 needed" };
    });
    assert.deepEqual(d.actions, []);
    assert.deepEqual(seen, [[1n]]);
    assert.match(d.deferred[0]?.reason ?? "", /no replacement cluster.*3 operators left/);
  });

  it("migrates at most --max-migrations-per-round clusters, removed operators first", () => {
    const a = cluster([1, 2, 3, 4], { validators: [pk(1)] });
    const b = cluster([5, 6, 7, 8], { validators: [pk(2)] });
    const operators = withOperators(operator(2, { fee: 1000n }), operator(6, { removed: true }));
    const d = decideRound(view({ clusters: [a, b], operators }), SETTINGS, always);
    assert.deepEqual(
      d.actions.map((x) => x.kind === "remove" && x.clusterKey),
      ["5,6,7,8"],
    );
    assert.equal(d.deferred[0]?.clusterKey, "1,2,3,4");
    const two = decideRound(
      view({ clusters: [a, b], operators }),
      { ...SETTINGS, maxMigrationsPerRound: 2 },
      always,
    );
    assert.equal(two.actions.length, 2);
  });

  it("does not migrate a cluster whose validators all exited (it removes them) and does not top up a migrating one", () => {
    const c = cluster([1, 2, 3, 4], { validators: [pk(1)], runwayDays: 1, amountForRunway: 10n });
    const operators = withOperators(operator(1, { removed: true }));
    assert.deepEqual(
      kinds(
        decideRound(view({ clusters: [c], operators, keys: [key(1, "exited-on-ssv")] }), SETTINGS, always),
      ),
      ["remove:validator-exited"],
    );
    assert.deepEqual(
      kinds(decideRound(view({ clusters: [c], operators, keys: [key(1, "on-ssv")] }), SETTINGS, always)),
      ["remove:operator-removed"],
    );
  });

  it("orders a busy round: fee recipient, reactivation, top-up, exits, migration, registration, withdrawal", () => {
    const d = decideRound(
      view({
        feeRecipient: undefined,
        clusters: [
          cluster([1, 2, 3, 4], { validators: [pk(1)], liquidated: true, balance: 0n, amountForRunway: 5n }),
          cluster([1, 2, 3, 5], { validators: [pk(2), pk(3)], runwayDays: 2, amountForRunway: 5n }),
          cluster([1, 2, 3, 6], { validators: [pk(4)] }),
          cluster([1, 2, 3, 7], { balance: 9n }),
        ],
        operators: withOperators(operator(6, { removed: true })),
        keys: [key(1, "on-ssv"), key(2, "on-ssv"), key(3, "exited-on-ssv"), key(4, "on-ssv"), key(5, "next")],
      }),
      SETTINGS,
      always,
    );
    assert.deepEqual(kinds(d), [
      "set-fee-recipient:fee-recipient-differs",
      "reactivate:cluster-liquidated",
      "deposit:runway-below-minimum",
      "remove:validator-exited",
      "remove:operator-removed",
      "register:keys-not-on-ssv",
      "withdraw:cluster-empty",
    ]);
  });
});
