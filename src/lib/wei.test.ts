import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseEther } from "viem";
import { etherToWei } from "./wei.ts";

describe("etherToWei", () => {
  it("gives what viem's parseEther gives for decimal amounts", () => {
    for (const text of ["0", "1", "32", "0.5", "1.000000000000000001", "-0.1", "-0", "123456789.123456789"]) {
      assert.equal(etherToWei(text), parseEther(text), text);
    }
  });

  it("refuses what is not a decimal amount with at most 18 decimals", () => {
    for (const text of ["", "1.", ".5", "1e3", "0.1234567890123456789", " 1"]) {
      assert.throws(() => etherToWei(text), RangeError, text);
    }
  });
});
