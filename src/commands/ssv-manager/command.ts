import { Command } from "commander";
import type { CommandContext } from "../context.ts";
import { loadServiceHandler } from "../load-handler.ts";
import { addEnableMetricsFlag, serviceOutputOptions } from "../service-options.ts";
import { addSsvEnvironmentOptions } from "../ssv/environment-options.ts";
import { addSsvRegisterOptions } from "../ssv/register-options.ts";
import { addManagerOptions } from "./manager-options.ts";

/** `operator ssv-manager`: keeps the vault's validators running on SSV clusters, like `start` keeps registering. */
export function ssvManagerCommand(context: () => CommandContext): Command {
  const command = new Command("ssv-manager").description(
    "Keep the vault's validators on SSV: every round register new keys, top clusters up, reactivate liquidated ones, set the fee recipient to the vault's MEV escrow, remove exited validators, move validators away from removed, inactive or dear operators, and withdraw the balance of empty clusters. Runs until SIGINT/SIGTERM.",
  );
  addEnableMetricsFlag(command);
  addSsvEnvironmentOptions(command);
  addSsvRegisterOptions(command);
  addManagerOptions(command);
  for (const option of serviceOutputOptions()) command.addOption(option);
  return command
    .addHelpText(
      "after",
      "\nExample:\n  operator ssv-manager --vault 0x3320… --execution-endpoints http://localhost:8545 --consensus-endpoints http://localhost:5052 --runway-days 90 --min-runway-days 30\n  operator ssv-manager --vault 0x3320… --dry-run   # print each round's actions, send nothing",
    )
    .action(async (options) => {
      const ctx = context();
      const handler = await loadServiceHandler(import("./handler.ts"), ctx);
      await handler?.runSsvManagerCommand(options, ctx);
    });
}
