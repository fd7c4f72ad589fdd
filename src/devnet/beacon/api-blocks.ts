import type { FastifyInstance } from "fastify";
import type { ApiContext } from "./api-context.ts";
import { resolveSlotId } from "./ids.ts";
import { blockJson } from "./json.ts";

/**
 * GET /eth/v2/beacon/blocks/{block_id}: head, genesis, finalized, justified, a slot or a block
 * root. Every slot has a block. `finalized` is the block at the first slot of the finalized
 * checkpoint's epoch (current epoch − finalityDelayEpochs, default 2); its execution payload is
 * the latest execution block the simulator had followed by that slot, so the finalized execution
 * block trails the head by about two epochs of wall time, whatever the execution timestamps say.
 */
export function registerBlockRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get("/eth/v2/beacon/blocks/:block_id", { config: { kind: "blocks" } }, async (request, reply) => {
    const { block_id: id } = request.params as { block_id: string };
    const block = blockJson(ctx.state, resolveSlotId(id, "block", ctx.state.namedSlots()));
    return reply.header("eth-consensus-version", block.version).send(block);
  });
}
