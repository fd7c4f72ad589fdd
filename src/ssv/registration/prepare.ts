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
  const selection = selectRegistrationCluster({ ...inputs, newValidators: keys.length });
  const key = clusterKey(selection.operatorIds);
  const existing = state.cluster(selection.operatorIds);
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

/**
 * The cluster new validators go to: the selection over the candidates with the owner's clusters
 * offered for reuse and the network's validators-per-operator limit. A liquidated cluster the
 * selection lands on is refused: registering into it reverts until it is reactivated.
 */
export function selectRegistrationCluster(
  p: Pick<PrepareSsvRegistrationInputs, "candidates" | "state" | "params" | "selection"> & {
    newValidators: number;
  },
): Selection {
  const selection = selectOperators(p.candidates, {
    ...p.selection,
    validatorsPerOperatorLimit: p.params.validatorsPerOperatorLimit,
    newValidators: p.newValidators,
    existingClusters: p.state
      .clusters()
      .map((c) => ({ operatorIds: c.operatorIds, liquidated: c.liquidated })),
  });
  if (p.state.cluster(selection.operatorIds)?.liquidated) {
    throw new SsvRegistrationPlanError(
      `the selection chose cluster ${clusterKey(selection.operatorIds)}, which is liquidated: reactivate it first (operator ssv-manager does), or pass --exclude-operator-ids to choose another`,
    );
  }
  return selection;
}

/** Blocks per day at the network's slot time (7200 on Ethereum). */
export function blocksPerDayOf(secondsPerSlot: number): number {
  return Math.round(86_400 / secondsPerSlot);
}
