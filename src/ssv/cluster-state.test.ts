import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Address, Hex } from "viem";
import { type ClusterSnapshot, EMPTY_CLUSTER } from "./cluster.ts";
import { ForeignSsvEventError, OwnerSsvState, registeredValidators } from "./cluster-state.ts";
import type { SsvEvent } from "./ssv-event-types.ts";

const OWNER: Address = "0x00000000000000000000000000000000000000aa";
const A = [1n, 2n, 3n, 4n];
const B = [2n, 5n, 8n, 11n];
const key = (n: number): Hex => `0x${n.toString(16).padStart(96, "0")}`;
const snap = (validatorCount: number, balance: bigint, active = true, index = 0n): ClusterSnapshot => ({
  validatorCount,
  networkFeeIndex: index * 2n,
  index,
  active,
  balance,
});
const at = (blockNumber: bigint, transactionIndex = 0, logIndex = 0) => ({
  blockNumber,
  transactionIndex,
  logIndex,
});

function added(ids: bigint[], pubkey: Hex, cluster: ClusterSnapshot, pos: ReturnType<typeof at>): SsvEvent {
  return {
    name: "ValidatorAdded",
    owner: OWNER,
    operatorIds: ids,
    publicKey: pubkey,
    shares: "0x",
    cluster,
    ...pos,
  };
}
function removed(ids: bigint[], pubkey: Hex, cluster: ClusterSnapshot, pos: ReturnType<typeof at>): SsvEvent {
  return { name: "ValidatorRemoved", owner: OWNER, operatorIds: ids, publicKey: pubkey, cluster, ...pos };
}

