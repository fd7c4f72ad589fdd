/**
 * `operator devnet set-oracles | publish-rewards` against a running `operator devnet`, as a user
 * runs them: each in one line on success, and one line when the input is wrong or no devnet runs.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { type Address, createPublicClient, http } from "viem";
import { keeperAbi } from "../../src/chain/abi/keeper.ts";
import { type CliResult, collect, runCli, startCli, tempDir } from "../support/cli.ts";

describe("operator devnet control", () => {
  const cleanups: Array<() => Promise<unknown>> = [];
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let child: ReturnType<typeof startCli>;
  let result: Promise<CliResult>;
  let description: { executionEndpoint: string; ipfsGateway: string; contracts: { keeper: Address } };
  const cli = (...args: string[]) =>
    runCli(["devnet", ...args, "--data-dir", dir.path], { timeoutMs: 30_000 });

  before(async () => {
    dir = await tempDir();
    cleanups.push(dir.cleanup);
    child = startCli(["devnet", "--data-dir", dir.path]);
    cleanups.push(async () => child.kill("SIGKILL"));
    result = collect(child, { timeoutMs: 60_000 });
    let stdout = "";
    child.stdout?.on("data", (d: Buffer) => {
      stdout += d.toString();
    });
    const started = Date.now();
    while (!stdout.includes("Press Ctrl-C to stop.")) {
      assert.ok(Date.now() - started < 30_000, `devnet did not come up:\n${stdout}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    description = JSON.parse(readFileSync(join(dir.path, "devnet", "devnet.json"), "utf8"));
  });
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  const keeper = () => {
    const client = createPublicClient({ transport: http(description.executionEndpoint) });
    const read = (functionName: "validatorsMinOracles" | "rewardsMinOracles" | "rewardsNonce") =>
      client.readContract({ address: description.contracts.keeper, abi: keeperAbi, functionName });
    return { client, read };
  };

  it("set-oracles replaces the Keeper's oracles, its threshold and the published config", async () => {
    const set = await cli("set-oracles", "--count", "4", "--threshold", "3");
    assert.equal(set.code, 0, set.stderr);
    assert.match(
      set.stdout,
      /^The Keeper now names 4 oracles with threshold 3; config bafkrei[a-z2-7]+ published\.\n/,
    );
    const endpoints = [...set.stdout.matchAll(/Oracle \d: (http:\S+) {2}(0x[0-9a-fA-F]{40})/g)];
    assert.equal(endpoints.length, 4);
    const { client, read } = keeper();
    assert.equal(await read("validatorsMinOracles"), 3n);
    assert.equal(await read("rewardsMinOracles"), 3n);
    const logs = await client.getContractEvents({
      address: description.contracts.keeper,
      abi: keeperAbi,
      eventName: "ConfigUpdated",
      fromBlock: 0n,
    });
    const cid = logs.at(-1)?.args.configIpfsHash;
    assert.ok(set.stdout.includes(`config ${cid} published`));
    const config = (await (await fetch(`${description.ipfsGateway}/ipfs/${cid}`)).json()) as {
      oracles: Array<{ endpoints: string[] }>;
    };
    assert.deepEqual(
      config.oracles.map((o) => o.endpoints[0]),
      endpoints.map((m) => m[1]),
    );
    // The new fourth oracle answers where the config says.
    const fourth = await fetch(`${endpoints[3]?.[1]}/exits/`).catch(() => undefined);
    assert.ok(fourth, "the new oracle listens");
  });

  it("publish-rewards signs a rewards update with the current set", async () => {
    const { read } = keeper();
    const nonce = await read("rewardsNonce");
    const published = await cli(
      "publish-rewards",
      "--consensus-reward-eth",
      "0.5",
      "--unlocked-mev-eth",
      "0.1",
    );
    assert.equal(published.code, 0, published.stderr);
    assert.match(
      published.stdout,
      /^Rewards published for vault 0x[0-9a-fA-F]{40} \(consensus 0\.5 ETH, unlocked MEV 0\.1 ETH, locked MEV 0 ETH\): root 0x[0-9a-f]{64}, file bafkrei[a-z2-7]+, nonce \d+\.\n$/,
    );
    assert.equal(await read("rewardsNonce"), nonce + 1n);
  });

  it("refuses bad input in one line, from the flags or from the devnet", async () => {
    const over = await cli("set-oracles", "--count", "2", "--threshold", "3");
    assert.equal(over.code, 1);
    assert.equal(
      over.stderr,
      "Error: --threshold 3 is more than --count 2: use a whole number from 1 to 2\n",
    );
    const few = await cli("set-oracles", "--count", "1");
    assert.equal(few.code, 1);
    assert.equal(
      few.stderr,
      "Error: the devnet refused: 1 oracles cannot reassemble exit signatures that need 2: use at least 2\n",
    );
    const mev = await cli("publish-rewards", "--consensus-reward-eth", "1", "--locked-mev-eth", "-1");
    assert.equal(mev.code, 1);
    assert.match(mev.stderr, /^Error: .*--locked-mev-eth.* is negative: MEV rewards are 0 or more ETH\n$/);
  });

  it("says in one line that no devnet runs once it stopped", async () => {
    child.kill("SIGINT");
    const done = await result;
    assert.equal(done.code, 0, done.stderr);
    const late = await cli("publish-rewards", "--consensus-reward-eth", "1");
    assert.equal(late.code, 1);
    assert.equal(
      late.stderr,
      `Error: no devnet is running from ${join(dir.path, "devnet")} (no control.json): start it with "operator devnet" (with the same --data-dir) and keep it running\n`,
    );
  });
});
