/**
 * `operator consolidate` without keys (the Python operator v4's automatic choice, spec §7.6):
 * which of the vault's validators to consolidate next. The rule grows one 0x02 validator at a
 * time: the 0x02 validator with the least balance takes the longest-active 0x01 validators that
 * fit under the balance limit; with no 0x02 validator yet (or none with room), the longest-active
 * 0x01 validator is switched to 0x02 first. What it picks is then checked by `checkConsolidation`
 * like keys given by hand.
 */
import type { ValidatorInfo } from "../../chain/consensus-dto.ts";
import { longestActiveFirst } from "../../operator/planning/exit-selection.ts";
import { isVaultValidator, prefixOf } from "./checks.ts";

export interface ConsolidationSelectionInput {
  vault: `0x${string}`;
  /** The vault's validators as the beacon knows them. */
  validators: readonly ValidatorInfo[];
  pendingPartialWithdrawals: readonly { validatorIndex: number }[];
  pendingConsolidations: readonly { sourceIndex: number; targetIndex: number }[];
  /** --exclude-public-keys-file, and targets found unfit (lower-case): never chosen. */
  exclude: ReadonlySet<string>;
  maxValidatorBalanceGwei: bigint;
  /** False with --no-switch-consolidation. */
  allowSwitch: boolean;
  /** As in checkConsolidation: a source must have been active this long. */
  shardCommittee?: { headEpoch: bigint; periodEpochs: bigint };
}

export type ConsolidationSelection =
  | { kind: "keys"; sources: `0x${string}`[]; target: `0x${string}` }
  | { kind: "none"; reason: string };

/** Picks the next consolidation of the vault's validators, or says why there is none. */
export function selectConsolidation(input: ConsolidationSelectionInput): ConsolidationSelection {
  const consolidatingSources = new Set(input.pendingConsolidations.map((c) => c.sourceIndex));
  const consolidating = new Set(input.pendingConsolidations.flatMap((c) => [c.sourceIndex, c.targetIndex]));
  const withdrawing = new Set(input.pendingPartialWithdrawals.map((w) => w.validatorIndex));
  const usable = input.validators.filter(
    (v) =>
      v.status === "active_ongoing" &&
      !input.exclude.has(v.pubkey.toLowerCase()) &&
      isVaultValidator(v, input.vault) &&
      !consolidatingSources.has(v.index),
  );
  // A 0x01 validator that may be switched: active and in no consolidation (the beacon chain asks no more).
  const switchable = usable
    .filter((v) => prefixOf(v) === "0x01" && !consolidating.has(v.index))
    .sort(longestActiveFirst);
  const period = input.shardCommittee;
  const sources = switchable.filter(
    (v) =>
      !withdrawing.has(v.index) && (!period || period.headEpoch >= v.activationEpoch + period.periodEpochs),
  );
  const targets = usable.filter((v) => prefixOf(v) === "0x02");

  const switchOldest = (why: string): ConsolidationSelection => {
    const [oldest] = switchable;
    if (!oldest)
      return { kind: "none", reason: `${why}, and no active 0x01 validator is free to switch to 0x02` };
    if (!input.allowSwitch) {
      return {
        kind: "none",
        reason: `${why}; the next step would switch validator ${oldest.index} to 0x02, and --no-switch-consolidation is set`,
      };
    }
    return { kind: "keys", sources: [oldest.pubkey], target: oldest.pubkey };
  };

  if (targets.length === 0) return switchOldest("the vault has no active 0x02 validator to consolidate into");
  if (sources.length === 0) {
    return {
      kind: "none",
      reason:
        "no 0x01 validator can be a source: each is excluded, exiting, in a consolidation, has pending partial withdrawals or has not been active for SHARD_COMMITTEE_PERIOD",
    };
  }
  const target = targets.reduce((least, v) => (v.balanceGwei < least.balanceGwei ? v : least));
  let balance = target.balanceGwei;
  const chosen: `0x${string}`[] = [];
  for (const source of sources) {
    if (balance + source.balanceGwei > input.maxValidatorBalanceGwei) break;
    balance += source.balanceGwei;
    chosen.push(source.pubkey);
  }
  if (chosen.length > 0) return { kind: "keys", sources: chosen, target: target.pubkey };
  return switchOldest(
    `the 0x02 validator with the least balance (index ${target.index}) has no room under --max-validator-balance-gwei ${input.maxValidatorBalanceGwei} for another source`,
  );
}
