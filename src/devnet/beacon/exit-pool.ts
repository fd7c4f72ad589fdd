import { parseHex } from "../../lib/hex.ts";
import type { BeaconNetwork } from "./beacon-network.ts";
import { BeaconApiError } from "./errors.ts";
import { isValidExitSignature, voluntaryExitDomain } from "./signatures.ts";
import type { ValidatorRegistry } from "./validator-registry.ts";
import { FAR_FUTURE_EPOCH } from "./validator-status.ts";

export interface SignedVoluntaryExit {
  epoch: bigint;
  validatorIndex: bigint;
  /** 96 bytes. */
  signature: Uint8Array;
}

export interface ExitPoolParameters {
  network: BeaconNetwork;
  registry: ValidatorRegistry;
  slotsPerEpoch: number;
  /** SHARD_COMMITTEE_PERIOD: epochs a validator must have been active before it may exit. */
  shardCommitteePeriodEpochs: number;
}

export interface ExitPool {
  /**
   * process_voluntary_exit's checks at the head, 400 on any failure. An accepted exit waits in
   * the pool and is included in the block of the next slot; a repeat for a validator whose exit
   * is still pending is accepted and ignored, as Lighthouse does for exits it already knows.
   */
  submit(exit: SignedVoluntaryExit, headSlot: number): void;
  /** Exits not yet included at `slot` (GET /eth/v1/beacon/pool/voluntary_exits). */
  pending(slot: number): SignedVoluntaryExit[];
  /** Exits included in the block of `slot`. */
  includedAt(slot: number): SignedVoluntaryExit[];
  /**
   * Test knob: exits of these validator indexes are refused with a 400, as a node refuses an
   * exit it finds invalid; null refuses none again.
   */
  refuse(indexes: readonly number[] | null): void;
}

export function createExitPool(params: ExitPoolParameters): ExitPool {
  const domain = voluntaryExitDomain(
    bytes(params.network.capellaForkVersion, 4),
    bytes(params.network.genesisValidatorsRoot, 32),
  );
  const accepted: Array<{ exit: SignedVoluntaryExit; includedSlot: number }> = [];
  let refused = new Set<number>();

  return {
    submit(exit, headSlot) {
      const reject = (reason: string) => new BeaconApiError(400, `Invalid voluntary exit: ${reason}`);
      const record =
        exit.validatorIndex <= BigInt(Number.MAX_SAFE_INTEGER)
          ? params.registry.record({ index: Number(exit.validatorIndex) })
          : undefined;
      const view = record && params.registry.view(record, headSlot);
      if (!record || !view) throw reject(`unknown validator index ${exit.validatorIndex}`);
      if (refused.has(view.index)) throw reject(`validator ${view.index} is refused (injected fault)`);
      const currentEpoch = BigInt(Math.floor(headSlot / params.slotsPerEpoch));
      const pendingExit = record.exitSlot !== undefined && record.exitSlot > headSlot;
      if (view.exitEpoch !== FAR_FUTURE_EPOCH)
        throw reject(`validator ${view.index} has already initiated its exit`);
      if (!(view.activationEpoch <= currentEpoch)) {
        throw reject(`validator ${view.index} is not active (status ${view.status})`);
      }
      if (exit.epoch > currentEpoch) {
        throw reject(`exit epoch ${exit.epoch} is after the current epoch ${currentEpoch}`);
      }
      if (currentEpoch < view.activationEpoch + BigInt(params.shardCommitteePeriodEpochs)) {
        throw reject(
          `validator ${view.index} has not been active for SHARD_COMMITTEE_PERIOD (${params.shardCommitteePeriodEpochs} epochs)`,
        );
      }
      // Electra: no voluntary exit while a partial withdrawal of the validator is still pending.
      if (
        params.registry.pendingPartialWithdrawalsAt(headSlot).some((w) => w.validatorIndex === view.index)
      ) {
        throw reject(`validator ${view.index} has partial withdrawals pending`);
      }
      const signed = { epoch: Number(exit.epoch), validatorIndex: view.index, signature: exit.signature };
      if (!isValidExitSignature(signed, record.pubkey, domain)) {
        throw reject("signature does not verify under the Capella voluntary-exit domain (EIP-7044)");
      }
      if (pendingExit) return;
      record.exitSlot = headSlot + 1;
      accepted.push({ exit: { ...exit, signature: exit.signature.slice() }, includedSlot: headSlot + 1 });
    },
    pending: (slot) => accepted.filter((e) => e.includedSlot > slot).map((e) => e.exit),
    includedAt: (slot) => accepted.filter((e) => e.includedSlot === slot).map((e) => e.exit),
    refuse(indexes) {
      refused = new Set(indexes ?? []);
    },
  };
}

function bytes(hex: string, length: number): Uint8Array {
  const parsed = parseHex(hex, length);
  if (!parsed) throw new TypeError(`not ${length} bytes of hex: ${hex}`);
  return parsed;
}
