import type { Address, LocalAccount, PublicClient } from "viem";
import type { ConsensusClient } from "../chain/consensus-client.ts";
import type { NetworkConfig } from "../config/networks.ts";
import type { OracleSet } from "../oracles/oracle-set.ts";
import type { OpenedVaultFlow } from "./flows/open-vault-flow.ts";
import type { SlotSnapshot, SnapshotVault } from "./snapshot.ts";
import type { StateView } from "./state/state-view.ts";
import type { TaskState } from "./status/service-status.ts";
import { DryRunNotSentError, type DryRunRecord } from "./tx/dry-run-sender.ts";

/**
 * One round of the service that sends nothing, then a report: `operator status` (the registration's
 * plan only) and `start --dry-run` (every task but the exit-signature rotation). The service is
 * built as `start` builds it, from the same settings, with three parts swapped: the wallet's
 * address instead of its key, the state file read-only, and a sender that records (dry-run-sender.ts).
 */
export interface OnceRun {
  purpose: "status" | "dry-run";
  report(result: OnceRoundResult): Promise<void>;
}

/** What the one round saw and came to, with the clients the report may read more from. */
export interface OnceRoundResult {
  network: NetworkConfig;
  flow: { kind: OpenedVaultFlow["kind"]; name: string };
  /** The vault's version(). */
  version: number;
  wallet: Address;
  slot: number;
  /** Undefined when the round could not read it (its task outcomes say why). */
  snapshot: SlotSnapshot<SnapshotVault> | undefined;
  unusedKeys: number | undefined;
  tasks: Record<string, TaskState>;
  dryRun: DryRunRecord;
  state: StateView;
  execution: PublicClient;
  consensus: ConsensusClient;
  oracles(signal: AbortSignal): Promise<OracleSet>;
}

/** The hot wallet as a round that signs nothing holds it: its address; any signature refused. */
export function unsigningAccount(address: Address): Pick<LocalAccount, "address" | "signTypedData"> {
  return {
    address,
    signTypedData: async () => {
      throw new DryRunNotSentError("dry run: the hot wallet signs nothing");
    },
  };
}
