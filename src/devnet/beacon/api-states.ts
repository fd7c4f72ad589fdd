import type { FastifyInstance } from "fastify";
import type { ApiContext } from "./api-context.ts";
import { BeaconApiError } from "./errors.ts";
import { parseValidatorId, resolveSlotId, type ValidatorId } from "./ids.ts";
import { checkpointJson, validatorJson } from "./json.ts";
import { isStatusFilter } from "./validator-status.ts";

/** Most ids the GET form takes (the spec's maxItems); more is 414, as the spec says. */
const MAX_QUERY_IDS = 64;

/** /eth/v1/beacon/states/{state_id}/{fork,finality_checkpoints,validators,validators/{id}}. */
export function registerStateRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const { state } = ctx;
  const slotOf = (params: unknown) =>
    resolveSlotId((params as { state_id: string }).state_id, "state", state.namedSlots());
  const meta = (slot: number) => ({ execution_optimistic: false, finalized: state.isFinalized(slot) });

  app.get("/eth/v1/beacon/states/:state_id/fork", { config: { kind: "states" } }, async (request) => {
    const slot = slotOf(request.params);
    const { network } = state;
    const capella = state.time.epochAtSlot(slot) >= network.capellaEpoch;
    return {
      ...meta(slot),
      data: {
        previous_version: network.genesisForkVersion.toLowerCase(),
        current_version: (capella ? network.capellaForkVersion : network.genesisForkVersion).toLowerCase(),
        epoch: String(capella ? network.capellaEpoch : 0),
      },
    };
  });

  app.get(
    "/eth/v1/beacon/states/:state_id/finality_checkpoints",
    { config: { kind: "states" } },
    async (request) => {
      const slot = slotOf(request.params);
      const finality = state.finalityAt(slot);
      return {
        ...meta(slot),
        data: {
          previous_justified: checkpointJson(finality.previousJustified),
          current_justified: checkpointJson(finality.currentJustified),
          finalized: checkpointJson(finality.finalized),
        },
      };
    },
  );

  app.get(
    "/eth/v1/beacon/states/:state_id/validators",
    { config: { kind: "validators" } },
    async (request) => {
      const slot = slotOf(request.params);
      const query = request.query as { id?: string | string[]; status?: string | string[] };
      const ids = listOf(query.id);
      if (ids && ids.length > MAX_QUERY_IDS)
        throw new BeaconApiError(414, "Too many validator IDs in request");
      return validatorsResponse(slot, ids, listOf(query.status));
    },
  );

  app.post(
    "/eth/v1/beacon/states/:state_id/validators",
    { config: { kind: "validators" } },
    async (request) => {
      const slot = slotOf(request.params);
      const body = request.body as { ids?: unknown; statuses?: unknown } | null | undefined;
      if (typeof body !== "object" || body === null || Array.isArray(body)) {
        throw new BeaconApiError(400, "Invalid request body: expected an object with ids and/or statuses");
      }
      return validatorsResponse(slot, stringArray(body.ids, "ids"), stringArray(body.statuses, "statuses"));
    },
  );

  app.get(
    "/eth/v1/beacon/states/:state_id/validators/:validator_id",
    { config: { kind: "validators" } },
    async (request) => {
      const slot = slotOf(request.params);
      const id = parseValidatorId((request.params as { validator_id: string }).validator_id);
      const view = state.validatorAt(slot, id);
      if (!view) throw new BeaconApiError(404, "Validator not found");
      return { ...meta(slot), data: validatorJson(view) };
    },
  );

  function validatorsResponse(slot: number, ids: string[] | undefined, statuses: string[] | undefined) {
    const parsedIds: ValidatorId[] | undefined = ids?.map(parseValidatorId);
    for (const status of statuses ?? []) {
      if (!isStatusFilter(status)) throw new BeaconApiError(400, `Invalid validator status: ${status}`);
    }
    const filter = { ...(parsedIds ? { ids: parsedIds } : {}), ...(statuses ? { statuses } : {}) };
    return { ...meta(slot), data: state.validatorsAt(slot, filter).map(validatorJson) };
  }
}

/** A repeatable query parameter whose values may also be comma-separated. */
function listOf(value: string | string[] | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  return (Array.isArray(value) ? value : [value]).flatMap((v) => v.split(",")).map((v) => v.trim());
}

function stringArray(value: unknown, field: string): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || !value.every((v) => typeof v === "string")) {
    throw new BeaconApiError(400, `Invalid request body: ${field} must be an array of strings`);
  }
  return value;
}
