import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createSsvMetrics, recordClusters, recordKeyStates } from "./metrics.ts";

describe("SSV manager metrics", () => {
  it("exposes clusters by state, runway and risk per cluster, and forgets clusters that are gone", async () => {
    const metrics = createSsvMetrics({ network: "devnet" });
    recordClusters(metrics, [
      { key: "1,2,3,4", state: "active", runwayDays: 12.5, risk: "below-threshold" },
      { key: "5,6,7,8", state: "liquidated", runwayDays: undefined, risk: "liquidated" },
    ]);
    let text = await metrics.registry.metrics();
    assert.match(text, /sw_ssv_cluster_runway_days\{cluster="1,2,3,4",network="devnet"\} 12.5/);
    assert.match(text, /sw_ssv_cluster_liquidation_risk\{cluster="5,6,7,8",network="devnet"\} 3/);
    assert.match(text, /sw_ssv_clusters\{state="liquidated",network="devnet"\} 1/);
    recordClusters(metrics, [{ key: "5,6,7,8", state: "empty", runwayDays: undefined, risk: "ok" }]);
    text = await metrics.registry.metrics();
    assert.doesNotMatch(text, /cluster="1,2,3,4"/);
    assert.match(text, /sw_ssv_clusters\{state="empty",network="devnet"\} 1/);
    assert.match(text, /sw_ssv_clusters\{state="active",network="devnet"\} 0/);
  });

  it("counts the vault's keys per SSV state", async () => {
    const metrics = createSsvMetrics({ network: "devnet" });
    recordKeyStates(metrics, ["on-ssv", "on-ssv", "next", "other"]);
    const text = await metrics.registry.metrics();
    assert.match(text, /sw_ssv_validators\{state="on-ssv",network="devnet"\} 2/);
    assert.match(text, /sw_ssv_validators\{state="due",network="devnet"\} 0/);
    assert.match(text, /sw_ssv_validators\{state="next",network="devnet"\} 1/);
  });
});
