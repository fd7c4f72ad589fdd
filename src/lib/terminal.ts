import { createInterface } from "node:readline/promises";
import { Writable } from "node:stream";
import { InterruptedError, MissingInputError } from "./errors.ts";

/** Where a command writes what the user reads. Injected so tests can capture it. */
export interface Output {
  line(text?: string): void;
  /** Raw text without a newline (progress bars, prompts). */
  write(text: string): void;
  readonly isTTY: boolean;
}

export function processOutput(): Output {
  return {
    line: (text = "") => process.stdout.write(`${text}\n`),
    write: (text) => process.stdout.write(text),
    isTTY: process.stdout.isTTY === true,
  };
}

export interface AskOptions {
  default?: string;
  /** Do not echo what is typed (mnemonics, passwords). */
  hidden?: boolean;
}

/** Asks the user for input; only when a terminal is attached. */
export interface Prompter {
  readonly interactive: boolean;
  ask(message: string, options?: AskOptions): Promise<string>;
  /** "Press any key" style pause. */
  pause(message: string): Promise<void>;
  clearScreen(): void;
}

/** A prompter for processes without a terminal: every question is a missing input. */
export const nonInteractivePrompter: Prompter = {
  interactive: false,
  ask: () => Promise.reject(new MissingInputError("input", undefined)),
  pause: () => Promise.resolve(),
  clearScreen: () => {},
};

/** Prompts on the controlling terminal with the click-style "Message [default]: " layout. */
export function terminalPrompter(): Prompter {
  return {
    interactive: true,
    async ask(message, options = {}) {
      let muted = false;
      const output = new Writable({
        write(chunk, _encoding, callback) {
          if (!muted) process.stdout.write(chunk);
          callback();
        },
      });
      const rl = createInterface({ input: process.stdin, output, terminal: true });
      try {
        const suffix = options.default !== undefined ? ` [${options.default}]` : "";
        const answer = rl.question(`${message}${suffix}: `);
        muted = options.hidden === true;
        const text = (await answer).trim();
        if (options.hidden) process.stdout.write("\n");
        return text === "" && options.default !== undefined ? options.default : text;
      } finally {
        rl.close();
      }
    },
    async pause(message) {
      process.stdout.write(`${message}\n`);
      const stdin = process.stdin;
      const wasRaw = stdin.isRaw;
      stdin.setRawMode(true);
      stdin.resume();
      try {
        const key = await new Promise<Buffer>((resolve) => stdin.once("data", resolve));
        // Raw mode turns Ctrl-C into a byte instead of SIGINT.
        if (key[0] === 0x03) throw new InterruptedError();
      } finally {
        stdin.setRawMode(wasRaw);
        stdin.pause();
      }
    },
    clearScreen() {
      process.stdout.write("\x1b[2J\x1b[3J\x1b[H");
    },
  };
}

export function defaultPrompter(): Prompter {
  return process.stdin.isTTY && process.stdout.isTTY ? terminalPrompter() : nonInteractivePrompter;
}

export interface InputSpec<T> {
  /** Value from the flag or env var, if any. */
  value: string | undefined;
  flag: string;
  envVar?: string;
  prompt: string;
  default?: string;
  hidden?: boolean;
  /** Parses and validates; throws a UserInputError with the fix in it. */
  parse: (text: string) => T;
}

/**
 * Resolves one input: a given flag/env value is parsed once (bad input fails the command); a
 * missing one is prompted for when a terminal is attached, asking again until it parses, and
 * fails with a clear "missing --flag" otherwise.
 */
export async function resolveInput<T>(prompter: Prompter, spec: InputSpec<T>, output: Output): Promise<T> {
  if (spec.value !== undefined) return spec.parse(spec.value);
  if (!prompter.interactive) {
    if (spec.default !== undefined) return spec.parse(spec.default);
    throw new MissingInputError(spec.flag, spec.envVar);
  }
  for (;;) {
    const askOptions: AskOptions = {};
    if (spec.default !== undefined) askOptions.default = spec.default;
    if (spec.hidden) askOptions.hidden = true;
    const answer = await prompter.ask(spec.prompt, askOptions);
    try {
      return spec.parse(answer);
    } catch (error) {
      output.line(`Error: ${(error as Error).message}`);
    }
  }
}
