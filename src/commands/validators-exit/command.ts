import { Command } from "commander";
import { OperatorError } from "../../lib/errors.ts";
import type { CommandContext } from "../context.ts";

// Placeholder: replaced by the real command.
export function validatorsExitCommand(_context: () => CommandContext): Command {
  return new Command("validators-exit").description("(not yet available)").action(() => {
    throw new OperatorError("validators-exit is not available yet");
  });
}
