import { randomBytes } from "node:crypto";
import { open, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { makeDirs } from "./fs.ts";

export interface WriteFileAtomicOptions {
  /** File mode, e.g. 0o600 for key material. */
  mode?: number;
}

/**
 * Writes a file so that readers see either the old content or the whole new content, never a
 * part: write a temp file beside the target, fsync it, rename it over the target, fsync the dir.
 */
export async function writeFileAtomic(
  path: string,
  data: string | Uint8Array,
  options: WriteFileAtomicOptions = {},
): Promise<void> {
  await writeFilesAtomic([{ path, data }], options);
}

/**
 * Writes several files as a set: every one is written to a temp file and fsynced before the
 * first is renamed into place, so a failure while writing (no space, no permission) leaves all
 * the old files as they were instead of a mix of old and new.
 */
export async function writeFilesAtomic(
  files: readonly { path: string; data: string | Uint8Array }[],
  options: WriteFileAtomicOptions = {},
): Promise<void> {
  const mode = options.mode ?? 0o644;
  const temps: { tmp: string; path: string }[] = [];
  try {
    for (const { path, data } of files) {
      const dir = dirname(path);
      await makeDirs(dir);
      const tmp = join(dir, `.${basename(path)}.${randomBytes(6).toString("hex")}.tmp`);
      temps.push({ tmp, path });
      const handle = await open(tmp, "wx", mode);
      try {
        await handle.writeFile(data);
        await handle.sync();
      } finally {
        await handle.close();
      }
    }
    for (const { tmp, path } of temps) await rename(tmp, path);
  } catch (error) {
    await Promise.all(temps.map(({ tmp }) => rm(tmp, { force: true })));
    throw error;
  }
  for (const dir of new Set(files.map((f) => dirname(f.path)))) await syncDir(dir);
}

/** Makes a completed rename/creation in `dir` durable. */
export async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
