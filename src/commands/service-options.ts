import { type Command, Option } from "commander";
import { InvalidValueError, oneOf, wholeNumber } from "../lib/values.ts";
import { LOG_FORMATS, LOG_LEVELS } from "../operator/log-options.ts";
import { addBooleanFlag, valueOption } from "./options.ts";

/** The flags of a long-running service (`start`, `ssv-manager`) as commander parses them. */
export interface ServiceOutputOptionValues {
  enableMetrics?: boolean;
  metricsHost: string;
  metricsPort: number;
  logLevel: (typeof LOG_LEVELS)[number];
  logFormat: (typeof LOG_FORMATS)[number];
  verbose?: boolean;
}

/** --enable-metrics: a flag with its env var, added where the command's flags begin. */
export function addEnableMetricsFlag(command: Command): Command {
  return addBooleanFlag(
    command,
    "--enable-metrics",
    "Serve Prometheus metrics and /health.",
    "ENABLE_METRICS",
  );
}

/** --metrics-host/--metrics-port and --log-level/--log-format, with start's env vars and defaults. */
export function serviceOutputOptions(): Option[] {
  return [
    new Option("--metrics-host <host>", "Metrics host.").env("METRICS_HOST").default("127.0.0.1"),
    valueOption("--metrics-port <port>", "Metrics port.", wholeNumber("a port", 1, 65535))
      .env("METRICS_PORT")
      .default(9100),
    valueOption("--log-level <level>", `${LOG_LEVELS.join(", ")}.`, oneOf("a log level", LOG_LEVELS))
      .env("LOG_LEVEL")
      .default("info"),
    valueOption(
      "--log-format <format>",
      "text or json (plain: the same as text).",
      oneOf("a log format", LOG_FORMATS),
    )
      .env("LOG_FORMAT")
      .default("text"),
  ];
}

/** A Prometheus metric name's first part (the Python operator's namespace). */
const METRIC_NAMESPACE = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

/** --metrics-prefix (METRICS_PREFIX): the namespace of start's metric names, as the Python operator's. */
export function metricsPrefixOption(): Option {
  return valueOption(
    "--metrics-prefix <name>",
    "Namespace of the metric names: <name>_block_number and so on.",
    (text) => {
      if (!METRIC_NAMESPACE.test(text)) {
        throw new InvalidValueError(
          "is not a Prometheus metric namespace: use letters, digits, _ and :, not starting with a digit",
        );
      }
      return text;
    },
  )
    .env("METRICS_PREFIX")
    .default("sw_operator");
}
