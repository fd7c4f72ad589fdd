/**
 * `operator devnet --dvt obol` and `--dvt ssv` (issue 14 must-be-true 1, both relayer
 * generations): three distributed validators on a cluster of 4 (threshold 3; SSV operator ids
 * from 100) registered by `operator start --relayer-endpoint` (legacy: `--relayer-protocol legacy`
 * with the cluster's deposit data) through the devnet's relayer and sidecars, and every exit
 * signature the oracles reassemble verifies under the Capella domain.
 * First, the command itself as a user runs it: its refusals, and a legacy-generation cluster on a
 * version-1 vault (the files it writes, and exits through the legacy API with no operator).
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { loadDevnetNetwork } from "../../src/config/networks.ts";
import { deriveOracleKeys } from "../../src/devnet/accounts.ts";
import { readDevnetFile } from "../../src/devnet/devnet-file.ts";
import { collect, runCli, startCli, tempDir } from "../support/cli.ts";
import { independentDepositRoot, independentExitRoot, nobleVerifies } from "../support/dvt-flow.ts";
import { assertCleanError } from "../support/e2e.ts";
import { decryptShard, recombineSignatureShards } from "../support/oracle-exit-shards.ts";
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

  it("legacy on a version-1 vault: prints and writes the relayer and the files; the relayer's exits verify; Ctrl-C stops", async () => {
    const dir = await tempDir("vault-operator-dvt-");
    const args = ["devnet", "--dvt", "obol", "--dvt-protocol", "legacy", "--vault-version", "1"];
    const child = startCli([...args, "--data-dir", dir.path]);
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
      assert.match(stdout, /DVT cluster: +Obol, 3 of 4, 3 validators, relayer protocol legacy/);
      const devnetDir = join(dir.path, "devnet");
      const dvtDir = join(devnetDir, "dvt");
      // Through the helpers' own reader: its schema takes the dvt part.
      const description = await readDevnetFile(join(devnetDir, "devnet.json"));
      const dvt = description.dvt;
      assert.ok(dvt, "devnet.json describes the DVT cluster");
      assert.equal(dvt.relayerEndpoint, relayer);
      assert.equal(dvt.clusterLockFile, join(dvtDir, "cluster-lock.json"));
      assert.equal(dvt.validatorsManager, undefined, "legacy: the relayer signs no registration");
      assert.match(stdout, new RegExp(`set-root --deposit-data-file ${join(dvtDir, "deposit_data.json")}`));
      const network = loadDevnetNetwork(join(devnetDir, "network.json"));
      // The DV keys' deposit data, signed before the keys were forgotten: checked with @noble/curves.
      const deposits = JSON.parse(readFileSync(dvt.depositDataFile as string, "utf8"));
      assert.deepEqual(
        deposits.map((d: { pubkey: string }) => `0x${d.pubkey}`),
        dvt.publicKeys,
      );
      for (const d of deposits) {
        const root = independentDepositRoot(network, {
          publicKey: `0x${d.pubkey}`,
          vault: description.vault.address,
          amountGwei: 32_000_000_000,
          type: 0x01,
        });
        assert.ok(nobleVerifies(`0x${d.pubkey}`, root, `0x${d.signature}`), "deposit signature verifies");
      }

      // The legacy API: the operator names its keys, the sidecars sign the exits, the relayer
      // answers with the oracles' shards; two oracles' shards give the exit of index 0, 1, 2.
      const oracles = deriveOracleKeys({ count: 3 });
      let answer: {
        ready: boolean;
        validators: Array<{
          public_key: string;
          oracles_exit_signature_shares: { encrypted_exit_signatures: string[] } | null;
        }>;
      };
      const asked = Date.now();
      for (;;) {
        const response = await fetch(`${relayer}/validators`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ public_keys: dvt.publicKeys }),
        });
        assert.equal(response.status, 200, await response.clone().text());
        answer = (await response.json()) as typeof answer;
        if (answer.ready) break;
        assert.ok(Date.now() - asked < 20_000, JSON.stringify(answer));
        await new Promise((r) => setTimeout(r, 300));
      }
      for (const [index, validator] of answer.validators.entries()) {
        const shards = validator.oracles_exit_signature_shares?.encrypted_exit_signatures ?? [];
        const signature = recombineSignatureShards(
          [0, 2].map((k) => ({
            x: k + 1,
            signature: decryptShard(shards[k] as string, oracles[k]?.privateKey as string),
          })),
        );
        assert.ok(nobleVerifies(validator.public_key, independentExitRoot(network, index), signature));
      }
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

// SSV's two generations run in devnet-dvt-ssv.test.ts, beside this file. Obol's legacy generation
// through `start --relayer-protocol legacy` on the devnet is start-relayer-legacy.test.ts (the
// scenario here runs it too, `describeDevnetDvt({ cluster: "obol", protocol: "legacy" })`, at
// 17 s more of CI), and the command's own legacy cluster is checked above.
describeDevnetDvt({ cluster: "obol", protocol: "v4" });
