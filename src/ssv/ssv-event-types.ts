/**
 * The SSVNetwork events we read (spec B.6, both fee eras), decoded and typed. Each carries its
 * place in the chain; the reducer folds them in that order.
 */
import type { Address, Hex } from "viem";
import type { ClusterSnapshot } from "./cluster.ts";

/** Where a log sits in the chain: events are applied in this order. */
export interface EventPosition {
  blockNumber: bigint;
  transactionIndex: number;
  logIndex: number;
}

interface ClusterEventBase extends EventPosition {
  owner: Address;
  /** Ascending, as the contract requires. */
  operatorIds: bigint[];
}

export interface ValidatorAddedEvent extends ClusterEventBase {
  name: "ValidatorAdded";
  /** 48-byte BLS key, lowercase. */
  publicKey: Hex;
  shares: Hex;
  cluster: ClusterSnapshot;
}

export interface ValidatorRemovedEvent extends ClusterEventBase {
  name: "ValidatorRemoved";
  publicKey: Hex;
  cluster: ClusterSnapshot;
}

/** The owner asked the operators to exit the validator; it stays registered. */
export interface ValidatorExitedEvent extends ClusterEventBase {
  name: "ValidatorExited";
  publicKey: Hex;
}

export interface ClusterDepositedEvent extends ClusterEventBase {
  name: "ClusterDeposited";
  value: bigint;
  cluster: ClusterSnapshot;
}

export interface ClusterWithdrawnEvent extends ClusterEventBase {
  name: "ClusterWithdrawn";
  value: bigint;
  cluster: ClusterSnapshot;
}

export interface ClusterLiquidatedEvent extends ClusterEventBase {
  name: "ClusterLiquidated";
  cluster: ClusterSnapshot;
}

export interface ClusterReactivatedEvent extends ClusterEventBase {
  name: "ClusterReactivated";
  cluster: ClusterSnapshot;
}

/** ETH era: the oracles' effective balance (whole ETH) of the cluster at `balanceBlock`. */
export interface ClusterBalanceUpdatedEvent extends ClusterEventBase {
  name: "ClusterBalanceUpdated";
  balanceBlock: bigint;
  effectiveBalance: number;
  cluster: ClusterSnapshot;
}

/** ETH era: an SSV-era cluster now pays in ETH; its SSV balance went back to the owner. */
export interface ClusterMigratedToEthEvent extends ClusterEventBase {
  name: "ClusterMigratedToETH";
  ethDeposited: bigint;
  ssvRefunded: bigint;
  effectiveBalance: number;
  cluster: ClusterSnapshot;
}

export interface FeeRecipientAddressUpdatedEvent extends EventPosition {
  name: "FeeRecipientAddressUpdated";
  owner: Address;
  recipientAddress: Address;
}

export interface OperatorAddedEvent extends EventPosition {
  name: "OperatorAdded";
  operatorId: bigint;
  owner: Address;
  /** The operator's RSA key as the registry spells it: base64 of a PEM (see operator-key.ts). */
  publicKey: string;
  fee: bigint;
}

export interface OperatorRemovedEvent extends EventPosition {
  name: "OperatorRemoved";
  operatorId: bigint;
}

export interface OperatorFeeExecutedEvent extends EventPosition {
  name: "OperatorFeeExecuted";
  owner: Address;
  operatorId: bigint;
  /** The block the fee change was declared for, as the event reports it. */
  feeBlock: bigint;
  fee: bigint;
}

/** Events that carry a cluster's new snapshot. */
export type ClusterSnapshotEvent =
  | ValidatorAddedEvent
  | ValidatorRemovedEvent
  | ClusterDepositedEvent
  | ClusterWithdrawnEvent
  | ClusterLiquidatedEvent
  | ClusterReactivatedEvent
  | ClusterBalanceUpdatedEvent
  | ClusterMigratedToEthEvent;

export type SsvEvent =
  | ClusterSnapshotEvent
  | ValidatorExitedEvent
  | FeeRecipientAddressUpdatedEvent
  | OperatorAddedEvent
  | OperatorRemovedEvent
  | OperatorFeeExecutedEvent;

export type SsvEventName = SsvEvent["name"];

/** Negative when `a` comes before `b` in the chain. */
export function comparePositions(a: EventPosition, b: EventPosition): number {
  if (a.blockNumber !== b.blockNumber) return a.blockNumber < b.blockNumber ? -1 : 1;
  if (a.transactionIndex !== b.transactionIndex) return a.transactionIndex - b.transactionIndex;
  return a.logIndex - b.logIndex;
}
