import type { HarvestParams, VaultSnapshot } from "../../chain/vault-reader.ts";
import type { OracleFailure } from "../../oracles/oracle-client.ts";
import type { SlotSnapshot, SnapshotVault } from "../snapshot.ts";
import type { WaitReason } from "../status/outcome.ts";
import type { TransactionRequest } from "../tx/transaction-sender.ts";

/** What a flow's plan says for this slot: wait (and why), or register these validators. */
export type RegistrationPlan<Payload> =
  | { kind: "wait"; for: WaitReason; reason: string }
  | { kind: "register"; validators: number; firstDepositIndex?: number; payload: Payload };

/** One validator of a planned registration, as `start --dry-run` prints it. */
export interface PlannedValidator {
  /** Undefined when the relayer makes the key (start --relayer-endpoint). */
  publicKey: `0x${string}` | undefined;
  amountGwei: bigint;
  /** The entry's 0-based position in the deposit data file (deposit data flows). */
  depositDataPosition?: number;
}

/** A registration ready to send: the transaction, and what the oracle round left out. */
export interface RegistrationToSend {
  request: TransactionRequest;
  validators: number;
  /** True when the transaction harvests the vault too (its due harvest went in the same call). */
  harvests: boolean;
  oracleFailures: readonly OracleFailure[];
}

/**
 * How one kind of vault registers validators and harvests (spec §5.3). The registration task is
 * the same for every kind: snapshot → plan → check fees and funds → prepare → send. What differs
 * by vault version lives in a flow beside the others: today the first-generation vault that holds
 * its validators root; the deposit data registry and the validators manager come as flows of
 * their own.
 */
export interface VaultFlow<Payload = unknown, V extends SnapshotVault = VaultSnapshot> {
  /** Names the flow in the startup line ("validators root in the vault (version 1)"). */
  readonly name: string;
  /** Pure: what to do this slot, from the snapshot alone. */
  plan(snapshot: SlotSnapshot<V>): RegistrationPlan<Payload>;
  /** Deposit data keys the vault has not registered yet (the unused_validator_keys metric). */
  unusedKeys(snapshot: SlotSnapshot<V>): number;
  /** Pure: the validators a register plan stakes, with their keys and amounts. */
  planned(plan: Extract<RegistrationPlan<Payload>, { kind: "register" }>): PlannedValidator[];
  /** Gas of a registration of `validators` validators, from below: the funds check before the oracles. */
  gasFloor(validators: number): bigint;
  /** Exit signatures to the oracles, their approvals, and the vault call to send. */
  prepare(
    plan: Extract<RegistrationPlan<Payload>, { kind: "register" }>,
    snapshot: SlotSnapshot<V>,
    signal: AbortSignal,
  ): Promise<RegistrationToSend>;
  /** The harvest on its own (--harvest-vault, in a slot without a registration). */
  harvest(params: HarvestParams): TransactionRequest;
}
