import { parseEndpointList } from "../chain/endpoints.ts";
import { resolveInput } from "../lib/terminal.ts";
import type { CommandContext } from "./context.ts";

export type EndpointsKind = "execution" | "consensus";

/** Splits a comma-separated endpoint list and checks each is an http(s) URL. */
export function parseEndpoints(text: string, kind: EndpointsKind): string[] {
  return parseEndpointList(text, kind);
}

/** --execution-endpoints / --consensus-endpoints, prompted for on a terminal (the seeds' wording). */
export function askEndpoints(
  ctx: CommandContext,
  value: string | undefined,
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
      parse: (text) => parseEndpoints(text, kind),
    },
    ctx.output,
  );
}
