/**
 * Property test (issue 13, must-be-true 2): after any sequence of register / bulk register /
 * remove / bulk remove / deposit / withdraw / liquidate / reactivate, in single blocks and several
 * to a block, the cluster snapshots the operator reconstructs from the owner's events
 * (syncOwnerState, incrementally after every step) are exactly the ones the SSVNetwork stores: the
 * contract's views accept them and refuse the same snapshot with one wei more. Validators per
 * cluster, liquidation and the owner nonce match the test's own model, and a fresh scan from the
 * deploy block gives the same state as the incremental one. Both fee eras; a seeded generator, so
 * a failure names its seed (SSV_PROPERTY_SEED=… re-runs it).
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { encodeFunctionData, type Hex, parseEther, toHex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { type SsvFeeEra, ssvNetworkEthEraAbi } from "../../src/chain/abi/ssv-network.ts";
import { ssvNetworkViewsAbi } from "../../src/chain/abi/ssv-network-views.ts";
import { createSignerClient, type SignerClient } from "../../src/chain/signer-client.ts";
import { devnetAccounts } from "../../src/devnet/accounts.ts";
import { type AnvilInstance, startAnvil } from "../../src/devnet/anvil.ts";
import { type DevnetSsv, deploySsv, devnetSsvTokenAbi } from "../../src/devnet/ssv/deploy-ssv.ts";
import { ssvOperatorKeyBytes } from "../../src/devnet/ssv/operator-keys.ts";
import type { ClusterSnapshot } from "../../src/ssv/cluster.ts";
import { OwnerSsvState } from "../../src/ssv/cluster-state.ts";
import { syncOwnerState } from "../../src/ssv/owner-sync.ts";
import {
  depositCall,
  reactivateCall,
  registerValidatorsCall,
  removeValidatorsCall,
  type SsvCall,
  withdrawCall,
} from "../../src/ssv/ssv-calls.ts";
import { assertRevert, mined } from "./fixtures.ts";

const STEPS = 30;
/** The first moves (on the first cluster) cover every kind once; random moves follow. */
const COVERAGE = [0, 0, 5, 7, 3, 8, 8] as const;
const SEED = Number(process.env.SSV_PROPERTY_SEED ?? 20261206);

/** mulberry32: a small seeded generator (the sequence only has to be reproducible). */
function generator(seed: number): (n: number) => number {
  let a = seed >>> 0;
  return (n) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}

interface ModelCluster {
  ids: bigint[];
  validators: Set<Hex>;
  liquidated: boolean;
}

