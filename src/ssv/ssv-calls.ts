/**
 * The transactions of an SSV cluster owner as {to, data, value}, for the era the network is in
 * (spec B.6): in the SSV-token era an amount of SSV is an argument and value is 0 (the owner
 * approves the SSVNetwork on the token first); in the ETH era the same calls are payable and the
 * amount is the value. Every call checks the operator ids and key lengths first, so a call the
 * contract would refuse is never built.
 */
import { type Address, encodeFunctionData, erc20Abi, type Hex } from "viem";
import { type SsvFeeEra, ssvNetworkEthEraAbi, ssvNetworkTokenEraAbi } from "../chain/abi/ssv-network.ts";
import { UserInputError } from "../lib/errors.ts";
import { type ClusterSnapshot, snapshotTuple, validateOperatorIds } from "./cluster.ts";

export interface SsvCall {
  to: Address;
  data: Hex;
  value: bigint;
}

export interface SsvCallTarget {
  ssvNetwork: Address;
  era: SsvFeeEra;
}

/** Validators one bulk registration may carry, by cluster size (ssv-sdk's limits: the block gas limit). */
export const BULK_REGISTRATION_LIMITS: Readonly<Record<number, number>> = Object.freeze({
  4: 80,
  7: 40,
  10: 30,
  13: 20,
});

/** A call that would revert as built: the message names the argument. */
export class InvalidSsvCallError extends UserInputError {
  override name = "InvalidSsvCallError";
}

/** The most validators one bulkRegisterValidator may carry for a cluster of this size. */
export function bulkRegistrationLimit(clusterSize: number): number {
  const limit = BULK_REGISTRATION_LIMITS[clusterSize];
  if (limit === undefined) throw new InvalidSsvCallError(`cluster size ${clusterSize} is not 4, 7, 10 or 13`);
  return limit;
}

/** `items` in consecutive batches of at most the bulk limit for the cluster size. */
export function bulkBatches<T>(items: readonly T[], clusterSize: number): T[][] {
  const limit = bulkRegistrationLimit(clusterSize);
  const batches: T[][] = [];
  for (let i = 0; i < items.length; i += limit) batches.push(items.slice(i, i + limit));
  return batches;
}

export interface RegisterValidatorsParameters {
  publicKeys: readonly Hex[];
  operatorIds: readonly bigint[];
  /** One per public key, same order. */
  sharesData: readonly Hex[];
  /** SSV (token era) or wei (ETH era) to add to the cluster's balance. */
  amount: bigint;
  cluster: ClusterSnapshot;
}

/** registerValidator for one key, bulkRegisterValidator for several (within the bulk limit). */
export function registerValidatorsCall(target: SsvCallTarget, p: RegisterValidatorsParameters): SsvCall {
  const ids = checkIds(p.operatorIds);
  if (p.publicKeys.length === 0) throw new InvalidSsvCallError("no validator to register");
  if (p.sharesData.length !== p.publicKeys.length) {
    throw new InvalidSsvCallError(`${p.publicKeys.length} public keys but ${p.sharesData.length} sharesData`);
  }
  const limit = bulkRegistrationLimit(ids.length);
  if (p.publicKeys.length > limit) {
    throw new InvalidSsvCallError(
      `${p.publicKeys.length} validators in one registration: a cluster of ${ids.length} takes at most ${limit} per transaction`,
    );
  }
  p.publicKeys.forEach(checkPublicKey);
  const sharesLength = 2 + 2 * (96 + 304 * ids.length);
  for (const [i, shares] of p.sharesData.entries()) {
    if (shares.length !== sharesLength) {
      throw new InvalidSsvCallError(
        `sharesData of ${p.publicKeys[i]} is ${(shares.length - 2) / 2} bytes, a cluster of ${ids.length} needs ${96 + 304 * ids.length}`,
      );
    }
  }
  const cluster = snapshotTuple(p.cluster);
  const [key] = p.publicKeys;
  const [shares] = p.sharesData;
  const single = p.publicKeys.length === 1 && key !== undefined && shares !== undefined;
  const keys = [...p.publicKeys];
  const allShares = [...p.sharesData];
  return funded(target, p.amount, {
    eth: () =>
      single
        ? encodeFunctionData({
            abi: ssvNetworkEthEraAbi,
            functionName: "registerValidator",
            args: [key, ids, shares, cluster],
          })
        : encodeFunctionData({
            abi: ssvNetworkEthEraAbi,
            functionName: "bulkRegisterValidator",
            args: [keys, ids, allShares, cluster],
          }),
    token: () =>
      single
        ? encodeFunctionData({
            abi: ssvNetworkTokenEraAbi,
            functionName: "registerValidator",
            args: [key, ids, shares, p.amount, cluster],
          })
        : encodeFunctionData({
            abi: ssvNetworkTokenEraAbi,
            functionName: "bulkRegisterValidator",
            args: [keys, ids, allShares, p.amount, cluster],
          }),
  });
}

