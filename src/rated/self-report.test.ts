import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { type RatedApiDouble, startRatedApi } from "../../test/support/rated-api.ts";
import { reportToRated } from "./self-report.ts";

const key = (n: number) => `0x${n.toString(16).padStart(96, "0")}`;

describe("reportToRated", () => {
  let rated: RatedApiDouble;
  before(async () => {
    rated = await startRatedApi("oauth-token");
  });
  after(async () => {
    await rated.close();
  });

  it("reports 1,000 keys a request with the token, the network and the pool tag", async () => {
    const lines: string[] = [];
    const keys = Array.from({ length: 2500 }, (_, i) => key(i + 1));
    const result = await reportToRated({
      apiUrl: rated.url,
      token: "oauth-token",
      network: "mainnet",
      poolTag: "MyPool",
      publicKeys: keys,
      report: (line) => lines.push(line),
    });
    assert.deepEqual(result, { reported: 2500, failures: [] });
    assert.deepEqual(
      rated.reports.map((r) => [r.network, r.poolTag, r.validators.length]),
      [
        ["mainnet", "MyPool", 1000],
        ["mainnet", "MyPool", 1000],
        ["mainnet", "MyPool", 500],
      ],
    );
    assert.deepEqual(
      rated.reports.flatMap((r) => r.validators),
      keys,
    );
    assert.deepEqual(lines, [
      "Successfully reported 1000 validators.",
      "Successfully reported 1000 validators.",
      "Successfully reported 500 validators.",
    ]);
  });

  it("a refused token or an outage: one line per failed request, never the token; the rest still go", async () => {
    const lines: string[] = [];
    const wrong = await reportToRated({
      apiUrl: rated.url,
      token: "stale-token",
      network: "mainnet",
      poolTag: "",
      publicKeys: [key(1)],
      report: (line) => lines.push(line),
    });
    assert.equal(wrong.reported, 0);
    assert.match(
      wrong.failures[0] ?? "",
      /^Failed to report validators 1–1: Rated .*401.* \(check --token\)$/,
    );
    assert.doesNotMatch(lines.join("\n"), /stale-token/);
    rated.failWith(503);
    try {
      const down = await reportToRated({
        apiUrl: rated.url,
        token: "oauth-token",
        network: "mainnet",
        poolTag: "",
        publicKeys: [key(1), key(2)],
        report: () => {},
      });
      assert.equal(down.failures.length, 1);
      assert.match(down.failures[0] ?? "", /503/);
    } finally {
      rated.failWith(null);
    }
  });
});
