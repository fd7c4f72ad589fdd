import { createLogger } from "../../lib/logger.ts";
import { dryRunLines } from "../../operator/dry-run-report.ts";
import { runStartService } from "../../operator/service.ts";
import type { StartOptionValues } from "../../operator/settings.ts";
import type { CommandContext } from "../context.ts";
import type { HashiVaultCliOptions } from "../hashi-vault-options.ts";
import { askVault } from "../inputs.ts";
import { warnUnusedDatabaseDir } from "./db-url-setting.ts";
import { startSettingsFrom } from "./start-settings.ts";

/** `operator start`: the registration service, until SIGINT/SIGTERM; with --dry-run, one round that sends nothing. */
export async function runStart(
  options: StartOptionValues & HashiVaultCliOptions & { dryRun?: boolean },
  ctx: CommandContext,
): Promise<void> {
  const vault = await askVault(ctx, options.vault);
  const settings = startSettingsFrom(options, vault);
  if (!options.dryRun) {
    const logger = createLogger({
      level: settings.logLevel,
      format: settings.logFormat,
      ...(ctx.onOutputError ? { onWriteError: ctx.onOutputError } : {}),
    });
    warnUnusedDatabaseDir(options, settings.dbUrl, logger);
    return runStartService(settings, logger, ctx.signal);
  }
  // A dry run prints its report on stdout: warnings and errors (all of it with --log-level debug)
  // go to stderr beside it, as status does.
  const logger = createLogger({
    level: settings.logLevel === "debug" ? "debug" : "warn",
    format: settings.logFormat,
    destination: process.stderr,
  });
  warnUnusedDatabaseDir(options, settings.dbUrl, logger);
  await runStartService(settings, logger, ctx.signal, {
    purpose: "dry-run",
    report: async (result) => {
      for (const line of dryRunLines(result)) ctx.output.line(line);
    },
  });
}
