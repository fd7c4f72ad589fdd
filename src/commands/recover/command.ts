import { Command } from "commander";
import { OperatorError } from "../../lib/errors.ts";
import type { CommandContext } from "../context.ts";

// Placeholder: replaced by the real command.
export function recoverCommand(_context: () => CommandContext): Command {
  return new Command("recover").description("(not yet available)").action(() => {
    throw new OperatorError("recover is not available yet");
  });
}
