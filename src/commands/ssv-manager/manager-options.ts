import type { Command } from "commander";
import { UserInputError } from "../../lib/errors.ts";
import { positiveNumber, wholeNumber } from "../../lib/values.ts";
import type { DecideSettings } from "../../ssv/manager/decide-round.ts";
import { addBooleanFlag, valueOption } from "../options.ts";

/** The flags only `operator ssv-manager` has, as commander parses them. */
export interface ManagerOptionValues {
  intervalSeconds?: number;
  minRunwayDays: number;
  operatorGraceHours: number;
  operatorFeeFactor: number;
  reregisterDelayBlocks: number;
  maxMigrationsPerRound: number;
  dryRun?: boolean;
}

export const MANAGER_DEFAULTS = Object.freeze({
  minRunwayDays: 30,
  operatorGraceHours: 24,
  operatorFeeFactor: 2,
  /** Three epochs: SSV nodes need them between a validator's removal and its registration elsewhere. */
  reregisterDelayBlocks: 96,
  maxMigrationsPerRound: 1,
});

/** Adds the manager's own flags (the registration flags it shares with `ssv register` come from there). */
export function addManagerOptions(command: Command): Command {
  command
    .addOption(
      valueOption(
        "--interval-seconds <n>",
        "Seconds between rounds (default: one epoch).",
        wholeNumber("a number of seconds", 1, 86_400),
      ).env("SSV_INTERVAL_SECONDS"),
    )
    .addOption(
      valueOption(
        "--min-runway-days <days>",
        "Top a cluster up (to --runway-days) when its balance lasts fewer days than this.",
        positiveNumber("a number of days", "e.g. 30"),
      )
        .env("SSV_MIN_RUNWAY_DAYS")
        .default(MANAGER_DEFAULTS.minRunwayDays),
    )
    .addOption(
      valueOption(
        "--operator-grace-hours <hours>",
        "Move validators away from an operator inactive for longer than this.",
        positiveNumber("a number of hours", "e.g. 24"),
      )
        .env("SSV_OPERATOR_GRACE_HOURS")
        .default(MANAGER_DEFAULTS.operatorGraceHours),
    )
    .addOption(
      valueOption(
        "--operator-fee-factor <x>",
        "Move validators away from an operator whose fee is above this many times the market's median fee.",
        positiveNumber("a factor", "e.g. 2"),
      )
        .env("SSV_OPERATOR_FEE_FACTOR")
        .default(MANAGER_DEFAULTS.operatorFeeFactor),
    )
    .addOption(
      valueOption(
        "--reregister-delay-blocks <n>",
        "Blocks a validator removed from SSV waits before it is registered in another cluster.",
        wholeNumber("a number of blocks", 0),
      )
        .env("SSV_REREGISTER_DELAY_BLOCKS")
        .default(MANAGER_DEFAULTS.reregisterDelayBlocks),
    )
    .addOption(
      valueOption(
        "--max-migrations-per-round <n>",
        "Clusters whose validators are moved in one round.",
        wholeNumber("a number of clusters", 0, 1000),
      )
        .env("SSV_MAX_MIGRATIONS_PER_ROUND")
        .default(MANAGER_DEFAULTS.maxMigrationsPerRound),
    );
  return addBooleanFlag(
    command,
    "--dry-run",
    "Decide each round and print the actions; send nothing.",
    "SSV_DRY_RUN",
  );
}

export interface ManagerSettings {
  intervalSeconds: number;
  dryRun: boolean;
  decide: Omit<DecideSettings, "marketMedianFee">;
}

/**
 * The manager's settings, checked together: the top-up threshold must be below the runway a
 * top-up buys, or every round would top up again.
 */
export function managerSettings(
  values: ManagerOptionValues,
  context: { epochSeconds: number; runwayDays: number },
): Readonly<ManagerSettings> {
  if (values.minRunwayDays >= context.runwayDays) {
    throw new UserInputError(
      `--min-runway-days ${values.minRunwayDays} must be below --runway-days ${context.runwayDays} (a top-up funds --runway-days): lower it or raise --runway-days`,
    );
  }
  return Object.freeze({
    intervalSeconds: values.intervalSeconds ?? context.epochSeconds,
    dryRun: values.dryRun ?? false,
    decide: Object.freeze({
      minRunwayDays: values.minRunwayDays,
      inactiveGraceMs: values.operatorGraceHours * 3_600_000,
      feeFactor: values.operatorFeeFactor,
      reregisterDelayBlocks: BigInt(values.reregisterDelayBlocks),
      maxMigrationsPerRound: values.maxMigrationsPerRound,
    }),
  });
}
