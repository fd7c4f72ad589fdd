/**
 * The step between reading the chain and the registration plan, shared by `ssv register` and
 * `operator ssv-manager`: choose the cluster (selection.ts, an existing healthy cluster of the
 * owner when one fits), work out what it must receive for the runway with the new validators
 * (runway.ts, per era), and hand planSsvRegistration its inputs. Pure: data in, plan out.
 */
import type { Address, Hex } from "viem";
import type { SsvFeeEra } from "../../chain/abi/ssv-network.ts";
import { clusterKey } from "../cluster.ts";
import type { OwnerSsvState } from "../cluster-state.ts";
import { clusterUnits } from "../fees.ts";
import { fundingForRunway, type RunwayFunding } from "../runway.ts";
import {
  type OperatorCandidate,
  type Selection,
  type SelectionOptions,
  selectOperators,
} from "../selection.ts";
import { bulkRegistrationLimit } from "../ssv-calls.ts";
import type { SsvNetworkParams } from "../ssv-chain.ts";
import {
  planSsvRegistration,
  type SsvRegistrationPlan,
  SsvRegistrationPlanError,
  type SsvRegistrationPlanInputs,
} from "./plan.ts";

export interface PrepareSsvRegistrationInputs {
  owner: Address;
  era: SsvFeeEra;
  /** The keys to register, in the vault's order. */
  keys: readonly Hex[];
  /** Operators the selection may choose from (chain data, plus the SSV API's when it answered). */
  candidates: readonly OperatorCandidate[];
  /** The owner's state, synced to the head. */
  state: OwnerSsvState;
  params: SsvNetworkParams;
  /** Size, fee cap, minimum performance, pinned and excluded ids (the register flags). */
  selection: Omit<SelectionOptions, "existingClusters" | "validatorsPerOperatorLimit" | "newValidators">;
  /** The chain's balance of each live cluster of the owner, by cluster key (absent: 0). */
  balances: ReadonlyMap<string, bigint>;
  runwayDays: number;
  blocksPerDay: number;
  funds: SsvRegistrationPlanInputs["funds"];
}

export interface PreparedSsvRegistration {
  selection: Selection;
  funding: RunwayFunding;
  plan: SsvRegistrationPlan;
}

/** Selects the cluster, computes the runway deposit for it with the new keys, and plans the calls. */
export function prepareSsvRegistration(inputs: PrepareSsvRegistrationInputs): PreparedSsvRegistration {
  const { state, keys } = inputs;
  const clusters = state.clusters();
  const selection = selectOperators(inputs.candidates, {
    ...inputs.selection,
    validatorsPerOperatorLimit: inputs.params.validatorsPerOperatorLimit,
    newValidators: keys.length,
    existingClusters: clusters.map((c) => ({ operatorIds: c.operatorIds, liquidated: c.liquidated })),
  });
  const key = clusterKey(selection.operatorIds);
  const existing = state.cluster(selection.operatorIds);
  if (existing?.liquidated) {
    throw new SsvRegistrationPlanError(
      `the selection chose cluster ${key}, which is liquidated: reactivate it first (operator ssv-manager does), or pass --exclude-operator-ids to choose another`,
    );
  }
  const validatorCount = existing?.validators.size ?? 0;
  const units = clusterUnits(validatorCount, existing?.effectiveBalance) + BigInt(keys.length);
  const funding = fundingForRunway({
    era: inputs.era,
    operatorFees: selection.operators.map((o) => o.fee),
    network: inputs.params,
    units,
    balance: existing ? (inputs.balances.get(key) ?? 0n) : 0n,
    days: inputs.runwayDays,
    blocksPerDay: inputs.blocksPerDay,
  });
  const plan = planSsvRegistration({
    owner: inputs.owner,
    era: inputs.era,
    keys,
    operatorIds: selection.operatorIds,
    existingCluster: existing !== undefined,
    nonce: state.nonce,
    bulkLimit: bulkRegistrationLimit(selection.operatorIds.length),
    amount: funding.deposit,
    runwayDays: inputs.runwayDays,
    funds: inputs.funds,
  });
  return { selection, funding, plan };
}

/** Blocks per day at the network's slot time (7200 on Ethereum). */
export function blocksPerDayOf(secondsPerSlot: number): number {
  return Math.round(86_400 / secondsPerSlot);
}
