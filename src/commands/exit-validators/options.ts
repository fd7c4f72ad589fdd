import { InvalidValueError, type ValueParser } from "../../lib/values.ts";

/** --indexes: comma-separated beacon indexes (a ValueParser). */
export const indexesValue: ValueParser<number[]> = (text) => {
  const parts = text.split(",").map((p) => p.trim());
  if (parts.some((p) => !/^\d+$/.test(p) || !Number.isSafeInteger(Number(p)))) {
    throw new InvalidValueError(
      "is not a list of validator indexes: use comma-separated numbers, e.g. 12,15",
    );
  }
  return parts.map(Number);
};
