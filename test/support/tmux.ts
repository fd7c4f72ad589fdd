/**
 * A real terminal for the tests: a private tmux server (its own socket, no user config) whose
 * panes run the CLI the way a person meets it, driven with send-keys and read with capture-pane.
 */
import { execFile, execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { rm } from "node:fs/promises";
import { setTimeout as delay } from "node:timers/promises";
import { promisify } from "node:util";
import { OPERATOR_ENTRY } from "./cli.ts";
import { operatorChildEnv } from "./operator-env.ts";

const run = promisify(execFile);

/** Why the tmux tests cannot run here, or false when they can. */
export const TMUX_MISSING: string | false = (() => {
  try {
    execFileSync("tmux", ["-V"], { stdio: "ignore" });
    return false;
  } catch {
    return "tmux is not installed (the terminal prompt tests need it)";
  }
})();

/** One pane running one command line. */
export interface Pane {
  /** The visible screen, wrapped lines joined. */
  screen(): Promise<string>;
  /** Polls the screen until `pattern` shows; returns the screen. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Key names as tmux knows them: "Enter", "C-c", "Space". */
  keys(...keys: string[]): Promise<void>;
  /** Types `text` literally. */
  type(text: string): Promise<void>;
}

export interface TmuxServer {
  /** A new pane (its own session) running `commandLine` in a shell. */
  open(commandLine: string): Promise<Pane>;
  kill(): Promise<void>;
}

/** Quotes words for a POSIX shell command line. */
export function shellQuote(words: readonly string[]): string {
  return words.map((word) => `'${word.replaceAll("'", `'\\''`)}'`).join(" ");
}

/**
 * The CLI with `args` (env vars in `env` before it), then `EXIT=<code>` and a pause, so the pane
 * stays on screen after the CLI ends. The shell outlives a Ctrl-C the way an interactive one
 * does (`trap : INT`; a plain `sh -c` would die of the SIGINT the terminal sends its whole process
 * group); the CLI gets the default disposition back, as an exec'd program does.
 */
export function operatorCommandLine(args: readonly string[], env: Record<string, string> = {}): string {
  const assignments = Object.entries(env).map(([name, value]) => `${name}=${shellQuote([value])} `);
  return `trap : INT; ${assignments.join("")}${shellQuote([process.execPath, OPERATOR_ENTRY, ...args])}; echo "EXIT=$?"; exec sleep 600`;
}

/**
 * Starts a tmux server on a socket of its own. Panes get the test children's env (no operator
 * env vars of the developer's shell) plus `env`, are 200 × 50, and run the commands through sh.
 */
export async function startTmuxServer(env: Record<string, string> = {}): Promise<TmuxServer> {
  const socket = `vault-operator-test-${process.pid}-${randomBytes(4).toString("hex")}`;
  const childEnv = operatorChildEnv(env);
  delete childEnv.TMUX;
  const tmux = async (...args: string[]) =>
    (await run("tmux", ["-L", socket, "-f", "/dev/null", ...args], { env: childEnv })).stdout;
  let panes = 0;
  return {
    async open(commandLine) {
      const target = `pane${panes++}`;
      await tmux(
        "new-session",
        "-d",
        "-s",
        target,
        "-x",
        "200",
        "-y",
        "50",
        `exec sh -c ${shellQuote([commandLine])}`,
      );
      const screen = () => tmux("capture-pane", "-p", "-J", "-t", target);
      return {
        screen,
        async waitFor(pattern, timeoutMs = 20_000) {
          const deadline = Date.now() + timeoutMs;
          for (;;) {
            const text = await screen();
            if (pattern.test(text)) return text;
            if (Date.now() > deadline) {
              throw new Error(`timed out after ${timeoutMs} ms waiting for ${pattern}; the screen:\n${text}`);
            }
            await delay(50);
          }
        },
        keys: async (...keys) => {
          await tmux("send-keys", "-t", target, ...keys);
        },
        type: async (text) => {
          await tmux("send-keys", "-t", target, "-l", text);
        },
      };
    },
    async kill() {
      const path = (await tmux("display-message", "-p", "#{socket_path}").catch(() => "")).trim();
      await tmux("kill-server").catch(() => {});
      // The server leaves its socket (and lock) file behind.
      if (path !== "") await Promise.all([rm(path, { force: true }), rm(`${path}.lock`, { force: true })]);
    },
  };
}
