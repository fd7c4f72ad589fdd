import { formatJsonLine } from "./log-json.ts";
import { formatTextLine } from "./log-text.ts";
import { type SerializedError, sanitizeContext, sanitizeText, serializeError } from "./sanitize.ts";
import { syncStdout } from "./sync-stdout.ts";
import { createThrottle, type Throttle } from "./throttle.ts";

/**
 * Logging policy (Lodestar's, adapted): the message is a constant string; data goes in the
 * context object; the error goes last. One child logger per module (`{ module: "registration" }`).
 * Everything passes the sanitizer (`sanitize.ts`), so a secret passed by mistake is masked.
 *
 *   log.warn("beacon node not synced", { endpoint, headSlot }, error);
 */
export type LogLevel = "debug" | "info" | "warn" | "error";
export type LogFormat = "text" | "json";
export type LogContext = Record<string, unknown>;

export interface Logger {
  debug(message: string, context?: LogContext, error?: unknown): void;
  info(message: string, context?: LogContext, error?: unknown): void;
  warn(message: string, context?: LogContext, error?: unknown): void;
  error(message: string, context?: LogContext, error?: unknown): void;
  /** A logger adding `bindings` to every entry; a `module` binding nests as `parent/child`. */
  child(bindings: LogContext): Logger;
  /**
   * The same logger, but emitting at most once per `intervalMs` for `key` (scoped to the module);
   * the entry that gets through carries `suppressed: n` when earlier ones were dropped.
   * Use for warnings that would otherwise repeat every slot.
   */
  throttled(key: string, intervalMs: number): Logger;
  isLevelEnabled(level: LogLevel): boolean;
}

/** One entry after sanitizing: what sinks (JSON lines, text lines, a test's memory) receive. */
export interface LogRecord {
  /** Unix ms. */
  time: number;
  level: LogLevel;
  module?: string;
  message: string;
  /** Sanitized bindings and context, in that order. */
  context: LogContext;
  error?: SerializedError;
}

/** Where lines go: stdout (written synchronously), a test buffer. */
export interface LogDestination {
  write(chunk: string): unknown;
}

export interface LoggerOptions {
  level: LogLevel | "silent";
  format: LogFormat;
  /** Default: stdout, written synchronously so nothing is lost when the process exits. */
  destination?: LogDestination;
  /** Extra key names whose values are always redacted (see `SanitizeOptions.redactKeys`). */
  redact?: readonly string[];
  /** Injected for tests; default `Date.now`. Also drives throttling. */
  now?: () => number;
  /**
   * Called when writing an entry fails (EPIPE: the reader of stdout went away); the entry is
   * dropped either way. The CLI stops the command on a broken pipe (lib/broken-pipe.ts).
   */
  onWriteError?: (error: unknown) => void;
}

const RANK: Record<LogLevel | "silent", number> = {
  debug: 20,
  info: 30,
  warn: 40,
  error: 50,
  silent: Infinity,
};

/** Receives each sanitized entry that passed the level and throttle. */
export type LogSink = (record: LogRecord) => void;

interface Core {
  level: LogLevel | "silent";
  sink: LogSink;
  now: () => number;
  throttle: Throttle;
  redact: readonly string[];
}

export function createLogger(options: LoggerOptions): Logger {
  const now = options.now ?? Date.now;
  const destination = options.destination ?? syncStdout(options.onWriteError);
  const format = options.format === "json" ? formatJsonLine : formatTextLine;
  const write: LogSink = (record) => {
    destination.write(format(record));
  };
  const { onWriteError } = options;
  const sink: LogSink = onWriteError
    ? (record) => {
        try {
          write(record);
        } catch (error) {
          onWriteError(error);
        }
      }
    : write;
  return createLoggerFromSink(sink, { level: options.level, now, redact: options.redact ?? [] });
}

/** Builds a logger over any sink; `memoryLogger` and tests use it. */
export function createLoggerFromSink(
  sink: LogSink,
  options: { level: LogLevel | "silent"; now?: () => number; redact?: readonly string[] },
): Logger {
  const now = options.now ?? Date.now;
  const core: Core = {
    level: options.level,
    sink,
    now,
    throttle: createThrottle({ now }),
    redact: options.redact ?? [],
  };
  return makeLogger(core, {}, undefined, undefined);
}

function makeLogger(
  core: Core,
  bindings: LogContext,
  module: string | undefined,
  throttle: { key: string; intervalMs: number } | undefined,
): Logger {
  const enabled = (level: LogLevel) => RANK[level] >= RANK[core.level];

  const log = (level: LogLevel, message: string, context: LogContext | undefined, error: unknown) => {
    if (!enabled(level)) return;
    // Tolerate the common slip `log.error("…", error)`.
    if (context instanceof Error && error === undefined) {
      error = context;
      context = undefined;
    }
    let suppressed = 0;
    if (throttle) {
      const taken = core.throttle.take(`${module ?? ""}\u0000${throttle.key}`, throttle.intervalMs);
      if (taken === null) return;
      suppressed = taken;
    }
    try {
      const record: LogRecord = {
        time: core.now(),
        level,
        message: sanitizeText(message),
        context: { ...bindings, ...(context ? sanitizeContext(context, { redactKeys: core.redact }) : {}) },
      };
      if (module !== undefined) record.module = module;
      if (suppressed > 0) record.context.suppressed = suppressed;
      if (error !== undefined) record.error = serializeError(error, { stack: core.level === "debug" });
      core.sink(record);
    } catch {
      // Logging must never take the service down (EPIPE on a closed stdout, a hostile getter).
    }
  };

  return {
    debug: (message, context, error) => log("debug", message, context, error),
    info: (message, context, error) => log("info", message, context, error),
    warn: (message, context, error) => log("warn", message, context, error),
    error: (message, context, error) => log("error", message, context, error),
    child(childBindings) {
      const { module: childModule, ...rest } = sanitizeContext(childBindings, { redactKeys: core.redact });
      const nested =
        childModule === undefined
          ? module
          : module === undefined
            ? String(childModule)
            : `${module}/${String(childModule)}`;
      return makeLogger(core, { ...bindings, ...rest }, nested, throttle);
    },
    throttled: (key, intervalMs) => makeLogger(core, bindings, module, { key, intervalMs }),
    isLevelEnabled: enabled,
  };
}

/** A logger that drops everything. */
export function silentLogger(): Logger {
  const logger: Logger = {
    debug() {},
    info() {},
    warn() {},
    error() {},
    child: () => logger,
    throttled: () => logger,
    isLevelEnabled: () => false,
  };
  return logger;
}
