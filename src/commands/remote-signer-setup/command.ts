import { Command } from "commander";
import { OperatorError } from "../../lib/errors.ts";
import type { CommandContext } from "../context.ts";

// Placeholder: replaced by the real command.
export function remoteSignerSetupCommand(_context: () => CommandContext): Command {
  return new Command("remote-signer-setup").description("(not yet available)").action(() => {
    throw new OperatorError("remote-signer-setup is not available yet");
  });
}
