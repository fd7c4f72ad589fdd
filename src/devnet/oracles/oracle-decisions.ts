import type { FastifyReply } from "fastify";
import { OracleRejection } from "./checks.ts";

/**
 * How an oracle double answers and logs: a handler's value is the 200 answer, an OracleRejection
 * a 400 with its reason, anything else a 500; each outcome goes to the decision log.
 */

/** What a handler wants logged with its approval; a symbol, so JSON never carries it. */
export const LOG_DETAILS = Symbol("log details");

export interface DecisionLog {
  approved(details: Record<string, unknown>): void;
  rejected(reason: string): void;
  failed(error: unknown): void;
}

/** Runs a handler: its value is the 200 answer, an OracleRejection a 400, anything else a 500; each logged. */
export async function decide(
  reply: FastifyReply,
  work: () => Promise<unknown>,
  log: DecisionLog,
): Promise<unknown> {
  try {
    const result = await work();
    const details = (result as { [LOG_DETAILS]?: Record<string, unknown> })[LOG_DETAILS] ?? {};
    log.approved(details);
    return result;
  } catch (error) {
    if (error instanceof OracleRejection) {
      log.rejected(error.message);
      return reply.code(400).send({ error: error.message });
    }
    log.failed(error);
    return reply.code(500).send({ error: (error as Error).message });
  }
}

export function describeIssue(issue: { path: PropertyKey[]; message: string } | undefined): string {
  return issue ? `field "${issue.path.map(String).join(".")}" ${issue.message}` : "malformed body";
}
