import type { Command } from "commander";
import { InvalidValueError, positiveNumber, type ValueParser, wholeNumber } from "../../lib/values.ts";
import { etherToWei } from "../../lib/wei.ts";
import { valueOption } from "../options.ts";

/** The registration options `ssv register` and `ssv-manager` share, as commander parses them. */
export interface SsvRegisterOptionValues {
  runwayDays: number;
  clusterSize: number;
  operatorIds?: bigint[];
  excludeOperatorIds?: bigint[];
  /** Per operator, in wei (SSV or ETH by era) per year; converted to per block by the caller. */
  maxOperatorFee?: bigint;
  /** Percent, 0-100, of the 30-day performance. */
  minPerformance?: number;
  prepareKeys: number;
}

export const DEFAULT_RUNWAY_DAYS = 90;
/** Unused vault keys `ssv register` and `ssv-manager` put on SSV ahead of their deposit. */
export const DEFAULT_PREPARE_KEYS = 2;
export const SSV_CLUSTER_SIZES = [4, 7, 10, 13] as const;

/** 4, 7, 10 or 13 (3f + 1 operators), a ValueParser. */
export const clusterSizeValue: ValueParser<number> = (text) => {
  const size = Number(text.trim());
  if (!(SSV_CLUSTER_SIZES as readonly number[]).includes(size) || !/^\d+$/.test(text.trim())) {
    throw new InvalidValueError(
      "is not an SSV cluster size: use 4, 7, 10 or 13 (3f + 1 operators for f faulty ones)",
    );
  }
  return size;
};

/** Comma-separated positive operator ids (uint64), each once, a ValueParser. */
export const operatorIdsValue: ValueParser<bigint[]> = (text) => {
  const parts = text
    .split(",")
    .map((p) => p.trim())
    .filter((p) => p !== "");
  if (parts.length === 0) throw new InvalidValueError("is empty: list operator ids, e.g. 1,2,3,4");
  const ids = parts.map((part) => {
    const id = /^\d+$/.test(part) ? BigInt(part) : 0n;
    if (id < 1n || id >= 2n ** 64n) {
      throw new InvalidValueError(
        `holds "${part.slice(0, 20)}", not an operator id: use positive whole numbers`,
      );
    }
    return id;
  });
  if (new Set(ids).size !== ids.length) throw new InvalidValueError("lists an operator id twice");
  return ids;
};

/** An amount in ETH or SSV ("1.5"), returned in wei, a ValueParser. */
export const tokenAmountValue: ValueParser<bigint> = (text) => {
  const trimmed = text.trim();
  if (!/^\d+(\.\d{1,18})?$/.test(trimmed)) {
    throw new InvalidValueError("is not an amount: use a decimal number of SSV or ETH, e.g. 2.5");
  }
  return etherToWei(trimmed);
};

/** Adds the shared registration options (with env vars) to `ssv register` or `ssv-manager`. */
export function addSsvRegisterOptions(command: Command): Command {
  return command
    .addOption(
      valueOption(
        "--runway-days <days>",
        "Fund each cluster for this many days of operator and network fees (plus the liquidation reserve).",
        positiveNumber("a runway", "a positive number of days, e.g. 90"),
      )
        .env("SSV_RUNWAY_DAYS")
        .default(DEFAULT_RUNWAY_DAYS, String(DEFAULT_RUNWAY_DAYS)),
    )
    .addOption(
      valueOption("--cluster-size <n>", "Operators per new cluster: 4, 7, 10 or 13.", clusterSizeValue)
        .env("SSV_CLUSTER_SIZE")
        .default(4, "4"),
    )
    .addOption(
      valueOption(
        "--operator-ids <ids>",
        "Operators that must be in the cluster (comma-separated ids).",
        operatorIdsValue,
      ).env("SSV_OPERATOR_IDS"),
    )
    .addOption(
      valueOption(
        "--exclude-operator-ids <ids>",
        "Operators never chosen (comma-separated ids).",
        operatorIdsValue,
      ).env("SSV_EXCLUDE_OPERATOR_IDS"),
    )
    .addOption(
      valueOption(
        "--max-operator-fee <amount>",
        "Highest fee per operator per year, in SSV (SSV-token era) or ETH (ETH-fee era).",
        tokenAmountValue,
      ).env("SSV_MAX_OPERATOR_FEE"),
    )
    .addOption(
      valueOption(
        "--min-performance <percent>",
        "Lowest 30-day performance (SSV API) of a chosen operator, 0-100.",
        wholeNumber("a performance", 0, 100),
      ).env("SSV_MIN_PERFORMANCE"),
    )
    .addOption(
      valueOption(
        "--prepare-keys <n>",
        "Unused vault keys registered on SSV ahead of their deposit, so they attest from activation.",
        wholeNumber("a number of keys", 0, 1000),
      )
        .env("SSV_PREPARE_KEYS")
        .default(DEFAULT_PREPARE_KEYS, String(DEFAULT_PREPARE_KEYS)),
    );
}

/** Blocks in a year of 365 days at `secondsPerSlot` (fees are per block; --max-operator-fee is per year). */
export function perBlockFee(perYearWei: bigint, secondsPerSlot: number): bigint {
  const blocksPerYear = BigInt(Math.round((365 * 24 * 3600) / secondsPerSlot));
  return perYearWei / blocksPerYear;
}
