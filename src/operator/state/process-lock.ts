import { DatabaseSync } from "node:sqlite";
import { StateStoreLockedError } from "./errors.ts";

export interface ProcessLock {
  readonly file: string;
  /** Releases the lock (idempotent). A killed process releases it too: the OS drops its locks. */
  release(): void;
}

export interface AcquireProcessLockOptions {
  /** The lock file (a tiny SQLite database; created if missing, never deleted). */
  file: string;
  /** What the lock protects, for the error message. */
  protects: string;
  /** How long to wait for another holder to let go (ms); 0 fails at once. */
  timeoutMs?: number;
}

/**
 * An exclusive, crash-safe process lock: a SQLite database in EXCLUSIVE locking mode keeps its
 * OS file lock for as long as the connection is open, and the kernel drops it when the process
 * dies, even on kill -9, so there is no stale pid file to clean up after a crash.
 */
export function acquireProcessLock(options: AcquireProcessLockOptions): ProcessLock {
  const db = new DatabaseSync(options.file, { timeout: options.timeoutMs ?? 0 });
  try {
    db.exec("PRAGMA locking_mode = EXCLUSIVE");
    // The first write takes the exclusive lock; EXCLUSIVE locking mode keeps it until close.
    db.exec(`CREATE TABLE IF NOT EXISTS holder (pid INTEGER NOT NULL, since INTEGER NOT NULL)`);
    db.exec("BEGIN EXCLUSIVE");
    db.exec("DELETE FROM holder");
    db.prepare("INSERT INTO holder (pid, since) VALUES (?, ?)").run(process.pid, Date.now());
    db.exec("COMMIT");
  } catch (error) {
    db.close();
    if (isBusy(error)) {
      throw new StateStoreLockedError(
        `another operator process is using ${options.protects} (its lock ${options.file} is held): stop the other process first; two services on one vault could register the same validator twice`,
        { cause: error, retryable: true },
      );
    }
    throw error;
  }
  let released = false;
  return {
    file: options.file,
    release() {
      if (released) return;
      released = true;
      db.close();
    },
  };
}

export function isBusy(error: unknown): boolean {
  const { errcode, message } = error as { errcode?: unknown; message?: unknown };
  // SQLITE_BUSY (5) and its extended codes (e.g. 261, 517), or SQLITE_LOCKED (6).
  if (typeof errcode === "number" && ((errcode & 0xff) === 5 || (errcode & 0xff) === 6)) return true;
  return typeof message === "string" && /database is locked|database table is locked/.test(message);
}
