import { createLogger } from "../../lib/logger.ts";
import { dryRunLines } from "../../operator/dry-run-report.ts";
import { runStartService } from "../../operator/service.ts";
import { parseStartSettings, type StartOptionValues } from "../../operator/settings.ts";
import type { CommandContext } from "../context.ts";
import { type HashiVaultCliOptions, hashiVaultOptionsFrom } from "../hashi-vault-options.ts";
import { askVault } from "../inputs.ts";
import { dbUrlSetting, warnUnusedDatabaseDir } from "./db-url-setting.ts";

/** `operator start`: the registration service, until SIGINT/SIGTERM; with --dry-run, one round that sends nothing. */
export async function runStart(
  options: StartOptionValues & HashiVaultCliOptions & { dryRun?: boolean },
  ctx: CommandContext,
): Promise<void> {
  const vault = await askVault(ctx, options.vault);
  const dbUrl = dbUrlSetting(options);
  const settings = parseStartSettings(
    { ...options, ...(dbUrl === undefined ? {} : { dbUrl }) },
    vault,
    process.env,
    hashiVaultOptionsFrom(options),
  );
  if (!options.dryRun) {
    const logger = createLogger({
      level: settings.logLevel,
      format: settings.logFormat,
      ...(ctx.onOutputError ? { onWriteError: ctx.onOutputError } : {}),
    });
    warnUnusedDatabaseDir(options, dbUrl, logger);
    return runStartService(settings, logger, ctx.signal);
  }
  // A dry run prints its report on stdout: warnings and errors (all of it with --log-level debug)
  // go to stderr beside it, as status does.
  const logger = createLogger({
    level: settings.logLevel === "debug" ? "debug" : "warn",
    format: settings.logFormat,
    destination: process.stderr,
  });
  warnUnusedDatabaseDir(options, dbUrl, logger);
  await runStartService(settings, logger, ctx.signal, {
    purpose: "dry-run",
    report: async (result) => {
      for (const line of dryRunLines(result)) ctx.output.line(line);
    },
  });
}
