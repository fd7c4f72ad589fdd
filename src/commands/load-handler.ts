import { InterruptedError } from "../lib/errors.ts";
import type { CommandContext } from "./context.ts";

/**
 * A command's handler module, loaded when the command runs: command.ts files import only what
 * defines their options, so `--help`, `--version` and a usage error load none of the handlers
 * (nor viem, the BLS library, fastify or postgres). Pass `import("./handler.ts")` with a literal
 * path: the architecture test follows it.
 *
 * A SIGINT/SIGTERM that came while the module loaded stops the command before it starts, as one
 * during the CLI's own start does (src/bin/operator.ts): an interruption, nothing was changed.
 */
export async function loadHandler<M>(module: Promise<M>, ctx: CommandContext): Promise<M> {
  const loaded = await module;
  if (ctx.signal.aborted) throw new InterruptedError();
  return loaded;
}

/**
 * {@link loadHandler} for a long-running service (`start`, `devnet`, `ssv-manager`), whose normal
 * end is a stop signal: undefined when one came while the module loaded (the service does not
 * start, and the command ends without an error).
 */
export async function loadServiceHandler<M>(module: Promise<M>, ctx: CommandContext): Promise<M | undefined> {
  const loaded = await module;
  return ctx.signal.aborted ? undefined : loaded;
}
