/**
 * An SSV cluster as the SSVNetwork contract knows it (spec B.6): the owner's operator ids, the
 * `Cluster` tuple every cluster call must pass back exactly, the cluster's storage key and the
 * hash of the tuple the contract stores. The rules for operator id lists are the contract's.
 */
import { type Address, encodePacked, type Hex, keccak256 } from "viem";
import { UserInputError } from "../lib/errors.ts";

/** The contract's `Cluster` struct (the ABI's field order is validatorCount, networkFeeIndex, index, active, balance). */
export interface ClusterSnapshot {
  validatorCount: number;
  networkFeeIndex: bigint;
  index: bigint;
  active: boolean;
  /** SSV (token era) or wei (ETH era). */
  balance: bigint;
}

/** The snapshot a cluster's first registration must pass. */
export const EMPTY_CLUSTER: Readonly<ClusterSnapshot> = Object.freeze({
  validatorCount: 0,
  networkFeeIndex: 0n,
  index: 0n,
  active: true,
  balance: 0n,
});

/** Cluster sizes the contract accepts: 3f + 1 operators for f = 1..4. */
export const CLUSTER_SIZES: readonly number[] = [4, 7, 10, 13];

const MAX_UINT64 = 2n ** 64n - 1n;

/** An operator id list the contract would refuse; the message names the ids. */
export class InvalidOperatorIdsError extends UserInputError {
  override name = "InvalidOperatorIdsError";
}

/**
 * Checks a cluster's operator ids as the contract does: 4, 7, 10 or 13 ids, each a uint64 above
 * zero, strictly ascending (the contract's `UnsortedOperatorsList` also forbids duplicates).
 * `what` names the input in the message ("--operator-ids").
 */
export function validateOperatorIds(ids: readonly bigint[], what = "operator ids"): void {
  const list = ids.join(",");
  if (!CLUSTER_SIZES.includes(ids.length)) {
    throw new InvalidOperatorIdsError(
      `${what} ${list} name ${ids.length} operators: a cluster has 4, 7, 10 or 13 (3f+1)`,
    );
  }
  for (const [i, id] of ids.entries()) {
    if (id <= 0n || id > MAX_UINT64) {
      throw new InvalidOperatorIdsError(`${what} ${list}: ${id} is not an operator id (1 to 2^64-1)`);
    }
    const previous = ids[i - 1];
    if (previous !== undefined && previous >= id) {
      throw new InvalidOperatorIdsError(
        `${what} ${list}: ${previous} then ${id} is not strictly ascending; sort the ids and drop duplicates`,
      );
    }
  }
}

/** The ids sorted ascending (what a caller holding a set passes to the contract). */
export function sortOperatorIds(ids: readonly bigint[]): bigint[] {
  return [...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The map key of a cluster: its ids, ascending, joined by commas ("1,2,3,4"). */
export function clusterKey(ids: readonly bigint[]): string {
  return ids.join(",");
}

/** The ids of a {@link clusterKey}. */
export function idsOfClusterKey(key: string): bigint[] {
  return key === "" ? [] : key.split(",").map((id) => BigInt(id));
}

/**
 * The contract's cluster id: keccak256(abi.encodePacked(owner, operatorIds)). Solidity packs the
 * address as 20 bytes but pads every element of an array to 32 bytes, even in encodePacked.
 */
export function clusterId(owner: Address, ids: readonly bigint[]): Hex {
  return keccak256(encodePacked(["address", "uint64[]"], [owner.toLowerCase() as Address, [...ids]]));
}

/**
 * The value the contract stores for a cluster: keccak256(abi.encodePacked(validatorCount,
 * networkFeeIndex, index, balance, active)) — note balance before active, unlike the struct.
 */
export function clusterSnapshotHash(snapshot: ClusterSnapshot): Hex {
  return keccak256(
    encodePacked(
      ["uint32", "uint64", "uint64", "uint256", "bool"],
      [snapshot.validatorCount, snapshot.networkFeeIndex, snapshot.index, snapshot.balance, snapshot.active],
    ),
  );
}

/** A copy of a snapshot (the contract's ABI tuple, ready for a call's arguments). */
export function snapshotTuple(snapshot: ClusterSnapshot): ClusterSnapshot {
  return {
    validatorCount: snapshot.validatorCount,
    networkFeeIndex: snapshot.networkFeeIndex,
    index: snapshot.index,
    active: snapshot.active,
    balance: snapshot.balance,
  };
}
