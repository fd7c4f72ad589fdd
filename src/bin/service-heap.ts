/** V8 flags of the `start` service: small semi-spaces (a service allocates little, slowly). */
export const SERVICE_NODE_FLAGS: readonly string[] = ["--max-semi-space-size=4"];

/** Long-running commands: they run until a signal, which is their normal end. */
export const SERVICE_COMMANDS: ReadonlySet<string> = new Set(["start", "devnet"]);

export interface ReexecInput {
  argv: readonly string[];
  execArgv: readonly string[];
  flags: readonly string[];
  env: Record<string, string | undefined>;
}

/**
 * The argv to re-execute this process with for a service command, or undefined when it needs
 * none: another command, flags already given (also the state after the re-exec), or
 * OPERATOR_NODE_FLAGS=keep.
 */
export function serviceReexecArgs(input: ReexecInput): string[] | undefined {
  const command = input.argv[2];
  if (command !== "start") return undefined;
  if (input.env.OPERATOR_NODE_FLAGS === "keep") return undefined;
  const given = new Set(input.execArgv.map((flag) => flag.split("=")[0]));
  const missing = input.flags.filter((flag) => !given.has(flag.split("=")[0]));
  if (missing.length === 0) return undefined;
  const [node, ...rest] = input.argv;
  return [node ?? "node", ...missing, ...input.execArgv, ...rest];
}
