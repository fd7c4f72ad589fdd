import type { Address } from "viem";
import type { HarvestParams, VaultSnapshot } from "../chain/vault-reader.ts";
import type { OracleSet } from "../oracles/oracle-set.ts";
import type { DepositsView } from "./deposit-scan.ts";
import type { TxFees } from "./tx/tx-chain.ts";

/**
 * What every vault reading gives the slot, whatever the vault's version: the block, the assets,
 * the MEV escrow and the Keeper's harvest flags. A flow's reader adds what its plan needs (the
 * version-1 vault's validators root and index, a version-2+ vault's validators manager).
 */
export interface SnapshotVault {
  blockNumber: bigint;
  withdrawableAssets: bigint;
  mevEscrow: Address;
  /** The deposit contract's get_deposit_root(). */
  depositRoot: `0x${string}`;
  canHarvest: boolean;
  isHarvestRequired: boolean;
}

/**
 * Everything one slot's tasks decide from, read once at the slot's start and at one head block:
 * the vault, the deposits, the oracle set, a due harvest, the gas price and the hot wallet's
 * balance. The tasks never read the chain to decide; they read it again only to prepare and send.
 */
export interface SlotSnapshot<V extends SnapshotVault = VaultSnapshot> {
  head: { number: bigint; timestamp: number };
  vault: V;
  deposits: DepositsView;
  oracles: OracleSet;
  /** A harvest that is due (Keeper.canHarvest and the vault in the last rewards file). */
  harvest: { params: HarvestParams; assetsAfter: bigint } | undefined;
  /** Assets the vault can stake now: after the due harvest, when there is one. */
  stakeable: bigint;
  fees: TxFees;
  /** The hot wallet's balance. */
  balance: bigint;
}

export interface SnapshotSource<V extends SnapshotVault = VaultSnapshot> {
  read(signal: AbortSignal): Promise<SlotSnapshot<V>>;
}

/** Where each part of a snapshot comes from (the service wires the chain clients; tests, fakes). */
export interface SnapshotParts<V extends SnapshotVault = VaultSnapshot> {
  vault: Address;
  head(): Promise<{ number: bigint; timestamp: number }>;
  readVault(vault: Address, block: bigint): Promise<V>;
  /** Follows the deposit contract up to `head` (the settled part is stored). */
  deposits(head: bigint): Promise<DepositsView>;
  oracles(signal: AbortSignal): Promise<OracleSet>;
  /** The vault's harvest parameters from the last rewards update, or undefined if it is not in it. */
  harvestParams(vault: V, signal: AbortSignal): Promise<HarvestParams | undefined>;
  /** The vault's withdrawable assets right after the harvest, simulated at `block`. */
  assetsAfterHarvest(vault: Address, params: HarvestParams, block: bigint): Promise<bigint>;
  fees(): Promise<TxFees>;
  balance(): Promise<bigint>;
}

/** Reads a slot's snapshot: the head first, then the rest at it, independent reads at once. */
export function createSnapshotSource<V extends SnapshotVault>(parts: SnapshotParts<V>): SnapshotSource<V> {
  return {
    async read(signal) {
      const head = await parts.head();
      const [vault, deposits, oracles, fees, balance] = await Promise.all([
        parts.readVault(parts.vault, head.number),
        parts.deposits(head.number),
        parts.oracles(signal),
        parts.fees(),
        parts.balance(),
      ]);
      let harvest: SlotSnapshot<V>["harvest"];
      if (vault.canHarvest) {
        const params = await parts.harvestParams(vault, signal);
        if (params) {
          harvest = { params, assetsAfter: await parts.assetsAfterHarvest(parts.vault, params, head.number) };
        }
      }
      return {
        head,
        vault,
        deposits,
        oracles,
        harvest,
        stakeable: harvest?.assetsAfter ?? vault.withdrawableAssets,
        fees,
        balance,
      };
    },
  };
}
