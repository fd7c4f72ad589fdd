/**
 * What the SSV owner flows read from the chain (spec B.4, B.6): the network's fee era and
 * parameters, operators by id (with their RSA keys from OperatorAdded), a cluster's balance and
 * liquidation, whether a validator is registered, and the owner's SSV token balance and allowance.
 * Reads of one question go in one Multicall3 aggregate3 eth_call, so their values come from one
 * block.
 *
 * On an ETH-era network a cluster may still pay in SSV until it migrates: `clusterEra` selects
 * the views' `…SSV` variants for such a cluster.
 */
import { type Address, erc20Abi, type Hex, type PublicClient, zeroAddress } from "viem";
import type { SsvFeeEra } from "../chain/abi/ssv-network.ts";
import { ssvNetworkViewsAbi, ssvNetworkViewsEthEraAbi } from "../chain/abi/ssv-network-views.ts";
import { type AggregateCall, aggregate3 } from "../chain/aggregate3.ts";
import type { NetworkConfig } from "../config/networks.ts";
import { OperatorError } from "../lib/errors.ts";
import { type ClusterSnapshot, clusterKey, snapshotTuple } from "./cluster.ts";
import type { SsvNetworkFees } from "./fees.ts";
import { scanOperatorEvents } from "./ssv-events.ts";

export interface SsvContracts {
  ssvNetwork: Address;
  ssvNetworkViews: Address;
  /** SSV-token era only. */
  ssvToken?: Address;
  /** The SSVNetwork's deploy block: where event scans start. */
  deployBlock: bigint;
}

export interface SsvNetworkParams extends SsvNetworkFees {
  validatorsPerOperatorLimit: number;
}

export interface SsvChainOperator {
  id: bigint;
  owner: Address;
  /** Per block, in the cluster era's unit. */
  fee: bigint;
  validatorCount: number;
  whitelisted: Address;
  isPrivate: boolean;
  isActive: boolean;
}

export interface SsvClusterStatus {
  /** 0 when liquidated (the views revert for a liquidated cluster). */
  balance: bigint;
  liquidated: boolean;
}

/** A read through the views failed: the message says which and what to check. */
export class SsvReadError extends OperatorError {
  override name = "SsvReadError";
}

export interface SsvChainReaderOptions {
  client: PublicClient;
  network: NetworkConfig;
  contracts: SsvContracts;
  /** The network's era, from {@link detectSsvFeeEra}. */
  era: SsvFeeEra;
}

/**
 * "eth" when the views answer getMinimumLiquidationCollateralSSV() (a function only the ETH-fee
 * era has), "ssv-token" when that call reverts or returns nothing.
 */
export async function detectSsvFeeEra(params: {
  client: PublicClient;
  network: NetworkConfig;
  ssvNetworkViews: Address;
}): Promise<SsvFeeEra> {
  const [answer] = await aggregate3({
    client: params.client,
    network: params.network,
    calls: [
      {
        target: params.ssvNetworkViews,
        abi: ssvNetworkViewsEthEraAbi,
        functionName: "getMinimumLiquidationCollateralSSV",
        owner: "SSVNetworkViews",
        optional: true,
      },
    ],
    onFailure: (call) => new SsvReadError(`${call.owner}.${call.functionName} failed`),
  });
  return answer === undefined ? "ssv-token" : "eth";
}

export interface SsvChainReader {
  readonly era: SsvFeeEra;
  networkParams(clusterEra?: SsvFeeEra): Promise<SsvNetworkParams>;
  /** The operators that exist, by id; an unknown id is absent. */
  operators(ids: readonly bigint[], clusterEra?: SsvFeeEra): Promise<Map<bigint, SsvChainOperator>>;
  /** RSA keys (registry spelling) from OperatorAdded, and which ids were removed, up to `toBlock`. */
  /** Keys and removals from the operator events of `ids`, or of every operator ("all"). */
  operatorKeys(
    ids: readonly bigint[] | "all",
    toBlock: bigint,
  ): Promise<{ keys: Map<bigint, string>; removed: Set<bigint> }>;
  clusterStatus(
    owner: Address,
    ids: readonly bigint[],
    snapshot: ClusterSnapshot,
    clusterEra?: SsvFeeEra,
  ): Promise<SsvClusterStatus>;
  /** Whether each key is registered (active) for the owner, in order. */
  validatorsRegistered(owner: Address, publicKeys: readonly Hex[]): Promise<boolean[]>;
  /** SSV-token era: the owner's SSV balance and what the SSVNetwork may take. */
  ssvToken(owner: Address): Promise<{ balance: bigint; allowance: bigint }>;
}

