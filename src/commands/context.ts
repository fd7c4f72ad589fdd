import type { Output, Prompter } from "../lib/terminal.ts";

/** What every command handler gets from the process: I/O, the prompter and the shutdown signal. */
export interface CommandContext {
  output: Output;
  prompter: Prompter;
  /** Aborted on SIGINT/SIGTERM, and when stdout or stderr is a closed pipe. */
  signal: AbortSignal;
  /** For output written around `output` (a logger on fd 1): a write error, EPIPE stops the command. */
  onOutputError?: (error: unknown) => void;
}
