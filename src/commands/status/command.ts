import { Command, Option } from "commander";
import type { CommandContext } from "../context.ts";
import { loadHandler } from "../load-handler.ts";
import { addStartOptions } from "../start/command.ts";

/**
 * `operator status`: one screen for a vault, from the chain, the beacon node and the service's
 * state file (read-only), whether the service runs or not. It takes `start`'s flags, so that it
 * opens the vault's flow, keys and state as that `start` would.
 */
export function statusCommand(context: () => CommandContext): Command {
  const command = new Command("status").addOption(
    new Option("--json", "Print one JSON object with stable keys instead of text."),
  );
  return addStartOptions(command)
    .description(
      "Show a vault's state: version and flow, validators by beacon state, unused keys, assets waiting, oracles reachable, hot wallet balance and runway, the last transaction, and what the next round does or waits for. Read-only; works whether the service runs or not.",
    )
    .addHelpText(
      "after",
      "\nExample:\n  operator status --vault 0x3320… --execution-endpoints http://localhost:8545 --consensus-endpoints http://localhost:5052 --json",
    )
    .action(async (options) => {
      const ctx = context();
      const handler = await loadHandler(import("./handler.ts"), ctx);
      await handler.runStatus(options, ctx);
    });
}
