import { access } from "node:fs/promises";

export async function pathExists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

const FS_REASONS: Record<string, string> = {
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EROFS: "read-only filesystem",
  ENOSPC: "no space left",
  ENOTDIR: "a path component is not a directory",
  EEXIST: "a file is in the way",
  EXDEV: "crosses filesystems",
};

/**
 * A filesystem error as a user reads it ("EACCES: permission denied"); undefined when `error` is
 * not one (no errno code), so the caller rethrows it as it is.
 */
export function fsErrorReason(error: unknown): string | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code !== "string") return undefined;
  return `${code}: ${FS_REASONS[code] ?? "a filesystem error"}`;
}
