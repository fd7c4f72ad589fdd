import { createInterface } from "node:readline/promises";
import { Writable } from "node:stream";
import { isAbortError } from "./aborted.ts";
import { InterruptedError, MissingInputError, UserInputError } from "./errors.ts";
import { sanitizeText } from "./sanitize.ts";
import { parseValue, type ValueParser } from "./values.ts";

/** Where a command writes what the user reads. Injected so tests can capture it. */
export interface Output {
  line(text?: string): void;
  /** Raw text without a newline (progress bars, prompts). */
  write(text: string): void;
  /**
   * A line on stderr, beside the command's output: what the command found on its way (a note,
   * never an error), so that stdout stays the output scripts read. Absent: the note is dropped.
   */
  note?(text: string): void;
  readonly isTTY: boolean;
}

export function processOutput(): Output {
  return {
    line: (text = "") => process.stdout.write(`${text}\n`),
    write: (text) => process.stdout.write(text),
    note: (text) => process.stderr.write(`${text}\n`),
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

/**
 * Prompts on the controlling terminal with the click-style "Message [default]: " layout.
 * Ctrl-C (or Ctrl-D, or `signal` firing: SIGINT/SIGTERM from elsewhere) at a prompt is an
 * {@link InterruptedError}: the command stops there, and the CLI says so in one line.
 */
export function terminalPrompter(signal?: AbortSignal): Prompter {
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
        const answer = rl.question(`${message}${suffix}: `, signal ? { signal } : {});
        muted = options.hidden === true;
        const text = (await answer).trim();
        if (options.hidden) process.stdout.write("\n");
        return text === "" && options.default !== undefined ? options.default : text;
      } catch (error) {
        // readline ends the question with an AbortError on Ctrl-C / Ctrl-D (it closes itself) and
        // when the signal fires. The next line ("Interrupted: …") starts on a line of its own.
        if (!isAbortError(error)) throw error;
        process.stdout.write("\n");
        throw new InterruptedError();
      } finally {
        rl.close();
      }
    },
    async pause(message) {
      if (signal?.aborted) throw new InterruptedError();
      const stdin = process.stdin;
      const wasRaw = stdin.isRaw;
      // Raw before the message shows: a key pressed as soon as it shows is a byte, never a SIGINT.
      stdin.setRawMode(true);
      process.stdout.write(`${message}\n`);
      stdin.resume();
      let onKey = (_key: Buffer) => {};
      const onAbort = () => onKey(Buffer.of(0x03));
      try {
        const key = await new Promise<Buffer>((resolve) => {
          onKey = resolve;
          stdin.once("data", onKey);
          signal?.addEventListener("abort", onAbort, { once: true });
        });
        // Raw mode turns Ctrl-C into a byte instead of SIGINT.
        if (key[0] === 0x03) throw new InterruptedError();
      } finally {
        stdin.off("data", onKey);
        signal?.removeEventListener("abort", onAbort);
        stdin.setRawMode(wasRaw);
        stdin.pause();
      }
    },
    clearScreen() {
      process.stdout.write("\x1b[2J\x1b[3J\x1b[H");
    },
  };
}

/** The terminal prompter when stdin and stdout are a terminal; else no prompts at all. */
export function defaultPrompter(signal?: AbortSignal): Prompter {
  return process.stdin.isTTY && process.stdout.isTTY ? terminalPrompter(signal) : nonInteractivePrompter;
}

export interface InputSpec<T> {
  /** The value of the flag or env var, parsed by commander (see commands/options.ts), if given. */
  value: T | undefined;
  flag: string;
  envVar?: string;
  prompt: string;
  /** The answer an empty line (or no terminal) stands for. */
  default?: string;
  hidden?: boolean;
  /** Parses an answer (lib/values.ts); an InvalidValueError is shown and the question asked again. */
  parse: ValueParser<T>;
}

/**
 * Resolves one input: a given flag/env value is taken as it is (commander parsed it); a missing
 * one is prompted for when a terminal is attached, asking again until it parses, and fails with a
 * clear "missing --flag" otherwise (or takes the default).
 */
export async function resolveInput<T>(prompter: Prompter, spec: InputSpec<T>, output: Output): Promise<T> {
  const origin = { flag: spec.flag, ...(spec.hidden ? { secret: true } : {}) };
  if (spec.value !== undefined) return spec.value;
  if (!prompter.interactive) {
    if (spec.default !== undefined) return parseValue(spec.parse, spec.default, origin);
    throw new MissingInputError(spec.flag, spec.envVar);
  }
  for (;;) {
    const askOptions: AskOptions = {};
    if (spec.default !== undefined) askOptions.default = spec.default;
    if (spec.hidden) askOptions.hidden = true;
    const answer = await prompter.ask(spec.prompt, askOptions);
    try {
      return parseValue(spec.parse, answer, origin);
    } catch (error) {
      if (!(error instanceof UserInputError)) throw error;
      output.line(`Error: ${sanitizeText(error.message)}`);
    }
  }
}
