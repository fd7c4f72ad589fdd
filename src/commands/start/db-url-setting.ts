import { readFileSync } from "node:fs";
import { expandHome } from "../../config/data-dir.ts";
import { UserInputError } from "../../lib/errors.ts";
import type { Logger } from "../../lib/logger.ts";
import { assertDbUrl } from "../../remote-db/db-url.ts";

/**
 * `start`'s PostgreSQL URL: --db-url (DB_URL), or --db-url-file (DB_URL_FILE), a file that holds
 * it — a Kubernetes secret mounted as a file, so that the password is in no env var and no argv.
 * Both at once is refused; undefined means operator.db. A bad URL is one line without the password.
 */
export function dbUrlSetting(options: { dbUrl?: string; dbUrlFile?: string }): string | undefined {
  if (options.dbUrl !== undefined && options.dbUrlFile !== undefined) {
    throw new UserInputError(
      "--db-url (DB_URL) and --db-url-file (DB_URL_FILE) are both given: give one of them",
    );
  }
  if (options.dbUrlFile === undefined) return options.dbUrl;
  const file = expandHome(options.dbUrlFile);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new UserInputError(
      `cannot read --db-url-file ${file} (${(error as NodeJS.ErrnoException).code ?? "error"}): check the path and its permissions`,
    );
  }
  return assertDbUrl(text.trim(), `--db-url-file ${file}`);
}

/** With --db-url the state is in PostgreSQL: a --database-dir (DATABASE_DIR) given too is not used, and the log says so once. */
export function warnUnusedDatabaseDir(
  options: { databaseDir?: string },
  dbUrl: string | undefined,
  logger: Pick<Logger, "warn">,
): void {
  if (dbUrl === undefined || options.databaseDir === undefined) return;
  logger.warn("--database-dir is not used with --db-url", {
    databaseDir: options.databaseDir,
    reason: "the service state is in the --db-url database",
  });
}
