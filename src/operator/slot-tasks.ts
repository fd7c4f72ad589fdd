import type { Address } from "viem";
import { keeperAbi } from "../chain/abi/keeper.ts";
import type { ConsensusClient } from "../chain/consensus-client.ts";
import type { ExecutionClient } from "../chain/execution-client.ts";
import type { NetworkConfig } from "../config/networks.ts";
import type { ExitSigner } from "../keys/sources/exit-signer.ts";
import type { Logger } from "../lib/logger.ts";
import type { OracleSet } from "../oracles/oracle-set.ts";
import { createRotationTask } from "./exit-signatures/rotation.ts";
import type { VaultFlow } from "./flows/vault-flow.ts";
import { createHarvestTask } from "./harvest/harvest-task.ts";
import type { KeeperEvents } from "./keeper-events.ts";
import type { Metrics } from "./metrics.ts";
import type { OnceRun } from "./once-run.ts";
import { createRegistrationTask } from "./registration/registration-task.ts";
import type { RoundTask } from "./round-context.ts";
import type { SnapshotVault } from "./snapshot.ts";
import type { DryRunRecord } from "./tx/dry-run-sender.ts";
import type { TransactionSender } from "./tx/transaction-sender.ts";

export interface SlotTasksOptions<V extends SnapshotVault> {
  flow: VaultFlow<unknown, V>;
  /** The flow's own tasks: top-ups before the registration, withdrawals after it. */
  around: { beforeRegistration: RoundTask<V>[]; afterRegistration: RoundTask<V>[] };
  /** The service (undefined), or one round that sends nothing: status or start --dry-run. */
  once: OnceRun["purpose"] | undefined;
  vault: Address;
  registration: boolean;
  harvest: boolean;
  /** Re-share outdated exit signatures: the operator's own keys, never a relayer's. */
  rotation: boolean;
  oracleTimeoutMs: number;
}

export interface SlotTasksDeps {
  network: NetworkConfig;
  signer: ExitSigner;
  sender: TransactionSender;
  metrics: Metrics;
  log: Logger;
  /** One round's record of the registration it would send (status, --dry-run). */
  dryRun: DryRunRecord;
  consensus: Pick<ConsensusClient, "getValidators">;
  execution: Pick<ExecutionClient, "readContract">;
  keeperEvents: Pick<KeeperEvents, "lastExitSignaturesUpdateBlock">;
  oracles: (signal: AbortSignal) => Promise<OracleSet>;
}

/**
 * The tasks of a slot's round, in order. The service: the flow's tasks before the registration,
 * the registration, the harvest, the exit-signature rotation, the flow's tasks after it. status
 * plans the top-ups (what they fund is not the registration's) and the registration; a dry run
 * runs every task but the rotation, which would sign exits.
 */
export function slotTasks<V extends SnapshotVault>(o: SlotTasksOptions<V>, d: SlotTasksDeps): RoundTask<V>[] {
  const { flow, around } = o;
  const registration = o.registration
    ? [
        createRegistrationTask({
          flow,
          sender: d.sender,
          metrics: d.metrics,
          log: d.log.child({ module: "registration" }),
          ...(o.once ? { dryRun: (planned) => d.dryRun.registrations.push(planned) } : {}),
        }),
      ]
    : [];
  if (o.once === "status") return [...around.beforeRegistration, ...registration];
  return [
    ...around.beforeRegistration,
    ...registration,
    ...(o.harvest
      ? [createHarvestTask({ flow, sender: d.sender, log: d.log.child({ module: "harvest" }) })]
      : []),
    ...(o.rotation && !o.once ? [rotationTask(o, d)] : []),
    ...around.afterRegistration,
  ];
}

function rotationTask(
  o: Pick<SlotTasksOptions<SnapshotVault>, "vault" | "oracleTimeoutMs">,
  d: SlotTasksDeps,
) {
  return createRotationTask({
    network: d.network,
    vault: o.vault,
    signer: d.signer,
    sender: d.sender,
    publicKeysOf: async (indexes) =>
      (await d.consensus.getValidators(indexes)).map((v) => ({ index: v.index, publicKey: v.pubkey })),
    lastUpdateBlock: d.keeperEvents.lastExitSignaturesUpdateBlock,
    nonce: () =>
      d.execution.readContract({
        address: d.network.keeper.address,
        abi: keeperAbi,
        functionName: "exitSignaturesNonces",
        args: [o.vault],
      }),
    oracles: d.oracles,
    timeoutMs: o.oracleTimeoutMs,
    onOutdated: (count) => d.metrics.outdatedSignatures.set(count),
    log: d.log.child({ module: "exit-signatures" }),
  });
}
