import type { Option } from "commander";
import { resolveInput } from "../lib/terminal.ts";
import { httpUrlList, type ValueParser } from "../lib/values.ts";
import type { CommandContext } from "./context.ts";
import { valueOption } from "./options.ts";

export type EndpointsKind = "execution" | "consensus";

const EXAMPLES: Record<EndpointsKind, string> = {
  execution: "http://localhost:8545",
  consensus: "http://localhost:5052",
};

/** A comma-separated list of http(s) endpoint URLs (a ValueParser). */
export function endpointsValue(kind: EndpointsKind): ValueParser<string[]> {
  return httpUrlList(EXAMPLES[kind]);
}

/** --execution-endpoints / --consensus-endpoints with their env vars (the seeds' wording). */
export const endpointsOption = (
  kind: EndpointsKind,
  description = `Comma separated list of API endpoints for ${kind} nodes.`,
): Option =>
  valueOption(`--${kind}-endpoints <urls>`, description, endpointsValue(kind)).env(
    `${kind.toUpperCase()}_ENDPOINTS`,
  );

/** --execution-endpoints / --consensus-endpoints, prompted for on a terminal (the seeds' wording). */
export function askEndpoints(
  ctx: CommandContext,
  value: string[] | undefined,
  kind: EndpointsKind,
  prompt = `Enter the comma separated list of API endpoints for ${kind} nodes`,
): Promise<string[]> {
  return resolveInput(
    ctx.prompter,
    {
      value,
      flag: `--${kind}-endpoints`,
      envVar: `${kind.toUpperCase()}_ENDPOINTS`,
      prompt,
      parse: endpointsValue(kind),
    },
    ctx.output,
  );
}
