import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Command } from "commander";
import { addManagerOptions, type ManagerOptionValues, managerSettings } from "./manager-options.ts";

const parse = (argv: string[]) => {
  const command = addManagerOptions(new Command("ssv-manager")).exitOverride();
  command.parse(argv, { from: "user" });
  return command.opts<ManagerOptionValues>();
};

describe("ssv-manager options", () => {
  it("has the issue's defaults; the interval is one epoch unless given", () => {
    const settings = managerSettings(parse([]), { epochSeconds: 384, runwayDays: 90 });
    assert.deepEqual(settings, {
      intervalSeconds: 384,
      dryRun: false,
      decide: {
        minRunwayDays: 30,
        inactiveGraceMs: 24 * 3_600_000,
        feeFactor: 2,
        reregisterDelayBlocks: 96n,
        maxMigrationsPerRound: 1,
      },
    });
    assert.ok(Object.isFrozen(settings));
  });

  it("takes fast settings for tests", () => {
    const values = parse([
      "--interval-seconds",
      "2",
      "--min-runway-days",
      "5",
      "--reregister-delay-blocks",
      "3",
      "--operator-grace-hours",
      "0.001",
      "--dry-run",
    ]);
    const settings = managerSettings(values, { epochSeconds: 384, runwayDays: 10 });
    assert.equal(settings.intervalSeconds, 2);
    assert.equal(settings.dryRun, true);
    assert.equal(settings.decide.reregisterDelayBlocks, 3n);
    assert.equal(settings.decide.inactiveGraceMs, 3600);
  });

  it("refuses a top-up threshold at or above the runway a top-up buys, in one line", () => {
    assert.throws(
      () => managerSettings(parse(["--min-runway-days", "90"]), { epochSeconds: 384, runwayDays: 90 }),
      /--min-runway-days 90 must be below --runway-days 90/,
    );
  });

  it("names the flag of a bad value", () => {
    assert.throws(() => parse(["--max-migrations-per-round", "-1"]), /--max-migrations-per-round/);
  });
});
