import { createVaultStateReader } from "../../chain/vault-state-reader.ts";
import { clusterKey } from "../cluster.ts";
import { registeredValidators } from "../cluster-state.ts";
import { apiOperators, type SsvEnvironment } from "../environment.ts";
import { marketMedianFee } from "../migration.ts";
import { clusterOperatorViews, readOperatorCandidates } from "../operator-candidates.ts";
import { type OperatorCandidate, type SelectionOptions, selectOperators } from "../selection.ts";
import type { SsvChainReader } from "../ssv-chain.ts";
import { readEnvironmentVaultKeys, type VaultKeyClass } from "../vault-keys.ts";
import { buildView } from "./build-view.ts";
import { trackInactivity } from "./operator-health.ts";
import type { OwnerMemory } from "./owner-memory.ts";
import type { RoundReading } from "./round.ts";
import type { KeyState } from "./view.ts";

/** What a round reads with, besides the chain: the registration and runway settings. */
export interface RoundReaderSettings {
  /** --runway-days: what top-ups, reactivations and registrations fund. */
  runwayDays: number;
  /** --min-runway-days. */
  minRunwayDays: number;
  /** --prepare-keys. */
  prepareKeys: number;
  depositDataFile: string;
  /** The selection's options from the register flags (size, fee cap, performance, pinned, excluded). */
  selection: SelectionOptions;
}

export interface RoundReaderDeps {
  env: Pick<
    SsvEnvironment,
    "execution" | "consensus" | "network" | "vault" | "owner" | "keystores" | "api" | "log"
  >;
  reader: SsvChainReader;
  memory: OwnerMemory;
  now?: () => number;
}

/** A round's reading plus the candidates it saw (the registration chooses among them). */
export interface ManagerReading extends RoundReading {
  candidates: OperatorCandidate[];
}

/**
 * The round's read step: the owner's events since the checkpoint, the network's fees, the
 * operators (chain, plus the SSV API when it answers), the first-inactive times, each cluster's
 * balance as the chain confirms its snapshot, the vault's keys and their SSV state, the market's
 * median fee and whether a replacement cluster can be formed without some operators.
 */
export function createRoundReader(settings: RoundReaderSettings, deps: RoundReaderDeps) {
  const { env, reader, memory } = deps;
  const now = deps.now ?? Date.now;
  const blocksPerDay = Math.round(86_400 / env.network.secondsPerSlot);
  const vaultState = createVaultStateReader({ client: env.execution, network: env.network });

  return async (signal: AbortSignal): Promise<ManagerReading> => {
    const head = await env.execution.getBlockNumber({ cacheTime: 0 });
    await memory.sync(head);
    const { state } = memory;
    const clusters = state.clusters();
    const clusterIds = [...new Set(clusters.flatMap((c) => c.operatorIds))];
    const [fees, api, vault] = await Promise.all([
      reader.networkParams(),
      apiOperators(env, { signal }),
      vaultState.read(env.vault),
    ]);
    const candidates = await readOperatorCandidates({
      reader,
      api,
      knownIds: [...clusterIds, ...(settings.selection.pinned ?? [])],
      head,
    });
    const at = now();
    const seen = clusterOperatorViews(candidates, clusterIds, new Map());
    memory.inactiveSince = trackInactivity(memory.inactiveSince, [...seen.values()], at);
    const operators = clusterOperatorViews(candidates, clusterIds, memory.inactiveSince);

    const balances = new Map<string, bigint>();
    for (const cluster of clusters) {
      if (cluster.liquidated) continue;
      const status = await reader.clusterStatus(env.owner, cluster.operatorIds, cluster.snapshot);
      balances.set(clusterKey(cluster.operatorIds), status.balance);
    }
    const keys = await readEnvironmentVaultKeys(env, {
      depositDataFile: settings.depositDataFile,
      onSsv: new Set(registeredValidators(state)),
      prepareKeys: settings.prepareKeys,
      signal,
    });
    await memory.save();

    const { view, clusterMetrics } = buildView({
      head,
      now: at,
      state,
      balances,
      operators,
      keys: keys.map((k) => ({ publicKey: k.publicKey, state: keyState(k.class) })),
      mevEscrow: vault.mevEscrow,
      era: reader.era,
      fees,
      blocksPerDay,
      runwayDays: settings.runwayDays,
      minRunwayDays: settings.minRunwayDays,
    });
    const existingClusters = clusters.map((c) => ({ operatorIds: c.operatorIds, liquidated: c.liquidated }));
    return {
      view,
      clusterMetrics,
      candidates,
      marketMedianFee: marketMedianFee(candidates),
      canReplace: (exclude) => {
        try {
          selectOperators(candidates, {
            ...settings.selection,
            validatorsPerOperatorLimit: fees.validatorsPerOperatorLimit,
            excluded: [...(settings.selection.excluded ?? []), ...exclude],
            existingClusters,
          });
          return { ok: true };
        } catch (error) {
          return { ok: false, reason: (error as Error).message };
        }
      },
    };
  };
}

/** The manager's view of a key class: keys it does nothing with are "other". */
function keyState(klass: VaultKeyClass): KeyState {
  return klass === "later" || klass === "exited" ? "other" : klass;
}
