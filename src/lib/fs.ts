import { mkdirSync, statSync } from "node:fs";
import { access, constants, mkdtemp, rmdir } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { OperatorError } from "./errors.ts";

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
  ENOENT: "no such file or directory, or the filesystem does not allow creating it",
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

/** A directory that could not be created; `code` is the errno code, so fsErrorReason reads it. */
export class MakeDirError extends OperatorError {
  override name = "MakeDirError";
  readonly code: string;
  /** The directory that could not be created (a component of the requested path). */
  readonly path: string;
  constructor(path: string, cause: unknown, action = "create the directory") {
    const code = (cause as NodeJS.ErrnoException | undefined)?.code ?? "EIO";
    super(`cannot ${action} ${path} (${fsErrorReason({ code })})`, { cause });
    this.code = code;
    this.path = path;
  }
}

export interface MakeDirsOptions {
  /** Mode of each directory created (before the umask), as fs.mkdir takes it. */
  mode?: number;
}

/**
 * Creates `path` and its missing parents, like `mkdir -p`, and returns the directories it created,
 * outermost first. Node's recursive mkdir (and mkdirSync) never returns on a filesystem that
 * answers ENOENT for a directory whose parent exists (`/proc/x`); here the missing components
 * are created one by one, non-recursively, from the nearest existing ancestor, so such a path
 * fails at once. A failure is a MakeDirError naming the directory and the reason.
 */
export function makeDirsSync(path: string, options: MakeDirsOptions = {}): string[] {
  const created: string[] = [];
  for (const dir of existingAncestor(path).missing) {
    try {
      mkdirSync(dir, options.mode === undefined ? {} : { mode: options.mode });
      created.push(dir);
    } catch (error) {
      // Another process made it in the meantime: fine, as with mkdir -p.
      if ((error as NodeJS.ErrnoException).code === "EEXIST" && entryKind(dir) === "dir") continue;
      throw new MakeDirError(dir, error);
    }
  }
  return created;
}

/**
 * The nearest existing directory of `path` (the path itself or an ancestor) and the components
 * under it that do not exist, outermost first. A file in the way is a MakeDirError: EEXIST when
 * it is the path itself, ENOTDIR when it is an ancestor.
 */
export function existingAncestor(path: string): { dir: string; missing: string[] } {
  const target = resolve(path);
  const missing: string[] = [];
  for (let dir = target; ; dir = dirname(dir)) {
    const kind = entryKind(dir);
    if (kind === "dir") return { dir, missing };
    if (kind === "other") {
      const code = dir === target ? "EEXIST" : "ENOTDIR";
      throw new MakeDirError(target, Object.assign(new Error(`${code}: ${dir}`), { code }));
    }
    missing.unshift(dir);
    if (dirname(dir) === dir) return { dir, missing };
  }
}

/**
 * Fails, with a MakeDirError naming the reason, when `path` could not be created (or, when it
 * exists, written in), and leaves nothing behind. access() alone cannot tell: root passes it even
 * where a read-only or virtual filesystem (`/proc`) refuses, so a directory is also created and
 * removed at once in the nearest existing one.
 */
export async function assertCanMakeDirs(path: string): Promise<void> {
  const { dir, missing } = existingAncestor(path);
  const wanted = missing[0] ?? dir;
  try {
    await access(dir, constants.W_OK | constants.X_OK);
    await rmdir(await mkdtemp(join(dir, ".vault-operator-check-")));
  } catch (error) {
    throw new MakeDirError(wanted, error, missing.length > 0 ? "create the directory" : "write in");
  }
}

/**
 * The async form of {@link makeDirsSync}, for async callers. It is the same few synchronous
 * syscalls (one stat per component, one mkdir per missing one): one implementation for both.
 */
export async function makeDirs(path: string, options: MakeDirsOptions = {}): Promise<string[]> {
  return makeDirsSync(path, options);
}

/** What is at `path`: a directory, something else, or nothing (ENOENT). Other errors are thrown. */
function entryKind(path: string): "dir" | "other" | "none" {
  try {
    return statSync(path).isDirectory() ? "dir" : "other";
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // ENOTDIR: an ancestor is a file; the walk up finds it.
    if (code === "ENOENT" || code === "ENOTDIR") return "none";
    throw new MakeDirError(path, error);
  }
}
