import type { CommandContext } from "../../src/commands/context.ts";
import { nonInteractivePrompter } from "../../src/lib/terminal.ts";

/** A context for running a command's handler in the test process: prints nothing, asks nothing. */
export function quietCommandContext(signal: AbortSignal = new AbortController().signal): CommandContext {
  return {
    output: { line: () => {}, write: () => {}, isTTY: false },
    prompter: nonInteractivePrompter,
    signal,
  };
}
