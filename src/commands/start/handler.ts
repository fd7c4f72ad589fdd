import { createLogger } from "../../lib/logger.ts";
import { runStartService } from "../../operator/service.ts";
import { parseStartSettings, type StartOptionValues } from "../../operator/settings.ts";
import type { CommandContext } from "../context.ts";
import { type HashiVaultCliOptions, hashiVaultOptionsFrom } from "../hashi-vault-options.ts";
import { askVault } from "../inputs.ts";

/** `operator start`: the registration service, until SIGINT/SIGTERM. */
export async function runStart(
  options: StartOptionValues & HashiVaultCliOptions,
  ctx: CommandContext,
): Promise<void> {
  const vault = await askVault(ctx, options.vault);
  const settings = parseStartSettings(options, vault, process.env, hashiVaultOptionsFrom(options));
  const logger = createLogger({
    level: settings.logLevel,
    format: settings.logFormat,
    ...(ctx.onOutputError ? { onWriteError: ctx.onOutputError } : {}),
  });
  await runStartService(settings, logger, ctx.signal);
}
