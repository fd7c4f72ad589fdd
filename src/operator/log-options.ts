/**
 * The values of --log-level and --log-format. Apart from settings.ts so that the CLI's option
 * definitions read them without loading the settings' dependencies.
 */
export const LOG_LEVELS = ["debug", "info", "warn", "error"] as const;
/** "plain" is the Python operator's name for text. */
export const LOG_FORMATS = ["text", "json", "plain"] as const;
