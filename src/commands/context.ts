import type { Output, Prompter } from "../lib/terminal.ts";

/** What every command handler gets from the process: I/O, the prompter and the shutdown signal. */
export interface CommandContext {
  output: Output;
  prompter: Prompter;
  /** Aborted on SIGINT/SIGTERM. */
  signal: AbortSignal;
}
