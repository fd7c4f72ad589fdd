import { Command, Option } from "commander";
import type { CommandContext } from "../context.ts";
import { endpointsOption } from "../endpoints-input.ts";
import { loadHandler } from "../load-handler.ts";
import {
  dataDirOption,
  executionJwtSecretOption,
  vaultFirstBlockOption,
  vaultNetworkOption,
  vaultOption,
} from "../options.ts";
import type { SubmitRatedNetworkOptions } from "./handler.ts";

/** `operator submit-rated-network` (the Python operator v4's): the vault's validators to Rated. */
export function submitRatedNetworkCommand(context: () => CommandContext): Command {
  return new Command("submit-rated-network")
    .description(
      "Submit your validators to the Rated Network: the vault's active validators, read from its events and the beacon node.",
    )
    .addOption(vaultOption())
    .addOption(vaultNetworkOption())
    .addOption(dataDirOption())
    .addOption(new Option("--pool-tag <tag>", "The pool name listed in the Explorer.").env("POOL_TAG"))
    .addOption(
      new Option(
        "--token <token>",
        "OAuth token for authorization. Prefer RATED_TOKEN: flags are visible to other local users.",
      ).env("RATED_TOKEN"),
    )
    .addOption(endpointsOption("execution"))
    .addOption(executionJwtSecretOption())
    .addOption(endpointsOption("consensus"))
    .addOption(vaultFirstBlockOption())
    .addHelpText(
      "after",
      "\nExample:\n  RATED_TOKEN=… operator submit-rated-network --vault 0x3320… --pool-tag MyPool --execution-endpoints http://localhost:8545 --consensus-endpoints http://localhost:5052",
    )
    .action(async (options: SubmitRatedNetworkOptions) => {
      const ctx = context();
      const { runSubmitRatedNetwork } = await loadHandler(import("./handler.ts"), ctx);
      await runSubmitRatedNetwork(options, ctx);
    });
}
