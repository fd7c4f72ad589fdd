/**
 * `operator devnet --dvt obol` and `--dvt ssv` (issue 14 must-be-true 1, today's relayer
 * generation): three distributed validators on a cluster of 4 (threshold 3; SSV operator ids
 * from 100) registered by `operator start --relayer-endpoint` through the devnet's relayer and
 * sidecars, and every exit signature the oracles reassemble verifies under the Capella domain.
 * The legacy generation is one more line each once `start --relayer-protocol legacy` exists.
 * First, the command itself as a user runs it: its refusals, and what it prints and writes.
 */
import assert from "node:assert/strict";
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { collect, runCli, startCli, tempDir } from "../support/cli.ts";
import { assertCleanError } from "../support/e2e.ts";
import { describeDevnetDvt } from "./devnet-dvt-scenario.ts";

describe("operator devnet --dvt (the command)", () => {
  it("refuses a cluster it cannot make in one line, before it starts anything", async () => {
    assertCleanError(
      await runCli(["devnet", "--dvt", "ssv", "--ssv-operators", "3"]),
      /--dvt ssv with --cluster-size 4 needs 4 SSV operators on the devnet, it has 3: add --ssv-operators 4/,
    );
    assertCleanError(
      await runCli(["devnet", "--cluster-size", "7"]),
      /--cluster-size shapes the DVT cluster: add --dvt obol or --dvt ssv/,
    );
  });

  it("comes up with the relayer and the Obol nodes' files, names them in devnet.json, stops on Ctrl-C", async () => {
    const dir = await tempDir("vault-operator-dvt-");
    const child = startCli(["devnet", "--dvt", "obol", "--data-dir", dir.path]);
    const result = collect(child, { timeoutMs: 60_000 });
    try {
      let stdout = "";
      child.stdout?.on("data", (d: Buffer) => {
        stdout += d.toString();
      });
      const started = Date.now();
      while (!stdout.includes("Press Ctrl-C to stop.")) {
        assert.ok(Date.now() - started < 40_000, `devnet did not come up:\n${stdout}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      const relayer = /DVT relayer: +(http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)?.[1];
      assert.ok(relayer, stdout);
      assert.match(stdout, /DVT cluster: +Obol, 3 of 4, 3 validators, relayer protocol v4/);
      assert.match(stdout, /--relayer-endpoint http:\/\/127\.0\.0\.1:\d+/);
      const dvtDir = join(dir.path, "devnet", "dvt");
      const description = JSON.parse(readFileSync(join(dir.path, "devnet", "devnet.json"), "utf8"));
      assert.equal(description.dvt.relayerEndpoint, relayer);
      assert.equal(description.dvt.clusterLockFile, join(dvtDir, "cluster-lock.json"));
      assert.equal(description.dvt.publicKeys.length, 3);
      const csv = readFileSync(join(dvtDir, "public-keys.csv"), "utf8").trim().split("\n");
      assert.deepEqual(csv, description.dvt.publicKeys);
      for (const file of [
        join(dvtDir, "node3", "validator_keys", "keystore-2.json"),
        join(dvtDir, "node3", "validator_keys", "keystore-2.txt"),
        join(dvtDir, "relayer-wallet", "wallet.json"),
      ]) {
        assert.equal(statSync(file).mode & 0o777, 0o600, file);
      }
      const info = await fetch(`${relayer}/info`);
      assert.equal(info.status, 200);
      const body = (await info.json()) as { network: string; validators_manager_address?: string };
      assert.equal(body.network, "devnet");
      assert.equal(body.validators_manager_address, description.dvt.validatorsManager);
      child.kill("SIGINT");
      const exit = await result;
      assert.equal(exit.code, 0, exit.stderr);
      assert.match(exit.stdout, /Devnet stopped\./);
    } finally {
      child.kill("SIGKILL");
      await dir.cleanup();
    }
  });
});

describeDevnetDvt({ cluster: "obol", protocol: "v4" });
describeDevnetDvt({ cluster: "ssv", protocol: "v4" });