/** removeValidator for one key, bulkRemoveValidator for several. */
export function removeValidatorsCall(
  target: SsvCallTarget,
  p: { publicKeys: readonly Hex[]; operatorIds: readonly bigint[]; cluster: ClusterSnapshot },
): SsvCall {
  const ids = checkIds(p.operatorIds);
  const [key, ...rest] = p.publicKeys;
  if (key === undefined) throw new InvalidSsvCallError("no validator to remove");
  p.publicKeys.forEach(checkPublicKey);
  const cluster = snapshotTuple(p.cluster);
  const data =
    rest.length === 0
      ? encodeFunctionData({
          abi: ssvNetworkTokenEraAbi,
          functionName: "removeValidator",
          args: [key, ids, cluster],
        })
      : encodeFunctionData({
          abi: ssvNetworkTokenEraAbi,
          functionName: "bulkRemoveValidator",
          args: [[...p.publicKeys], ids, cluster],
        });
  return { to: target.ssvNetwork, data, value: 0n };
}

/** exitValidator for one key, bulkExitValidator for several: the operators submit the exits. */
export function exitValidatorsCall(
  target: SsvCallTarget,
  p: { publicKeys: readonly Hex[]; operatorIds: readonly bigint[] },
): SsvCall {
  const ids = checkIds(p.operatorIds);
  const [key, ...rest] = p.publicKeys;
  if (key === undefined) throw new InvalidSsvCallError("no validator to exit");
  p.publicKeys.forEach(checkPublicKey);
  const data =
    rest.length === 0
      ? encodeFunctionData({ abi: ssvNetworkTokenEraAbi, functionName: "exitValidator", args: [key, ids] })
      : encodeFunctionData({
          abi: ssvNetworkTokenEraAbi,
          functionName: "bulkExitValidator",
          args: [[...p.publicKeys], ids],
        });
  return { to: target.ssvNetwork, data, value: 0n };
}

/** Adds `amount` to a cluster of `owner` (anyone may fund any cluster). */
export function depositCall(
  target: SsvCallTarget,
  p: { owner: Address; operatorIds: readonly bigint[]; amount: bigint; cluster: ClusterSnapshot },
): SsvCall {
  const ids = checkIds(p.operatorIds);
  checkAmount(p.amount, "deposit");
  const cluster = snapshotTuple(p.cluster);
  return funded(target, p.amount, {
    eth: () =>
      encodeFunctionData({
        abi: ssvNetworkEthEraAbi,
        functionName: "deposit",
        args: [p.owner, ids, cluster],
      }),
    token: () =>
      encodeFunctionData({
        abi: ssvNetworkTokenEraAbi,
        functionName: "deposit",
        args: [p.owner, ids, p.amount, cluster],
      }),
  });
}

/** Reactivates a liquidated cluster, funding it with `amount`. */
export function reactivateCall(
  target: SsvCallTarget,
  p: { operatorIds: readonly bigint[]; amount: bigint; cluster: ClusterSnapshot },
): SsvCall {
  const ids = checkIds(p.operatorIds);
  const cluster = snapshotTuple(p.cluster);
  return funded(target, p.amount, {
    eth: () =>
      encodeFunctionData({ abi: ssvNetworkEthEraAbi, functionName: "reactivate", args: [ids, cluster] }),
    token: () =>
      encodeFunctionData({
        abi: ssvNetworkTokenEraAbi,
        functionName: "reactivate",
        args: [ids, p.amount, cluster],
      }),
  });
}

/** Takes `amount` back from a cluster (the same signature in both eras). */
export function withdrawCall(
  target: SsvCallTarget,
  p: { operatorIds: readonly bigint[]; amount: bigint; cluster: ClusterSnapshot },
): SsvCall {
  const ids = checkIds(p.operatorIds);
  checkAmount(p.amount, "withdrawal");
  const data = encodeFunctionData({
    abi: ssvNetworkTokenEraAbi,
    functionName: "withdraw",
    args: [ids, p.amount, snapshotTuple(p.cluster)],
  });
  return { to: target.ssvNetwork, data, value: 0n };
}

/** Where the owner's validators send their execution rewards. */
export function setFeeRecipientCall(target: SsvCallTarget, recipient: Address): SsvCall {
  const data = encodeFunctionData({
    abi: ssvNetworkTokenEraAbi,
    functionName: "setFeeRecipientAddress",
    args: [recipient],
  });
  return { to: target.ssvNetwork, data, value: 0n };
}

/** SSV-token era: lets the SSVNetwork take `amount` SSV from the owner. */
export function approveSsvCall(p: { ssvToken: Address; ssvNetwork: Address; amount: bigint }): SsvCall {
  const data = encodeFunctionData({ abi: erc20Abi, functionName: "approve", args: [p.ssvNetwork, p.amount] });
  return { to: p.ssvToken, data, value: 0n };
}

/** A call that adds funds: the amount is the value in the ETH era, an argument (value 0) in the token era. */
function funded(
  target: SsvCallTarget,
  amount: bigint,
  encode: { eth: () => Hex; token: () => Hex },
): SsvCall {
  return target.era === "eth"
    ? { to: target.ssvNetwork, data: encode.eth(), value: amount }
    : { to: target.ssvNetwork, data: encode.token(), value: 0n };
}

function checkIds(ids: readonly bigint[]): bigint[] {
  validateOperatorIds(ids);
  return [...ids];
}

function checkPublicKey(key: Hex): void {
  if (!/^0x[0-9a-fA-F]{96}$/.test(key))
    throw new InvalidSsvCallError(`${key} is not a 48-byte validator public key`);
}

function checkAmount(amount: bigint, what: string): void {
  if (amount <= 0n) throw new InvalidSsvCallError(`a ${what} of ${amount} is not positive`);
}
