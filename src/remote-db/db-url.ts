import { redactUrl } from "../lib/sanitize.ts";
import { InvalidValueError, parseValue } from "../lib/values.ts";

/** The form --db-url takes, as the messages and the prompt show it. */
export const DB_URL_FORM = "postgresql://username[:password]@hostname[:port]/dbname";

/**
 * --db-url (a ValueParser): a postgres:// or postgresql:// URL naming a user, a host and a
 * database; the password is optional (trust, peer or .pgpass authentication, or a server that
 * asks none). The user may not be omitted, as the Python operator requires too: without it the
 * driver falls back to PGUSER or the OS account, so the same URL would log in as another role on
 * each machine or pod. The reason shows the URL redacted (scheme and host), never the password.
 */
export function dbUrlValue(text: string): string {
  const value = text.trim();
  // The driver parses it with the WHATWG URL parser: a "/", "#" or "?" in the password, a bad
  // %-escape or port would throw there with the password in the error.
  let parsed: URL | undefined;
  try {
    parsed = new URL(value);
    decodeURIComponent(parsed.username);
    decodeURIComponent(parsed.password);
  } catch {
    parsed = undefined;
  }
  const shown = redactUrl(value);
  if (!/^postgres(ql)?:\/\/.+@.+\/.+/.test(value) || parsed?.username === "") {
    throw new InvalidValueError(
      // In words: the CLI's error lines pass the log sanitizer, which would mask a URL's user and path.
      `is not a database connection URL (${shown}): use postgresql:// followed by username[:password]@hostname[:port]/dbname`,
    );
  }
  if (!parsed || parsed.hostname === "" || parsed.pathname.length < 2) {
    throw new InvalidValueError(
      `cannot be parsed as a URL (${shown}): percent-encode special characters of the user and password (e.g. "/" as %2F, "#" as %23, "@" as %40) and check the port`,
    );
  }
  return value;
}

/** {@link dbUrlValue}, refusing a bad URL with a UserInputError naming `flag` (never the password). */
export function assertDbUrl(url: string, flag = "--db-url"): string {
  return parseValue(dbUrlValue, url, { flag, secret: true });
}
