import { Command } from "commander";
import type { CommandContext } from "../context.ts";
import { loadServiceHandler } from "../load-handler.ts";
import { addEnableMetricsFlag, serviceOutputOptions } from "../service-options.ts";
import { addSidecarOptions } from "./options.ts";

/** `operator sidecar`: the DVT sidecar beside one Obol or SSV node. */
export function sidecarCommand(context: () => CommandContext): Command {
  const command = new Command("sidecar").description(
    "DVT sidecar beside one Obol (charon) or SSV node: polls the DVT relayer, signs the exits (and in v4 the deposit messages) of the cluster's validators with this node's key shares, and posts the signature shares. Key shares stay in memory. Runs until SIGINT/SIGTERM.",
  );
  addEnableMetricsFlag(command);
  addSidecarOptions(command);
  for (const option of serviceOutputOptions()) command.addOption(option);
  return command
    .addHelpText(
      "after",
      "\nExamples:\n  operator sidecar --network hoodi --relayer-endpoint http://relayer:8000 --cluster-type obol --obol-keystores-dir .charon/validator_keys --obol-cluster-lock .charon/cluster-lock.json --obol-node-index 0\n  operator sidecar --network hoodi --relayer-endpoint http://relayer:8000 --cluster-type ssv --ssv-operator-id 42 --ssv-operator-key-file encrypted_private_key.json --ssv-operator-password-file password --execution-endpoints http://localhost:8545 --consensus-endpoints http://localhost:5052",
    )
    .action(async (options) => {
      const ctx = context();
      const handler = await loadServiceHandler(import("./handler.ts"), ctx);
      await handler?.runSidecarCommand(options, ctx);
    });
}
