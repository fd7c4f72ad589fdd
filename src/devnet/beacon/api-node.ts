import type { FastifyInstance } from "fastify";
import type { ApiContext } from "./api-context.ts";
import { BeaconApiError } from "./errors.ts";

/** /eth/v1/node/{syncing,health,version}, /eth/v1/beacon/genesis and /eth/v1/config/{spec,deposit_contract}. */
export function registerNodeRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const { state } = ctx;
  const { network } = state;
  const syncing = () => ctx.faults.get("node") === "syncing";

  app.get("/eth/v1/node/syncing", { config: { kind: "node" } }, async () => {
    const slot = state.currentSlot();
    const distance = syncing() ? Math.max(1, Math.min(slot, network.slotsPerEpoch)) : 0;
    return {
      data: {
        head_slot: String(Math.max(0, slot - distance)),
        sync_distance: String(distance),
        is_syncing: syncing(),
        is_optimistic: false,
        el_offline: state.elOffline,
      },
    };
  });

  app.get("/eth/v1/node/health", { config: { kind: "node" } }, async (request, reply) => {
    const { syncing_status: custom } = request.query as { syncing_status?: string };
    let syncingCode = 206;
    if (custom !== undefined) {
      syncingCode = Number(custom);
      if (!/^\d+$/.test(custom) || syncingCode < 100 || syncingCode > 599) {
        throw new BeaconApiError(400, `Invalid syncing status code: ${custom}`);
      }
    }
    return reply.code(syncing() ? syncingCode : 200).send();
  });

  app.get("/eth/v1/node/version", { config: { kind: "node" } }, async () => ({
    data: { version: ctx.version },
  }));

  app.get("/eth/v1/beacon/genesis", { config: { kind: "genesis" } }, async () => ({
    data: {
      genesis_time: String(state.genesisTime),
      genesis_validators_root: network.genesisValidatorsRoot.toLowerCase(),
      genesis_fork_version: network.genesisForkVersion.toLowerCase(),
    },
  }));

  app.get("/eth/v1/config/deposit_contract", { config: { kind: "config" } }, async () => ({
    data: { chain_id: String(network.chainId), address: network.depositContract.address.toLowerCase() },
  }));

  app.get("/eth/v1/config/spec", { config: { kind: "config" } }, async () => {
    const p = state.parameters;
    return {
      data: {
        SLOTS_PER_EPOCH: String(network.slotsPerEpoch),
        SECONDS_PER_SLOT: String(network.secondsPerSlot),
        GENESIS_FORK_VERSION: network.genesisForkVersion.toLowerCase(),
        CAPELLA_FORK_VERSION: network.capellaForkVersion.toLowerCase(),
        CAPELLA_FORK_EPOCH: String(network.capellaEpoch),
        DEPOSIT_CONTRACT_ADDRESS: network.depositContract.address.toLowerCase(),
        DEPOSIT_CHAIN_ID: String(network.chainId),
        DEPOSIT_NETWORK_ID: String(network.chainId),
        SHARD_COMMITTEE_PERIOD: String(p.shardCommitteePeriodEpochs),
        MIN_VALIDATOR_WITHDRAWABILITY_DELAY: String(p.withdrawabilityDelayEpochs),
        MAX_EFFECTIVE_BALANCE: String(p.maxEffectiveBalanceGwei),
        MIN_ACTIVATION_BALANCE: String(p.maxEffectiveBalanceGwei),
        MAX_EFFECTIVE_BALANCE_ELECTRA: String(p.maxEffectiveBalanceCompoundingGwei),
        ETH1_FOLLOW_DISTANCE: String(p.followDistanceBlocks),
        MIN_GENESIS_TIME: String(state.genesisTime),
        GENESIS_DELAY: "0",
        DOMAIN_DEPOSIT: "0x03000000",
        DOMAIN_VOLUNTARY_EXIT: "0x04000000",
        FAR_FUTURE_EPOCH: "18446744073709551615",
      },
    };
  });
}