describe("OwnerSsvState", () => {
  it("gives the empty snapshot for an unknown cluster", () => {
    const state = new OwnerSsvState(OWNER);
    assert.deepEqual(state.snapshotFor(A), EMPTY_CLUSTER);
    assert.equal(state.nonce, 0);
  });

  it("counts every ValidatorAdded for the nonce, several in one block too", () => {
    const state = new OwnerSsvState(OWNER);
    state.applyChunk(
      [
        added(A, key(1), snap(1, 100n), at(10n, 0, 0)),
        added(A, key(2), snap(2, 100n), at(10n, 0, 1)),
        added(B, key(3), snap(1, 50n), at(10n, 1, 0)),
      ],
      10n,
    );
    assert.equal(state.nonce, 3);
    assert.deepEqual(state.snapshotFor(A), snap(2, 100n));
    assert.deepEqual(state.snapshotFor(B), snap(1, 50n));
    assert.deepEqual([...(state.cluster(A)?.validators ?? [])], [key(1), key(2)]);
    assert.deepEqual(state.clusterOfValidator(key(3)), B);
    assert.equal(state.scannedTo, 10n);
  });

  it("takes the latest event's snapshot by block, transaction and log index, whatever the input order", () => {
    const state = new OwnerSsvState(OWNER);
    state.applyChunk(
      [
        {
          name: "ClusterDeposited",
          owner: OWNER,
          operatorIds: A,
          value: 5n,
          cluster: snap(1, 105n),
          ...at(11n, 2, 0),
        },
        added(A, key(1), snap(1, 100n), at(11n, 1, 9)),
        {
          name: "ClusterWithdrawn",
          owner: OWNER,
          operatorIds: A,
          value: 5n,
          cluster: snap(1, 90n),
          ...at(11n, 2, 3),
        },
      ],
      11n,
    );
    assert.deepEqual(state.snapshotFor(A), snap(1, 90n));
  });

  it("tracks removals, liquidation, reactivation, exits and the fee recipient", () => {
    const state = new OwnerSsvState(OWNER);
    state.apply(added(A, key(1), snap(1, 100n), at(1n)));
    state.apply(added(A, key(2), snap(2, 100n), at(2n)));
    state.apply(removed(A, key(1), snap(1, 90n), at(3n)));
    state.apply({ name: "ValidatorExited", owner: OWNER, operatorIds: A, publicKey: key(2), ...at(4n) });
    state.apply({
      name: "ClusterLiquidated",
      owner: OWNER,
      operatorIds: A,
      cluster: snap(1, 0n, false),
      ...at(5n),
    });
    assert.equal(state.cluster(A)?.liquidated, true);
    state.apply({
      name: "ClusterReactivated",
      owner: OWNER,
      operatorIds: A,
      cluster: snap(1, 70n),
      ...at(6n),
    });
    state.apply({
      name: "FeeRecipientAddressUpdated",
      owner: OWNER,
      recipientAddress: "0x00000000000000000000000000000000000000Bb",
      ...at(7n),
    });
    assert.equal(state.cluster(A)?.liquidated, false);
    assert.equal(state.lastRemovalBlock(key(1)), 3n);
    assert.equal(state.clusterOfValidator(key(1)), undefined);
    assert.equal(state.exitRequestBlock(key(2)), 4n);
    assert.equal(state.feeRecipient, "0x00000000000000000000000000000000000000bb");
    assert.deepEqual(registeredValidators(state), [key(2)]);
    assert.equal(state.nonce, 2);
  });

  it("re-adding a removed validator counts again", () => {
    const state = new OwnerSsvState(OWNER);
    state.apply(added(A, key(1), snap(1, 100n), at(1n)));
    state.apply(removed(A, key(1), snap(0, 90n), at(2n)));
    state.apply(added(B, key(1), snap(1, 10n), at(200n)));
    assert.equal(state.nonce, 2);
    assert.deepEqual(state.clusterOfValidator(key(1)), B);
    assert.equal(state.cluster(A)?.validators.size, 0);
  });

  it("records ETH-era balance updates and migrations", () => {
    const state = new OwnerSsvState(OWNER);
    state.apply(added(A, key(1), snap(1, 100n), at(1n)));
    state.apply({
      name: "ClusterMigratedToETH",
      owner: OWNER,
      operatorIds: A,
      ethDeposited: 10n,
      ssvRefunded: 100n,
      effectiveBalance: 32,
      cluster: snap(1, 10n),
      ...at(2n),
    });
    state.apply({
      name: "ClusterBalanceUpdated",
      owner: OWNER,
      operatorIds: A,
      balanceBlock: 2n,
      effectiveBalance: 64,
      cluster: snap(1, 9n),
      ...at(3n),
    });
    assert.equal(state.cluster(A)?.migratedToEth, true);
    assert.equal(state.cluster(A)?.effectiveBalance, 64);
    assert.deepEqual(state.snapshotFor(A), snap(1, 9n));
  });

  it("skips events already applied and operator events", () => {
    const state = new OwnerSsvState(OWNER);
    assert.equal(state.apply(added(A, key(1), snap(1, 100n), at(5n))), true);
    assert.equal(state.apply(added(A, key(1), snap(1, 100n), at(5n))), false);
    assert.equal(state.apply(added(A, key(2), snap(2, 100n), at(4n))), false);
    assert.equal(state.apply({ name: "OperatorRemoved", operatorId: 1n, ...at(6n) }), false);
    assert.equal(state.nonce, 1);
  });

  it("refuses another owner's event", () => {
    const state = new OwnerSsvState(OWNER);
    const other = {
      ...added(A, key(1), snap(1, 1n), at(1n)),
      owner: "0x00000000000000000000000000000000000000cc",
    };
    assert.throws(() => state.apply(other as SsvEvent), ForeignSsvEventError);
  });

  it("chunked and overlapping feeds give the one-pass state; JSON round-trips", () => {
    const events = randomEvents(600, 7);
    const once = new OwnerSsvState(OWNER);
    once.applyChunk(events, 3_000n);
    for (const seed of [1, 2, 3]) {
      let stored = new OwnerSsvState(OWNER).toJSON();
      const rand = prng(seed);
      let from = 0n;
      while (from <= 3_000n) {
        const to = from + BigInt(Math.floor(rand() * 300));
        // Each chunk also re-feeds the previous 50 blocks, as a rescan after a restart would.
        const chunk = events.filter((e) => e.blockNumber >= from - 50n && e.blockNumber <= to);
        const state = OwnerSsvState.fromJSON(JSON.parse(JSON.stringify(stored)));
        state.applyChunk(chunk, to > 3_000n ? 3_000n : to);
        stored = state.toJSON();
        from = to + 1n;
      }
      assert.deepEqual(stored, once.toJSON());
    }
    assert.ok(once.nonce > 0);
  });

  it("refuses a malformed stored state, naming the field", () => {
    const json = new OwnerSsvState(OWNER).toJSON();
    assert.throws(() => OwnerSsvState.fromJSON({ ...json, nonce: -1 }), /malformed at nonce/);
    assert.throws(() => OwnerSsvState.fromJSON({ ...json, scannedTo: "1e5" }), /malformed at scannedTo/);
  });
});

function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** A plausible random history: adds, removes, deposits and withdrawals over a few clusters. */
function randomEvents(count: number, seed: number): SsvEvent[] {
  const rand = prng(seed);
  const clusters = [A, B, [3n, 6n, 9n, 12n]];
  const events: SsvEvent[] = [];
  let block = 1n;
  let log = 0;
  let next = 1;
  const live: { pubkey: Hex; ids: bigint[] }[] = [];
  for (let i = 0; i < count; i++) {
    if (rand() < 0.3) {
      block += BigInt(1 + Math.floor(rand() * 10));
      log = 0;
    }
    const ids = clusters[Math.floor(rand() * clusters.length)] as bigint[];
    const cluster = snap(i % 50, BigInt(i), rand() > 0.05, BigInt(i));
    const pos = at(block, Math.floor(log / 3), log++);
    const roll = rand();
    const victim = live[0];
    if (roll < 0.4 || !victim) {
      const pubkey = key(next++);
      live.push({ pubkey, ids });
      events.push(added(ids, pubkey, cluster, pos));
    } else if (roll < 0.6) {
      live.shift();
      events.push(removed(victim.ids, victim.pubkey, cluster, pos));
    } else {
      events.push({ name: "ClusterDeposited", owner: OWNER, operatorIds: ids, value: 1n, cluster, ...pos });
    }
  }
  return events;
}
