import type { FastifyInstance } from "fastify";
import { toPrefixedHex } from "../../lib/hex.ts";
import type { ApiContext } from "./api-context.ts";
import { resolveSlotId } from "./ids.ts";

/**
 * The Electra state's queues: /eth/v1/beacon/states/{state_id}/pending_deposits,
 * /pending_partial_withdrawals and /pending_consolidations, numbers as decimal strings.
 */
export function registerPendingRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const { state } = ctx;
  const slotOf = (params: unknown) =>
    resolveSlotId((params as { state_id: string }).state_id, "state", state.namedSlots());
  const envelope = (slot: number, data: unknown[]) => ({
    version: "electra",
    execution_optimistic: false,
    finalized: state.isFinalized(slot),
    data,
  });

  app.get(
    "/eth/v1/beacon/states/:state_id/pending_deposits",
    { config: { kind: "states" } },
    async (request) => {
      const slot = slotOf(request.params);
      return envelope(
        slot,
        state.pendingDepositsAt(slot).map((d) => ({
          pubkey: toPrefixedHex(d.pubkey),
          withdrawal_credentials: toPrefixedHex(d.withdrawalCredentials),
          amount: String(d.amountGwei),
          signature: toPrefixedHex(d.signature),
          slot: String(d.slot),
        })),
      );
    },
  );

  app.get(
    "/eth/v1/beacon/states/:state_id/pending_partial_withdrawals",
    { config: { kind: "states" } },
    async (request) => {
      const slot = slotOf(request.params);
      return envelope(
        slot,
        state.pendingPartialWithdrawalsAt(slot).map((w) => ({
          validator_index: String(w.validatorIndex),
          amount: String(w.amountGwei),
          withdrawable_epoch: String(w.withdrawableEpoch),
        })),
      );
    },
  );

  app.get(
    "/eth/v1/beacon/states/:state_id/pending_consolidations",
    { config: { kind: "states" } },
    async (request) => {
      const slot = slotOf(request.params);
      return envelope(
        slot,
        state.pendingConsolidationsAt(slot).map((c) => ({
          source_index: String(c.sourceIndex),
          target_index: String(c.targetIndex),
        })),
      );
    },
  );
}
