import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";

/** A CLI command the demo runs as its own process, its output shown as it comes. */
export interface ChildCommand {
  child: ChildProcess;
  /** Every line it printed so far (stdout and stderr, in arrival order). */
  readonly lines: readonly string[];
  /** Resolves with the exit code (null when killed by a signal). */
  readonly exited: Promise<number | null>;
  /**
   * Ends it: a Ctrl-C in a terminal reached it too (one process group), so it gets a few seconds
   * to end on its own; then a SIGTERM, its first signal when ours came from elsewhere. Idempotent.
   */
  stop(): Promise<number | null>;
}

/** How long a child may take to stop on the terminal's own Ctrl-C before it is sent SIGTERM. */
const GRACE_MS = 3_000;

export interface RunChildOptions {
  /** The program and its leading arguments (e.g. node and the CLI's entry script). */
  command: readonly string[];
  args: readonly string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Receives each line as it arrives. */
  onLine(line: string): void;
  /** Aborting stops the child (see `stop`). */
  signal: AbortSignal;
  /** How long `stop` waits before SIGTERM (default 3 s). */
  graceMs?: number;
}

/** Starts `command args` with piped output, handing over each line; stopped when `signal` aborts. */
export function runChild(options: RunChildOptions): ChildCommand {
  const [program, ...leading] = options.command;
  if (!program) throw new Error("runChild needs a program");
  const child = spawn(program, [...leading, ...options.args], {
    env: options.env,
    cwd: options.cwd,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: string[] = [];
  const take = (line: string) => {
    lines.push(line);
    options.onLine(line);
  };
  const readers = [child.stdout, child.stderr].map((stream) => {
    if (!stream) return Promise.resolve();
    const reader = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
    reader.on("line", take);
    return new Promise<void>((resolve) => reader.once("close", resolve));
  });
  const exited = new Promise<number | null>((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code) => resolve(code));
  }).then(async (code) => {
    await Promise.all(readers);
    return code;
  });
  // Once: a second SIGTERM would be a second signal, which forces the child to exit at once.
  let stopping: Promise<number | null> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const grace = new Promise<"late">((resolve) => {
        timer = setTimeout(() => resolve("late"), options.graceMs ?? GRACE_MS);
      });
      const first = await Promise.race([exited, grace]);
      clearTimeout(timer);
      if (first !== "late") return first;
      child.kill("SIGTERM");
      return exited;
    })();
    return stopping;
  };
  const onAbort = () => void stop();
  options.signal.addEventListener("abort", onAbort, { once: true });
  void exited.finally(() => options.signal.removeEventListener("abort", onAbort)).catch(() => {});
  return { child, lines, exited, stop };
}
