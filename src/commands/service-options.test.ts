import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Command } from "commander";
import { createMetrics } from "../operator/metrics.ts";
import { metricsPrefixOption } from "./service-options.ts";

const parse = (args: string[]) =>
  new Command()
    .exitOverride()
    .addOption(metricsPrefixOption())
    .parse(args, { from: "user" })
    .opts<{ metricsPrefix: string }>().metricsPrefix;

describe("--metrics-prefix", () => {
  it("names start's metrics as the Python operator's namespace does (default sw_operator)", async () => {
    assert.equal(parse([]), "sw_operator");
    assert.equal(parse(["--metrics-prefix", "vault_a"]), "vault_a");
    const metrics = createMetrics({ network: "hoodi", prefix: `${parse(["--metrics-prefix", "vault_a"])}_` });
    const names = (await metrics.registry.getMetricsAsJSON()).map((m) => m.name);
    assert.ok(names.includes("vault_a_block_number"), names.join(","));
    assert.ok(names.every((name) => name.startsWith("vault_a_")));
  });

  it("refuses a name Prometheus would not take", () => {
    assert.throws(() => parse(["--metrics-prefix", "9lives"]), /is not a Prometheus metric namespace/);
    assert.throws(() => parse(["--metrics-prefix", "a-b"]), /is not a Prometheus metric namespace/);
  });
});
