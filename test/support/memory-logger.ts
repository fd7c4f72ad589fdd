import { createLoggerFromSink, type Logger, type LogLevel, type LogRecord } from "../../src/lib/logger.ts";

/** A test double that records sanitized entries (shared by all its children). */
export interface MemoryLogger extends Logger {
  readonly entries: LogRecord[];
  /** Entries at `level`, or all, as `"LEVEL message"` strings: handy in `assert.deepEqual`. */
  lines(level?: LogLevel): string[];
  clear(): void;
}

export function memoryLogger(
  options: { level?: LogLevel; now?: () => number; redact?: readonly string[] } = {},
): MemoryLogger {
  const entries: LogRecord[] = [];
  const logger = createLoggerFromSink((record) => entries.push(record), {
    level: options.level ?? "debug",
    ...(options.now ? { now: options.now } : {}),
    ...(options.redact ? { redact: options.redact } : {}),
  });
  return {
    ...logger,
    entries,
    lines: (level) =>
      entries.filter((e) => level === undefined || e.level === level).map((e) => `${e.level} ${e.message}`),
    clear: () => {
      entries.length = 0;
    },
  };
}
