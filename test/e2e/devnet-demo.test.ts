/**
 * `operator devnet --demo` as a newcomer runs it from the README: one command that brings the
 * devnet up and walks a vault through its life with the real CLI commands, then leaves the devnet
 * and the registration service running until Ctrl-C.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { collect, startCli, tempDir } from "../support/cli.ts";
import { operatorCommandLine, startTmuxServer, TMUX_MISSING } from "../support/tmux.ts";

describe("operator devnet --demo", () => {
  const cleanups: Array<() => Promise<unknown>> = [];
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it("registers a 0x02 validator and exits it with the real commands, then runs until Ctrl-C", async () => {
    const dir = await tempDir("vault-operator-demo-test-");
    cleanups.push(dir.cleanup);
    const started = Date.now();
    const child = startCli(["devnet", "--demo", "--data-dir", dir.path]);
    const result = collect(child, { timeoutMs: 150_000 });
    let stdout = "";
    child.stdout?.on("data", (d: Buffer) => {
      stdout += d.toString();
    });
    while (!stdout.includes("Press Ctrl-C to stop start and the devnet.")) {
      if (child.exitCode !== null) assert.fail(`the demo ended early:\n${stdout}\n${(await result).stderr}`);
      assert.ok(Date.now() - started < 120_000, `the demo did not finish:\n${stdout}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    const seconds = (Date.now() - started) / 1000;
    process.stderr.write(`devnet --demo: finished its walk in ${seconds.toFixed(1)} s (target < 60 s)\n`);

    // Every step, in order, each with the command a user would type.
    const steps = [...stdout.matchAll(/^\[(\d)\/8\] /gm)].map((m) => Number(m[1]));
    assert.deepEqual(steps, [1, 2, 3, 4, 5, 6, 7, 8], stdout);
    for (const command of [
      "init --network devnet",
      "create-keys --vault",
      "create-wallet --vault",
      "devnet set-manager",
      "devnet fund --eth 1",
      "devnet deposit --eth 100",
      "start --vault",
      "validators-exit --vault",
    ]) {
      assert.match(stdout, new RegExp(`^\\$ operator ${command}`, "m"), `${command}\n${stdout}`);
    }
    assert.match(stdout, /start │ .*vault flow chosen flow=validators-manager version=5/);
    assert.match(stdout, /start │ .*validators registered count=1/);
    assert.match(stdout, /→ validator 0 active_ongoing$/m);
    assert.match(stdout, /→ validator 0 active_exiting$/m);
    assert.doesNotMatch(stdout, / (WARN|ERROR) /, "a clean walk has no warnings");

    // What it leaves to explore: the vault's files, and start's /health saying what it waits for.
    const vaultDir = readdirSync(dir.path).find((name) => name.startsWith("0x")) as string;
    for (const file of ["config.json", "deposit_data.json", "wallet/wallet.json", "operator.db"]) {
      assert.ok(existsSync(join(dir.path, vaultDir, file)), file);
    }
    const healthUrl = /curl -s (http:\/\/127\.0\.0\.1:\d+\/health)/.exec(stdout)?.[1] as string;
    const health = await fetch(healthUrl);
    assert.equal(health.status, 200);
    const report = (await health.json()) as { details: { tasks: { registration: { waitingFor: string } } } };
    assert.equal(report.details.tasks.registration.waitingFor, "assets");

    child.kill("SIGINT");
    const done = await result;
    assert.equal(done.code, 0, done.stderr);
    assert.match(done.stdout, /start │ .*service stopped/);
    assert.match(done.stdout, /Devnet stopped\.$/m);
  });

  it("Ctrl-C in a terminal during the walk stops start, the devnet and the demo cleanly", {
    skip: TMUX_MISSING,
  }, async () => {
    const dir = await tempDir("vault-operator-demo-test-");
    cleanups.push(dir.cleanup);
    const tmux = await startTmuxServer();
    cleanups.push(() => tmux.kill());
    const pane = await tmux.open(operatorCommandLine(["devnet", "--demo", "--data-dir", dir.path]));
    // In the middle of the walk: start runs as a child in the terminal's process group.
    await pane.waitFor(/start │ .*Using local keystores/, 90_000);
    await pane.keys("C-c");
    const screen = await pane.waitFor(/^EXIT=\d+$/m, 30_000);
    assert.match(screen, /^EXIT=0$/m, screen);
    assert.match(screen, /Demo stopped before its end; what it made is in /, screen);
    assert.match(screen, /^Devnet stopped\.$/m, screen);
    assert.doesNotMatch(screen, /Unexpected error|This is a bug|\n\s+at /, screen);
    const left = execFileSync("ps", ["-eo", "args"], { encoding: "utf8" })
      .split("\n")
      .filter((line) => line.includes(dir.path) && !/^((\/bin\/)?sh|tmux) /.test(line));
    assert.deepEqual(left, [], "no process of the demo is left");
  });

  it("starts from nothing: refuses a data dir that already holds the vault", async () => {
    const dir = await tempDir("vault-operator-demo-test-");
    cleanups.push(dir.cleanup);
    const { mkdir } = await import("node:fs/promises");
    await mkdir(join(dir.path, "0x2279b7a0a67db372996a5fab50d91eaa73d2ebe6"));
    const result = await collect(startCli(["devnet", "--demo", "--data-dir", dir.path]), {
      timeoutMs: 60_000,
    });
    assert.equal(result.code, 1, result.stderr);
    assert.match(
      result.stderr,
      /^Error: --data-dir .* already holds vault 0x2279B7A0a67DB372996a5FaB50D91eAA73d2eBe6: the demo starts from nothing/m,
    );
  });
});
