import { createLogger } from "../../lib/logger.ts";
import { runStartService } from "../../operator/service.ts";
import type { StartOptionValues } from "../../operator/settings.ts";
import { collectVaultStatus } from "../../operator/status/vault-status.ts";
import { vaultStatusLines } from "../../operator/status/vault-status-text.ts";
import type { CommandContext } from "../context.ts";
import type { HashiVaultCliOptions } from "../hashi-vault-options.ts";
import { askVault } from "../inputs.ts";
import { warnUnusedDatabaseDir } from "../start/db-url-setting.ts";
import { startSettingsFrom } from "../start/start-settings.ts";

/**
 * `operator status`: the service built as `start` builds it (operator.db, or the --db-url
 * database, read-only), one round that plans the top-ups and the registration and sends nothing,
 * then the reads around it; printed as text or one JSON object.
 */
export async function runStatus(
  options: StartOptionValues & HashiVaultCliOptions & { json?: boolean },
  ctx: CommandContext,
): Promise<void> {
  const vault = await askVault(ctx, options.vault);
  const settings = startSettingsFrom(options, vault);
  // Only warnings and errors, on stderr: stdout is the status.
  const logger = createLogger({
    level: settings.logLevel === "debug" ? "debug" : "warn",
    format: settings.logFormat,
    destination: process.stderr,
  });
  warnUnusedDatabaseDir(options, settings.dbUrl, logger);
  await runStartService(settings, logger, ctx.signal, {
    purpose: "status",
    report: async (result) => {
      const status = await collectVaultStatus(result, {
        vault,
        metrics: settings,
        oracleTimeoutMs: settings.oracleTimeoutMs,
        signal: ctx.signal,
      });
      if (options.json) ctx.output.line(JSON.stringify(status, null, 2));
      else for (const line of vaultStatusLines(status)) ctx.output.line(line);
    },
  });
}
