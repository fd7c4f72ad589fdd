import type { FastifyInstance } from "fastify";
import { parseHex } from "../../lib/hex.ts";
import type { ApiContext } from "./api-context.ts";
import { BeaconApiError } from "./errors.ts";
import type { SignedVoluntaryExit } from "./exit-pool.ts";
import { exitJson } from "./json.ts";

const UINT64_MAX = 2n ** 64n - 1n;

/** GET and POST /eth/v1/beacon/pool/voluntary_exits. */
export function registerPoolRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get("/eth/v1/beacon/pool/voluntary_exits", { config: { kind: "pool" } }, async () => ({
    data: ctx.state.poolVoluntaryExits().map(exitJson),
  }));

  app.post("/eth/v1/beacon/pool/voluntary_exits", { config: { kind: "pool" } }, async (request, reply) => {
    ctx.state.submitVoluntaryExit(parseSignedExit(request.body));
    return reply.code(200).send();
  });
}

/** A Phase0.SignedVoluntaryExit in Beacon API JSON: uint64s as decimal strings, a 96-byte signature. */
export function parseSignedExit(body: unknown): SignedVoluntaryExit {
  const bad = (reason: string) => new BeaconApiError(400, `Invalid voluntary exit: ${reason}`);
  if (typeof body !== "object" || body === null) throw bad("body must be a SignedVoluntaryExit object");
  const { message, signature } = body as { message?: unknown; signature?: unknown };
  if (typeof message !== "object" || message === null) throw bad("message is missing");
  const { epoch, validator_index: index } = message as { epoch?: unknown; validator_index?: unknown };
  const signatureBytes =
    typeof signature === "string" && signature.startsWith("0x") ? parseHex(signature, 96) : undefined;
  if (!signatureBytes) throw bad("signature must be 0x-prefixed hex of 96 bytes");
  return {
    epoch: uint64(epoch, "message.epoch"),
    validatorIndex: uint64(index, "message.validator_index"),
    signature: signatureBytes,
  };

  function uint64(value: unknown, field: string): bigint {
    if (typeof value !== "string" || !/^\d{1,20}$/.test(value) || BigInt(value) > UINT64_MAX) {
      throw bad(`${field} must be a uint64 as a decimal string`);
    }
    return BigInt(value);
  }
}
