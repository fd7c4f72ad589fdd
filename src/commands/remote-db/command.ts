import { Command } from "commander";
import { OperatorError } from "../../lib/errors.ts";
import type { CommandContext } from "../context.ts";

// Placeholder: replaced by the real command.
export function remoteDbCommand(_context: () => CommandContext): Command {
  return new Command("remote-db").description("(not yet available)").action(() => {
    throw new OperatorError("remote-db is not available yet");
  });
}
