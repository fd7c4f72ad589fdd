import { consecutiveRuns, type FoundKey } from "../../operator/recover/find-keys.ts";

export interface RecoverySummaryInput {
  vault: string;
  /** How many validators the vault registered (every operator's). */
  registered: number;
  /** The mnemonic's keys among them, in index order. */
  keys: readonly FoundKey[];
  nextIndex: number;
  keystoresDir: string;
  configFile: string;
}

/**
 * What `recover` says it found and wrote: the vault's registered validators, the mnemonic's among
 * them, the keystores written and the ones skipped (exited or withdrawn), and, when no keystore
 * was written, that plainly and what it means.
 */
export function recoverySummary(input: RecoverySummaryInput): string[] {
  const { keys, registered } = input;
  const live = keys.filter((k) => !k.exited);
  const exited = keys.filter((k) => k.exited);
  const others = registered - keys.length;
  const lines = [
    `Of the vault's ${registered} registered validators, ${keys.length} derive from this mnemonic (${indexList(keys)})${
      others > 0 ? `; ${others} belong to another mnemonic` : ""
    }.`,
    `Keystores written: ${live.length}${
      exited.length > 0
        ? `; skipped: ${exited.length} (${indexList(exited)}: exited or withdrawn, so no keystore is needed)`
        : ""
    }.`,
  ];
  if (live.length === 0) {
    lines.push(
      `No keystore was written: every validator of this mnemonic in vault ${input.vault} has exited, so there is no key to run. Only ${input.configFile} was written (mnemonic_next_index ${input.nextIndex}), so that "operator create-keys" makes new keys after these.`,
    );
  } else {
    lines.push(
      `Keystores for vault ${input.vault} recovered to ${input.keystoresDir} (mnemonic_next_index ${input.nextIndex} in ${input.configFile}).`,
    );
  }
  return lines;
}

/** "key 3", "keys 0-2, 5" */
function indexList(keys: readonly FoundKey[]): string {
  const list = consecutiveRuns(keys.map((k) => k.index))
    .map((run) => (run.count === 1 ? `${run.from}` : `${run.from}-${run.from + run.count - 1}`))
    .join(", ");
  return `${keys.length === 1 ? "key" : "keys"} ${list}`;
}
