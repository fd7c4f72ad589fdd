import { resolve } from "node:path";
import { publicNetworkByForkVersion } from "../../config/networks.ts";
import {
  type DepositDataEntry,
  readDepositDataFile,
  serializeDepositData,
} from "../../keys/deposit-data-file.ts";
import { writeFileAtomic } from "../../lib/atomic-file.ts";
import { UserInputError } from "../../lib/errors.ts";
import { pathExists } from "../../lib/fs.ts";
import { bytesEqual, toHex } from "../../lib/hex.ts";
import type { CommandContext } from "../context.ts";

export interface MergeDepositDataOptions {
  depositDataFiles: string[];
  outputFile?: string;
  /** When given, every entry must withdraw to this vault. */
  vault?: `0x${string}`;
}

/**
 * `operator merge-deposit-data`: one deposit data file from several operators' files, taking
 * their entries round-robin (file1[0], file2[0], …, file1[1], …) so that every operator's
 * validators are registered in turn. Refuses duplicates and files of different networks or vaults.
 */
export async function runMergeDepositData(
  options: MergeDepositDataOptions,
  ctx: CommandContext,
): Promise<void> {
  const files = options.depositDataFiles.map((f) => resolve(f));
  if (files.length < 2) {
    throw new UserInputError(
      "merge-deposit-data needs at least two files: pass -d/--deposit-data-files once per file",
    );
  }
  if (!options.outputFile) {
    throw new UserInputError("missing -m/--output-file: pass the path of the merged file to create");
  }
  const output = resolve(options.outputFile);
  if (new Set(files).size !== files.length) {
    throw new UserInputError("the same deposit data file is given twice in -d/--deposit-data-files");
  }
  if (await pathExists(output)) {
    throw new UserInputError(
      `output file ${output} already exists: choose another -m/--output-file or remove it`,
    );
  }
  const { vault } = options;

  const perFile: DepositDataEntry[][] = [];
  for (const file of files) {
    perFile.push(
      await readDepositDataFile(file, {
        ...(vault ? { vault } : {}),
        verifySignatures: true,
        keepJson: true,
      }),
    );
  }

  // Checks across files: one network, one vault, no key twice.
  const first = perFile[0]?.[0] as DepositDataEntry;
  const owner = new Map<string, string>();
  perFile.forEach((entries, f) => {
    for (const entry of entries) {
      const where = `deposit data file ${files[f]}: entry ${entry.position}`;
      if (entry.forkVersion !== first.forkVersion) {
        throw new UserInputError(
          `${where} is for ${label(entry.forkVersion)} but ${files[0]} is for ${label(first.forkVersion)}: merge only files of one network`,
        );
      }
      if (!bytesEqual(entry.withdrawalCredentials, first.withdrawalCredentials)) {
        throw new UserInputError(
          `${where} withdraws to 0x${toHex(entry.withdrawalCredentials)} but ${files[0]} to 0x${toHex(first.withdrawalCredentials)}: merge only files made for the same vault`,
        );
      }
      const key = toHex(entry.publicKey);
      const other = owner.get(key);
      if (other !== undefined) {
        throw new UserInputError(
          `${where}: pubkey 0x${key.slice(0, 16)}… is also in ${other}: each validator key may appear once; remove the duplicate`,
        );
      }
      owner.set(key, files[f] as string);
    }
  });

  const merged = [];
  const longest = Math.max(...perFile.map((entries) => entries.length));
  for (let i = 0; i < longest; i++) {
    for (const entries of perFile) {
      const entry = entries[i];
      if (entry?.json) merged.push(entry.json);
    }
  }
  await writeFileAtomic(output, serializeDepositData(merged), { mode: 0o644 });
  ctx.output.line(
    `Done. Merged ${merged.length} deposit data entries from ${files.length} files into ${output}`,
  );
}

function label(forkVersion: string | undefined): string {
  if (forkVersion === undefined) return "an unnamed network (no fork_version)";
  return `${publicNetworkByForkVersion(forkVersion)?.name ?? "unknown network"} (${forkVersion})`;
}
