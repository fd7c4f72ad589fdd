import { createLogger } from "../../lib/logger.ts";
import { runSsvManager } from "../../ssv/manager/service.ts";
import type { SelectionOptions } from "../../ssv/selection.ts";
import type { CommandContext } from "../context.ts";
import type { ServiceOutputOptionValues } from "../service-options.ts";
import type { SsvEnvironmentOptionValues } from "../ssv/environment-options.ts";
import { ssvEnvironmentSettings } from "../ssv/environment-settings.ts";
import { perBlockFee, type SsvRegisterOptionValues } from "../ssv/register-options.ts";
import { type ManagerOptionValues, managerSettings } from "./manager-options.ts";

export type SsvManagerOptionValues = SsvEnvironmentOptionValues &
  SsvRegisterOptionValues &
  ManagerOptionValues &
  ServiceOutputOptionValues;

/** `operator ssv-manager`: settings parsed and checked once, then the service until the signal aborts. */
export async function runSsvManagerCommand(
  options: SsvManagerOptionValues,
  ctx: CommandContext,
): Promise<void> {
  const dryRun = options.dryRun ?? false;
  const environment = await ssvEnvironmentSettings(ctx, options, dryRun ? "read" : "send");
  const { network } = environment;
  const manager = managerSettings(options, {
    epochSeconds: network.secondsPerSlot * network.slotsPerEpoch,
    runwayDays: options.runwayDays,
  });
  const selection: SelectionOptions = {
    clusterSize: options.clusterSize,
    ...(options.maxOperatorFee !== undefined
      ? { maxFee: perBlockFee(options.maxOperatorFee, network.secondsPerSlot) }
      : {}),
    ...(options.minPerformance !== undefined ? { minPerformance30d: options.minPerformance } : {}),
    ...(options.operatorIds ? { pinned: options.operatorIds } : {}),
    ...(options.excludeOperatorIds ? { excluded: options.excludeOperatorIds } : {}),
  };
  const log = createLogger({
    level: options.verbose ? "debug" : options.logLevel,
    format: options.logFormat === "json" ? "json" : "text",
    ...(ctx.onOutputError ? { onWriteError: ctx.onOutputError } : {}),
  });
  await runSsvManager(
    {
      environment,
      intervalSeconds: manager.intervalSeconds,
      dryRun: manager.dryRun,
      decide: manager.decide,
      runwayDays: options.runwayDays,
      prepareKeys: options.prepareKeys,
      selection,
      ...(options.enableMetrics ? { metrics: { host: options.metricsHost, port: options.metricsPort } } : {}),
    },
    { log, signal: ctx.signal, print: (line) => ctx.output.line(line) },
  );
}
