import type { LogRecord } from "./logger.ts";

/** Fields every line has; a context key with one of these names is written as `<key>_`. */
const RESERVED_KEYS = new Set(["time", "level", "msg", "module", "error"]);

/**
 * One JSON line per entry, the layout log pipelines read (pino's, which wrote it before):
 * `{"level":"info","time":"2025-01-31T12:00:07.123Z","module":"registration",…context,"error":{…},"msg":"…"}`.
 * Context values are already sanitized (`sanitize.ts`), so plain JSON: no cycles, no bigints.
 */
export function formatJsonLine(record: LogRecord): string {
  let line = `{"level":"${record.level}","time":"${new Date(record.time).toISOString()}"`;
  if (record.module !== undefined) line += `,"module":${JSON.stringify(record.module)}`;
  for (const key of Object.keys(record.context)) {
    const value = record.context[key];
    if (value === undefined) continue;
    line += `,${JSON.stringify(RESERVED_KEYS.has(key) ? `${key}_` : key)}:${JSON.stringify(value)}`;
  }
  if (record.error) line += `,"error":${JSON.stringify(record.error)}`;
  return `${line},"msg":${JSON.stringify(record.message)}}\n`;
}
