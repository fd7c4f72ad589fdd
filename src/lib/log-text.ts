import type { LogRecord } from "./logger.ts";

/**
 * Our own one-line text format:
 * `2025-01-31 12:00:07 WARN     [registration] oracle lagging slot=123 endpoint=https://o.io`
 * Time is UTC. Values without spaces print bare, others JSON-quoted, so a value can never break
 * the line. An error adds `error="Name: message"`, `retryable=` and its causes as a JSON array of
 * one-line texts (`causes=["TypeError: fetch failed","Error: connect ECONNREFUSED 127.0.0.1:1"]`);
 * its stack (debug level only) follows on indented lines.
 */
export function formatTextLine(record: LogRecord): string {
  const time = new Date(record.time).toISOString().slice(0, 19).replace("T", " ");
  let line = `${time} ${record.level.toUpperCase().padEnd(8)} `;
  if (record.module !== undefined) line += `[${record.module}] `;
  line += record.message;
  for (const [key, value] of Object.entries(record.context)) {
    if (value !== undefined) line += ` ${key}=${formatValue(value)}`;
  }
  const error = record.error;
  if (error) {
    line += ` error=${formatValue(`${error.name}: ${error.message}`)}`;
    if (error.retryable !== undefined) line += ` retryable=${error.retryable}`;
    if (error.causes) line += ` causes=${formatValue(error.causes)}`;
    if (error.stack) line += `\n${error.stack.replace(/^/gm, "    ")}`;
  }
  return `${line}\n`;
}

function formatValue(value: unknown): string {
  if (typeof value === "string") return /^[^\s"=\\]+$/.test(value) ? value : JSON.stringify(value);
  if (value === null || typeof value !== "object") return String(value);
  return JSON.stringify(value);
}
