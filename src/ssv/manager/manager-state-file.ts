import { readFile } from "node:fs/promises";
import { z } from "zod";
import { writeFileAtomic } from "../../lib/atomic-file.ts";
import { OperatorError } from "../../lib/errors.ts";

/** Beside ssv.db in the vault dir: what the manager remembers between rounds and restarts. */
export const MANAGER_STATE_FILE_NAME = "ssv-manager.json";

/**
 * The manager's memory: when each operator was first seen inactive (the grace period counts from
 * it, across restarts) and the owner's SSV state scanned so far (opaque here: the owner-state
 * module's JSON form, with its scan checkpoint), so a restart resumes the event scan.
 */
export interface ManagerMemory {
  inactiveSince: Map<bigint, number>;
  ownerState: unknown;
}

const FileSchema = z.object({
  version: z.literal(1),
  inactiveSince: z.record(z.string().regex(/^\d+$/), z.number().int().nonnegative()),
  ownerState: z.unknown(),
});

/** The state file is unreadable or not ours: the message names it and the way out. */
export class ManagerStateFileError extends OperatorError {
  override name = "ManagerStateFileError";
}

/** Reads the memory; an absent file is an empty memory. */
export async function readManagerMemory(file: string): Promise<ManagerMemory> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT")
      return { inactiveSince: new Map(), ownerState: undefined };
    throw new ManagerStateFileError(`cannot read ${file}: ${(error as Error).message}`, { cause: error });
  }
  let parsed: z.infer<typeof FileSchema>;
  try {
    parsed = FileSchema.parse(JSON.parse(text));
  } catch (error) {
    throw new ManagerStateFileError(
      `${file} is not an ssv-manager state file: delete it (the manager rebuilds it from the chain)`,
      { cause: error },
    );
  }
  return {
    inactiveSince: new Map(Object.entries(parsed.inactiveSince).map(([id, since]) => [BigInt(id), since])),
    ownerState: parsed.ownerState,
  };
}

/** Writes the memory atomically (a crash leaves the old or the new file, never a part). */
export async function writeManagerMemory(file: string, memory: ManagerMemory): Promise<void> {
  const json = {
    version: 1,
    inactiveSince: Object.fromEntries([...memory.inactiveSince].map(([id, since]) => [id.toString(), since])),
    ownerState: memory.ownerState ?? null,
  };
  await writeFileAtomic(file, `${JSON.stringify(json)}\n`, { mode: 0o600 });
}
