import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Command } from "commander";
import { InvalidValueError } from "../../lib/values.ts";
import {
  addSsvRegisterOptions,
  clusterSizeValue,
  operatorIdsValue,
  perBlockFee,
  type SsvRegisterOptionValues,
  tokenAmountValue,
} from "./register-options.ts";

describe("ssv register options", () => {
  it("accepts only 3f + 1 cluster sizes", () => {
    for (const size of [4, 7, 10, 13]) assert.equal(clusterSizeValue(String(size)), size);
    for (const bad of ["5", "1", "16", "4.0", "x"]) {
      assert.throws(
        () => clusterSizeValue(bad),
        (e: unknown) => e instanceof InvalidValueError && /4, 7, 10 or 13/.test(e.message),
      );
    }
  });

  it("parses operator ids as uint64, refusing zero, duplicates and words", () => {
    assert.deepEqual(operatorIdsValue("4, 1,18446744073709551615"), [4n, 1n, 2n ** 64n - 1n]);
    assert.throws(() => operatorIdsValue("1,1"), /twice/);
    assert.throws(() => operatorIdsValue("0"), /not an operator id/);
    assert.throws(() => operatorIdsValue("18446744073709551616"), /not an operator id/);
    assert.throws(() => operatorIdsValue("a"), /not an operator id/);
    assert.throws(() => operatorIdsValue(" , "), /is empty/);
  });

  it("parses token amounts exactly and converts a yearly fee per block", () => {
    assert.equal(tokenAmountValue("2.5"), 2_500_000_000_000_000_000n);
    assert.throws(() => tokenAmountValue("-1"), /not an amount/);
    assert.equal(perBlockFee(2_628_000n * 1000n, 12), 1000n);
  });

  it("defaults runway, size and prepared keys; a bad flag fails naming it", async () => {
    const command = addSsvRegisterOptions(new Command("register")).exitOverride();
    let seen: SsvRegisterOptionValues | undefined;
    command.action((options: SsvRegisterOptionValues) => {
      seen = options;
    });
    await command.parseAsync([], { from: "user" });
    assert.deepEqual([seen?.runwayDays, seen?.clusterSize, seen?.prepareKeys], [90, 4, 2]);
    assert.throws(() => command.parse(["--cluster-size", "5"], { from: "user" }), /--cluster-size/);
  });
});
