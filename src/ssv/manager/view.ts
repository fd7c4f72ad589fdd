import type { Address, Hex } from "viem";
import type { ClusterOperatorView } from "../migration.ts";

/**
 * What one round of the SSV manager knows, already read and computed: the owner's clusters (from
 * events, balances from the chain, runway from the fee math), the operators of those clusters, the
 * vault's keys and where each stands. The decisions (`decide-*.ts`) are pure functions of it.
 */
export interface ManagerView {
  /** Latest block the round read at. */
  head: bigint;
  /** Unix ms of the round (for operator inactivity). */
  now: number;
  clusters: readonly ClusterView[];
  /** Every operator of the owner's clusters, by id. */
  operators: ReadonlyMap<bigint, OperatorView>;
  keys: readonly VaultKeyView[];
  /** The owner's SSV fee recipient: the last FeeRecipientAddressUpdated; undefined = never set (the owner). */
  feeRecipient: Address | undefined;
  /** Where validator rewards must go: the vault's MEV escrow (its own or the network's shared one). */
  mevEscrow: Address;
}

/** One cluster of the owner as the round sees it. */
export interface ClusterView {
  /** "id1,id2,…" ascending. */
  key: string;
  operatorIds: readonly bigint[];
  /** Validator keys (lowercase 0x hex) currently in the cluster. */
  validators: readonly Hex[];
  liquidated: boolean;
  /** The cluster's balance now (SSV-wei or wei); 0 when liquidated. */
  balance: bigint;
  /** Days until the balance reaches the liquidation reserve; undefined without validators. */
  runwayDays: number | undefined;
  /**
   * What a deposit (or a reactivation) must bring for the validators staying in it to have the
   * target runway (`--runway-days`); 0 when it already has it.
   */
  amountForRunway: bigint;
}

/** One operator of the owner's clusters: chain data, and the SSV API's status when it answered. */
export type OperatorView = ClusterOperatorView;

/** Where a vault key stands (from `ssv/vault-keys.ts`). */
export type KeyState = "on-ssv" | "due" | "next" | "exited-on-ssv" | "other";

export interface VaultKeyView {
  /** Lowercase 0x hex. */
  publicKey: Hex;
  state: KeyState;
  /** The block of the key's last ValidatorRemoved, if it was ever removed from SSV. */
  lastRemovedBlock: bigint | undefined;
}
