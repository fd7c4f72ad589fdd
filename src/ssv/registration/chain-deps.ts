import type { KeyObject } from "node:crypto";
import { type Hex, toHex } from "viem";
import type { SsvFeeEra } from "../../chain/abi/ssv-network.ts";
import { ssvNetworkViewsAbi } from "../../chain/abi/ssv-network-views.ts";
import { clusterSnapshotHash, EMPTY_CLUSTER } from "../cluster.ts";
import type { OwnerSsvState } from "../cluster-state.ts";
import { type SsvEnvironment, signingOf } from "../environment.ts";
import { buildSharesDataBatch } from "../keyshares/shares-data.ts";
import { syncOwnerState } from "../owner-sync.ts";
import { approveSsvCall, registerValidatorsCall } from "../ssv-calls.ts";
import { type SsvRegistrationDeps, SsvRegistrationError } from "./send.ts";

export interface RegistrationChainParameters {
  era: SsvFeeEra;
  /** The cluster's operators with their RSA keys (registry form or parsed). */
  operators: readonly { id: bigint; publicKey: KeyObject | string }[];
  /** The owner's state; synced to the latest block before every chunk. */
  state: OwnerSsvState;
}

/**
 * sendSsvRegistration's reads and builds on the real chain: the owner state synced from events,
 * the views' getBalance as the snapshot's judge (it reverts on a snapshot whose hash the contract
 * does not hold), getValidator, shares from the local keystores, the era's calldata.
 */
export function ssvRegistrationDeps(
  env: SsvEnvironment,
  p: RegistrationChainParameters,
): SsvRegistrationDeps {
  const { ssv, execution, owner } = env;
  const target = { ssvNetwork: ssv.network, era: p.era };
  return {
    sender: signingOf(env).sender,
    async freshState(ids) {
      // cacheTime 0: viem would answer from its polling cache, before the chunk just mined.
      const toBlock = await execution.getBlockNumber({ cacheTime: 0 });
      await syncOwnerState(p.state, {
        client: execution,
        ssvNetwork: ssv.network,
        deployBlock: BigInt(ssv.deployBlock),
        toBlock,
      });
      return { snapshot: p.state.snapshotFor(ids), nonce: p.state.nonce };
    },
    async checkSnapshot(ids, snapshot) {
      // A cluster the owner never had takes the empty snapshot; the contract has nothing to compare.
      if (
        p.state.cluster(ids) === undefined &&
        clusterSnapshotHash(snapshot) === clusterSnapshotHash(EMPTY_CLUSTER)
      ) {
        return;
      }
      try {
        await execution.readContract({
          address: ssv.views,
          abi: ssvNetworkViewsAbi,
          functionName: "getBalance",
          args: [owner, [...ids], snapshot],
        });
      } catch (error) {
        throw new SsvRegistrationError(
          `the chain does not take the snapshot of cluster ${ids.join(",")} rebuilt from the owner's events (or the cluster is liquidated): nothing was sent; run again, and reactivate a liquidated cluster first`,
          { cause: error },
        );
      }
    },
    isRegistered: (key) =>
      execution.readContract({
        address: ssv.views,
        abi: ssvNetworkViewsAbi,
        functionName: "getValidator",
        args: [owner, key],
      }),
    async sharesData(keys, _ids, firstNonce) {
      const secretKeys = await Promise.all(keys.map((key) => env.keystores.getSecretKey(key)));
      return buildSharesDataBatch({ secretKeys, operators: p.operators, owner, nonce: firstNonce }).map(
        (item) => toHex(item.sharesData) as Hex,
      );
    },
    registerCall: (c) =>
      registerValidatorsCall(target, {
        publicKeys: c.keys,
        operatorIds: c.operatorIds,
        sharesData: c.sharesData,
        amount: c.amount,
        cluster: c.snapshot,
      }),
    approveCall(amount) {
      if (!ssv.token)
        throw new SsvRegistrationError(`network ${env.network.name} names no SSV token to approve`);
      return approveSsvCall({ ssvToken: ssv.token, ssvNetwork: ssv.network, amount });
    },
    log: env.log,
  };
}
