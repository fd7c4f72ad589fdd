import { OperatorError, UserInputError } from "../lib/errors.ts";
import { redactUrl, sanitizeText } from "../lib/sanitize.ts";

/** Driver and socket codes of a server that could not be reached (retryable). */
const UNREACHABLE = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ECONNRESET",
  "CONNECT_TIMEOUT",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
]);

/** One clear line for a failed database call; never the URL's credentials. */
export function databaseError(error: unknown, url: string, action: string): OperatorError {
  if (error instanceof OperatorError) return error;
  const where = redactUrl(url);
  const code = (error as { code?: unknown }).code;
  const reason = sanitizeText(error instanceof Error ? error.message : String(error));
  if (typeof code === "string" && UNREACHABLE.has(code)) {
    return new OperatorError(
      `cannot reach the database at ${where} (${code}) while trying to ${action}: check --db-url and that PostgreSQL is running`,
      { retryable: true, cause: error },
    );
  }
  if (code === "28P01" || code === "28000") {
    return new UserInputError(
      `the database at ${where} refused the user or password of --db-url (${reason})`,
      {
        cause: error,
      },
    );
  }
  if (code === "3D000") {
    return new UserInputError(`${reason} at ${where}: create it or fix the database name in --db-url`, {
      cause: error,
    });
  }
  return new OperatorError(`the database at ${where} failed to ${action}: ${reason}`, { cause: error });
}