for (const era of ["ssv-token", "eth"] as const satisfies readonly SsvFeeEra[]) {
  describe(`SSV cluster snapshots from events (${era} era)`, () => {
    let anvil: AnvilInstance;
    let owner: SignerClient;
    let liquidator: SignerClient;
    let ssv: DevnetSsv;
    let state: OwnerSsvState;
    const clusters: ModelCluster[] = [];
    let registrations = 0;
    let nextKey = 1;
    const done = new Map<string, number>();
    // Fees per block are 1–3 of this unit (see deploySsv), so amounts scale with it.
    const unit = era === "eth" ? 10n ** 11n : 10n ** 15n;

    before(async () => {
      anvil = await startAnvil({ blockTime: "automine" });
      const accounts = devnetAccounts();
      const client = (key: Hex) =>
        createSignerClient({ url: anvil.url, chain: anvil.chain, account: privateKeyToAccount(key) });
      const deployer = client(accounts.deployer.privateKey);
      owner = client(accounts.sender.privateKey);
      liquidator = client(accounts.depositor.privateKey);
      ssv = await deploySsv({ client: deployer, url: anvil.url, feeEra: era, operators: 0 });
      const ids: bigint[] = [];
      for (let i = 0; i < 6; i++) {
        await mined(
          deployer,
          deployer.writeContract({
            address: ssv.network.address,
            abi: ssvNetworkEthEraAbi,
            functionName: "registerOperator",
            args: [ssvOperatorKeyBytes(`property-${i}`), unit * BigInt(1 + (i % 3)), false],
          }),
        );
        ids.push(ssv.parameters.firstOperatorId + BigInt(i));
      }
      for (const pick of [
        [0, 1, 2, 3],
        [1, 2, 4, 5],
        [0, 2, 3, 5],
      ]) {
        clusters.push({ ids: pick.map((i) => ids[i] as bigint), validators: new Set(), liquidated: false });
      }
      if (ssv.token) {
        for (const [functionName, args] of [
          ["mint", [owner.account.address, parseEther("100000")]],
          ["approve", [ssv.network.address, 2n ** 256n - 1n]],
        ] as const) {
          const from = functionName === "mint" ? deployer : owner;
          await mined(
            from,
            from.writeContract({
              address: ssv.token.address,
              abi: devnetSsvTokenAbi,
              functionName,
              args,
            } as never),
          );
        }
      }
      state = new OwnerSsvState(owner.account.address);
    });
    after(async () => {
      await anvil?.stop();
    });

    const target = () => ({ ssvNetwork: ssv.network.address, era });
    // eth_blockNumber itself: viem's getBlockNumber caches the answer for its polling interval.
    const head = async () => BigInt(await owner.request({ method: "eth_blockNumber" } as never));
    const sync = async (into: OwnerSsvState) =>
      syncOwnerState(into, {
        client: owner,
        ssvNetwork: ssv.network.address,
        deployBlock: ssv.network.blockNumber,
        toBlock: await head(),
      });
    const snapshotOf = (cluster: ModelCluster): ClusterSnapshot => state.snapshotFor(cluster.ids);
    const view = <T>(functionName: string, args: readonly unknown[]) =>
      owner.readContract({
        address: ssv.views.address,
        abi: ssvNetworkViewsAbi,
        functionName,
        args,
      } as never) as Promise<T>;
    /** Whether the call would succeed now (the generator only makes valid moves). */
    const succeeds = async (call: SsvCall, from = owner) =>
      from
        .call({ account: from.account, to: call.to, data: call.data, value: call.value })
        .then(() => true)
        .catch(() => false);
    const send = (call: SsvCall, from = owner) =>
      from.sendTransaction({ to: call.to, data: call.data, value: call.value });
    const freshKeys = (count: number): Hex[] =>
      Array.from({ length: count }, () => toHex(nextKey++, { size: 48 }));
    const count = (kind: string) => done.set(kind, (done.get(kind) ?? 0) + 1);
    /** Enough for the cluster's validators after the change, times 1.5–4, in whole units. */
    const fundingFor = (validators: number, pick: (n: number) => number) =>
      (unit * BigInt((validators + 1) * 100 * 6 * (3 + pick(6)))) / 2n;

    /** One move of the generator: the call to send, and how the model changes once it is mined. */
    async function move(
      pick: (n: number) => number,
      cluster: ModelCluster,
      forced?: number,
    ): Promise<{ kind: string; call: SsvCall; from?: SignerClient; apply: () => void } | undefined> {
      const snapshot = snapshotOf(cluster);
      const choice = forced ?? pick(10);
      if (cluster.liquidated) {
        const call = reactivateCall(target(), {
          operatorIds: cluster.ids,
          amount: fundingFor(cluster.validators.size, pick),
          cluster: snapshot,
        });
        return { kind: "reactivate", call, apply: () => (cluster.liquidated = false) };
      }
      if (choice < 3 || cluster.validators.size === 0) {
        const keys = freshKeys(forced === undefined ? 1 + pick(3) : 2);
        const call = registerValidatorsCall(target(), {
          publicKeys: keys,
          operatorIds: cluster.ids,
          sharesData: keys.map(() => toHex(new Uint8Array(96 + 304 * cluster.ids.length))),
          amount: pick(3) === 0 ? 0n : fundingFor(cluster.validators.size + keys.length, pick),
          cluster: snapshot,
        });
        return {
          kind: keys.length > 1 ? "bulk-register" : "register",
          call,
          apply: () => {
            for (const key of keys) cluster.validators.add(key);
            registrations += keys.length;
          },
        };
      }
      if (choice < 5) {
        const all = [...cluster.validators];
        const keys = all.slice(0, 1 + pick(Math.min(2, all.length)));
        const call = removeValidatorsCall(target(), {
          publicKeys: keys,
          operatorIds: cluster.ids,
          cluster: snapshot,
        });
        return {
          kind: keys.length > 1 ? "bulk-remove" : "remove",
          call,
          apply: () => {
            for (const key of keys) cluster.validators.delete(key);
          },
        };
      }
      if (choice < 7) {
        const call = depositCall(target(), {
          owner: owner.account.address,
          operatorIds: cluster.ids,
          amount: fundingFor(cluster.validators.size, pick),
          cluster: snapshot,
        });
        return { kind: "deposit", call, apply: () => {} };
      }
      if (choice < 8) {
        const balance = await view<bigint>("getBalance", [owner.account.address, cluster.ids, snapshot]);
        const amount = (balance / 4n / unit) * unit;
        if (amount === 0n) return undefined;
        const call = withdrawCall(target(), { operatorIds: cluster.ids, amount, cluster: snapshot });
        return { kind: "withdraw", call, apply: () => {} };
      }
      // Let the cluster run dry (its whole balance's worth of blocks), then liquidate it from another account.
      const args = [owner.account.address, cluster.ids, snapshot];
      const burnRate = await view<bigint>("getBurnRate", args);
      const balance = await view<bigint>("getBalance", args);
      if (burnRate > 0n) {
        await owner.request({ method: "anvil_mine", params: [toHex(balance / burnRate + 1n)] } as never);
      }
      const call = {
        to: ssv.network.address,
        data: encodeFunctionData({
          abi: ssvNetworkEthEraAbi,
          functionName: "liquidate",
          args: [owner.account.address, cluster.ids, snapshot],
        }),
        value: 0n,
      };
      return { kind: "liquidate", call, from: liquidator, apply: () => (cluster.liquidated = true) };
    }

    async function checkAgainstChain(step: string): Promise<void> {
      await sync(state);
      assert.equal(state.nonce, registrations, `${step}: owner nonce`);
      for (const cluster of clusters) {
        const known = state.cluster(cluster.ids);
        if (!known) {
          assert.equal(cluster.validators.size, 0, `${step}: cluster ${cluster.ids} has no events`);
          continue;
        }
        const snapshot = state.snapshotFor(cluster.ids);
        const args = [owner.account.address, cluster.ids, snapshot];
        // The contract checks the snapshot against its stored hash before answering.
        assert.equal(await view<boolean>("isLiquidated", args), cluster.liquidated, `${step}: liquidated`);
        await assertRevert(
          view("isLiquidated", [
            owner.account.address,
            cluster.ids,
            { ...snapshot, balance: snapshot.balance + 1n },
          ]),
          "IncorrectClusterState",
        );
        assert.equal(known.liquidated, cluster.liquidated, `${step}: reconstructed liquidation`);
        assert.deepEqual(
          [...known.validators].sort(),
          [...cluster.validators].map((key) => key.toLowerCase()).sort(),
          `${step}: validators of ${cluster.ids}`,
        );
      }
    }

    it(`matches the contract after ${STEPS} random steps (seed ${SEED})`, async () => {
      const pick = generator(SEED + (era === "eth" ? 1 : 0));
      for (let step = 0; step < STEPS; step++) {
        const label = `seed ${SEED} step ${step}`;
        if (step % 6 === 5) {
          // Several clusters' moves in one block.
          await owner.request({ method: "evm_setAutomine", params: [false] } as never);
          const moves = [];
          for (const cluster of clusters) {
            if (pick(2) === 0) continue;
            const next = await move(pick, cluster);
            // Moves whose outcome depends on the block they land in (a cluster near its threshold) stay out.
            const blockDependent = next?.kind === "liquidate" || next?.kind === "withdraw";
            if (next && !blockDependent && (await succeeds(next.call, next.from))) moves.push(next);
          }
          const hashes: Hex[] = [];
          const sent: typeof moves = [];
          for (const next of moves) {
            // A move that was fine on the last block may not be on the pending one (a cluster near its
            // threshold): the node refuses it at estimation, and it is left out.
            const hash = await send(next.call, next.from).catch(() => undefined);
            if (hash) {
              hashes.push(hash);
              sent.push(next);
            }
          }
          await owner.request({ method: "evm_mine", params: [] } as never);
          await owner.request({ method: "evm_setAutomine", params: [true] } as never);
          for (const [i, hash] of hashes.entries()) {
            const receipt = await owner.waitForTransactionReceipt({ hash });
            assert.equal(receipt.status, "success", `${label}: ${sent[i]?.kind} in one block`);
            sent[i]?.apply();
            count(`${sent[i]?.kind}`);
          }
          if (sent.length > 1) count("same-block");
        } else {
          const forced = COVERAGE[step];
          const cluster = clusters[forced === undefined ? pick(clusters.length) : 0] as ModelCluster;
          const next = await move(pick, cluster, forced);
          if (next && (await succeeds(next.call, next.from))) {
            await mined(next.from ?? owner, send(next.call, next.from));
            next.apply();
            count(next.kind);
          }
        }
        await checkAgainstChain(label);
      }
      // A scan from the deploy block agrees with the state built step by step.
      const fresh = new OwnerSsvState(owner.account.address);
      await sync(fresh);
      assert.deepEqual(fresh.toJSON(), state.toJSON());
      for (const kind of [
        "register",
        "bulk-register",
        "remove",
        "deposit",
        "withdraw",
        "liquidate",
        "reactivate",
      ]) {
        assert.ok((done.get(kind) ?? 0) > 0, `the sequence had no ${kind} (${JSON.stringify([...done])})`);
      }
    });
  });
}
