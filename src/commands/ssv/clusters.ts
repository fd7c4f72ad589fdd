import { formatEther } from "viem";
import { clusterKey } from "../../ssv/cluster.ts";
import { burnRate, clusterUnits, liquidationReserve } from "../../ssv/fees.ts";
import { eraToken } from "../../ssv/registration/plan.ts";
import { blocksPerDayOf } from "../../ssv/registration/prepare.ts";
import { liquidationRisk, runwayDays } from "../../ssv/runway.ts";
import type { CommandContext } from "../context.ts";
import type { SsvEnvironmentOptionValues } from "./environment-options.ts";
import { openSsvSession } from "./session.ts";

export interface ClustersOptions extends SsvEnvironmentOptionValues {
  minRunwayDays: number;
  json: boolean;
  verbose?: boolean;
}

/** `operator ssv clusters`: every cluster of the owner with its balance, burn, runway and risk. */
export async function runSsvClusters(options: ClustersOptions, ctx: CommandContext): Promise<void> {
  const { env, reading } = await openSsvSession(ctx, options, { mode: "read" });
  try {
    const { state, params, candidates, reader } = reading;
    const fees = new Map(candidates.map((c) => [c.id, c.fee]));
    const blocksPerDay = blocksPerDayOf(env.network.secondsPerSlot);
    const rows = state.clusters().map((cluster) => {
      const key = clusterKey(cluster.operatorIds);
      const validators = cluster.validators.size;
      const units = clusterUnits(validators, cluster.effectiveBalance);
      const balance = cluster.liquidated ? 0n : (reading.balances.get(key) ?? 0n);
      const burn = burnRate(
        cluster.operatorIds.map((id) => fees.get(id) ?? 0n),
        params.networkFee,
        units,
      );
      const reserve = liquidationReserve(burn, params, units);
      const days = validators === 0 ? undefined : runwayDays(balance, burn, reserve, blocksPerDay);
      const risk = liquidationRisk({
        active: !cluster.liquidated,
        balance,
        burnRate: burn,
        reserve,
        units,
        thresholdDays: options.minRunwayDays,
        blocksPerDay,
      });
      return { key, validators, balance, burn, reserve, days, risk, publicKeys: [...cluster.validators] };
    });
    const token = eraToken(reader.era);
    if (options.json) {
      const json = {
        owner: env.owner,
        era: reader.era,
        nonce: state.nonce,
        clusters: rows.map((r) => ({
          operatorIds: r.key.split(","),
          validators: r.validators,
          publicKeys: r.publicKeys,
          balance: formatEther(r.balance),
          burnRatePerBlock: r.burn.toString(),
          liquidationReserve: formatEther(r.reserve),
          runwayDays: r.days === undefined ? null : Math.floor(r.days * 100) / 100,
          liquidationRisk: r.risk,
        })),
      };
      ctx.output.line(JSON.stringify(json, null, 2));
      return;
    }
    if (rows.length === 0) {
      ctx.output.line(`The owner ${env.owner} has no SSV clusters (${reader.era} era).`);
      return;
    }
    ctx.output.line(
      `SSV clusters of ${env.owner} (${reader.era} era, amounts in ${token}, owner nonce ${state.nonce}):`,
    );
    for (const r of rows) {
      const runway = r.days === undefined ? "-" : `${r.days.toFixed(1)} days`;
      ctx.output.line(
        `  cluster ${r.key}: ${r.validators} validators, balance ${formatEther(r.balance)} ${token}, burn ${r.burn} per block, runway ${runway}, risk ${r.risk}`,
      );
    }
  } finally {
    await env.close();
  }
}