export function createSsvChainReader(options: SsvChainReaderOptions): SsvChainReader {
  const { client, network, contracts, era } = options;
  const views = contracts.ssvNetworkViews;
  const viewsAbi = era === "eth" ? ssvNetworkViewsEthEraAbi : ssvNetworkViewsAbi;
  /** The `…SSV` variant of a view for an SSV cluster on an ETH-era network. */
  const variant = (name: string, clusterEra: SsvFeeEra) =>
    era === "eth" && clusterEra === "ssv-token" ? `${name}SSV` : name;
  const view = (functionName: string, args: readonly unknown[] = [], optional = false): AggregateCall => ({
    target: views,
    abi: viewsAbi,
    functionName,
    args,
    owner: "SSVNetworkViews",
    optional,
  });
  const read = (calls: AggregateCall[]) =>
    aggregate3({
      client,
      network,
      calls,
      onFailure: (call, cause) =>
        new SsvReadError(
          `${call.owner}.${call.functionName} at ${call.target} failed: check the SSV contract addresses for ${network.name}`,
          { cause },
        ),
    });

  return {
    era,

    async networkParams(clusterEra = era) {
      const [fee, period, collateral, limit] = await read([
        view(variant("getNetworkFee", clusterEra)),
        view(variant("getLiquidationThresholdPeriod", clusterEra)),
        view(variant("getMinimumLiquidationCollateral", clusterEra)),
        view("getValidatorsPerOperatorLimit"),
      ]);
      return {
        networkFee: fee as bigint,
        liquidationThresholdPeriod: period as bigint,
        minimumLiquidationCollateral: collateral as bigint,
        validatorsPerOperatorLimit: Number(limit),
      };
    },

    async operators(ids, clusterEra = era) {
      const unique = [...new Set(ids)];
      const ssvFees = era === "eth" && clusterEra === "ssv-token";
      const calls = unique.map((id) => view("getOperatorById", [id], true));
      if (ssvFees) calls.push(...unique.map((id) => view("getOperatorFeeSSV", [id], true)));
      const answers = await read(calls);
      const found = new Map<bigint, SsvChainOperator>();
      unique.forEach((id, i) => {
        const operator = operatorOf(id, answers[i]);
        if (!operator) return;
        if (ssvFees) operator.fee = (answers[unique.length + i] as bigint | undefined) ?? operator.fee;
        found.set(id, operator);
      });
      return found;
    },

    async operatorKeys(ids, toBlock) {
      const events = await scanOperatorEvents({
        client,
        ssvNetwork: contracts.ssvNetwork,
        operatorIds: ids,
        fromBlock: contracts.deployBlock,
        toBlock,
      });
      const keys = new Map<bigint, string>();
      const removed = new Set<bigint>();
      for (const event of events) {
        if (event.name === "OperatorAdded") keys.set(event.operatorId, event.publicKey);
        if (event.name === "OperatorRemoved") removed.add(event.operatorId);
      }
      return { keys, removed };
    },

    async clusterStatus(owner, ids, snapshot, clusterEra = era) {
      const args = [owner, [...ids], snapshotTuple(snapshot)];
      const [liquidated, balance] = await aggregate3({
        client,
        network,
        calls: [view("isLiquidated", args), view(variant("getBalance", clusterEra), args, true)],
        onFailure: (_call, cause) =>
          new SsvReadError(
            `the SSV contract refused the snapshot of cluster ${clusterKey(ids)} of ${owner}: it is not the latest one (rescan the cluster's events) or the cluster does not exist`,
            { cause },
          ),
      });
      if (liquidated === true) return { balance: 0n, liquidated: true };
      return { balance: (balance as bigint | undefined) ?? 0n, liquidated: false };
    },

    async validatorsRegistered(owner, publicKeys) {
      if (publicKeys.length === 0) return [];
      const answers = await read(publicKeys.map((key) => view("getValidator", [owner, key], true)));
      return answers.map((a) => a === true);
    },

    async ssvToken(owner) {
      const token = contracts.ssvToken;
      if (!token) throw new SsvReadError(`no SSV token address is configured for ${network.name}`);
      const erc20 = (functionName: string, args: readonly unknown[]): AggregateCall => ({
        target: token,
        abi: erc20Abi,
        functionName,
        args,
        owner: "SSV token",
      });
      const [balance, allowance] = await read([
        erc20("balanceOf", [owner]),
        erc20("allowance", [owner, contracts.ssvNetwork]),
      ]);
      return { balance: balance as bigint, allowance: allowance as bigint };
    },
  };
}

interface OperatorFields {
  owner: Address;
  fee: bigint;
  validatorCount: number;
  whitelistedAddress: Address;
  isPrivate: boolean;
  isActive?: boolean;
  active?: boolean;
}

/** getOperatorById's answer (a list in the token era, a struct in the ETH era); undefined when the id is unknown. */
function operatorOf(id: bigint, answer: unknown): SsvChainOperator | undefined {
  if (answer === undefined) return undefined;
  let fields: OperatorFields;
  if (Array.isArray(answer)) {
    const [owner, fee, validatorCount, whitelistedAddress, isPrivate, active] = answer as [
      Address,
      bigint,
      number,
      Address,
      boolean,
      boolean,
    ];
    fields = { owner, fee, validatorCount, whitelistedAddress, isPrivate, active };
  } else fields = answer as OperatorFields;
  if (fields.owner === zeroAddress) return undefined;
  return {
    id,
    owner: fields.owner,
    fee: fields.fee,
    validatorCount: Number(fields.validatorCount),
    whitelisted: fields.whitelistedAddress,
    isPrivate: fields.isPrivate,
    isActive: fields.isActive ?? fields.active ?? false,
  };
}
