import { readFileSync } from "node:fs";
import { expandHome } from "../../config/data-dir.ts";
import { UserInputError } from "../../lib/errors.ts";
import { assertDbUrl } from "../../remote-db/db-url.ts";

/**
 * `start`'s PostgreSQL URL: --db-url (DB_URL), or --db-url-file (DB_URL_FILE), a file that holds
 * it — a Kubernetes secret mounted as a file, so that the password is in no env var and no argv.
 * Both at once is refused; undefined means operator.db. A bad URL is one line without the password.
 * `--dry-run` reads operator.db read-only and cannot read the PostgreSQL state yet: refused with
 * --db-url rather than report a journal that is not the service's.
 */
export function dbUrlSetting(options: {
  dbUrl?: string;
  dbUrlFile?: string;
  dryRun?: boolean;
}): string | undefined {
  if (options.dryRun === true && (options.dbUrl !== undefined || options.dbUrlFile !== undefined)) {
    throw new UserInputError(
      "--dry-run reads the service state from operator.db and cannot read the PostgreSQL state of --db-url (DB_URL) or --db-url-file (DB_URL_FILE) yet: leave them out for the dry run",
    );
  }
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
