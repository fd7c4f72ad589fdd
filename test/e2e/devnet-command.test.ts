/**
 * `operator devnet` as a user runs it (a child process, Ctrl-C to stop), and the external mode
 * that runs the oracles, IPFS and the beacon simulator against a deployment made elsewhere.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { type Address, createPublicClient, http, parseEther, parseEventLogs } from "viem";
import { keeperAbi } from "../../src/chain/abi/keeper.ts";
import { vaultAbi } from "../../src/chain/abi/vault.ts";
import { vaultV5Abi } from "../../src/chain/abi/vault-v5.ts";
import { loadDevnetNetwork } from "../../src/config/networks.ts";
import { DEVNET_CAPELLA_FORK_VERSION, DEVNET_GENESIS_FORK_VERSION } from "../../src/devnet/deploy.ts";
import { startExternalDevnet } from "../../src/devnet/external.ts";
import { collect, runCli, startCli, tempDir } from "../support/cli.ts";
import { startDevnetChain } from "../support/devnet-chain.ts";

describe("operator devnet", () => {
  const cleanups: Array<() => Promise<unknown>> = [];
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it("comes up, writes the files --network devnet reads, and stops cleanly on Ctrl-C", async () => {
    const dir = await tempDir();
    cleanups.push(dir.cleanup);
    const started = Date.now();
    const child = startCli(["devnet", "--data-dir", dir.path]);
    cleanups.push(async () => child.kill("SIGKILL"));
    const result = collect(child, { timeoutMs: 60_000 });
    let stdout = "";
    child.stdout?.on("data", (d: Buffer) => {
      stdout += d.toString();
    });
    while (!stdout.includes("Press Ctrl-C to stop.")) {
      assert.ok(Date.now() - started < 30_000, `devnet did not come up:\n${stdout}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const upSeconds = (Date.now() - started) / 1000;
    assert.ok(upSeconds < 20, `up in ${upSeconds} s`);
    assert.match(stdout, /Execution endpoint: +http:\/\/127\.0\.0\.1:\d+/);
    assert.match(stdout, /Consensus endpoint: +http:\/\/127\.0\.0\.1:\d+/);
    assert.match(stdout, /Oracle 3: +http:\/\/127\.0\.0\.1:\d+ +0x[0-9a-fA-F]{40}/);

    const networkFile = join(dir.path, "devnet", "network.json");
    const network = loadDevnetNetwork(networkFile);
    assert.equal(network.genesisForkVersion, DEVNET_GENESIS_FORK_VERSION);
    assert.equal(network.capellaForkVersion, DEVNET_CAPELLA_FORK_VERSION);
    const description = JSON.parse(readFileSync(join(dir.path, "devnet", "devnet.json"), "utf8"));
    assert.equal(description.oracles.length, 3);
    assert.deepEqual(
      network.ipfsGateways,
      [description.ipfsGateway],
      "--network devnet reads the devnet's IPFS",
    );
    assert.equal(description.accounts.hotWallet, undefined, "the hot wallet is the one create-wallet makes");

    // The rehearsal the command prints: a data dir on the devnet network.
    const init = await runCli([
      "init",
      "--network",
      "devnet",
      "--vault",
      description.vault.address,
      "--no-verify",
      "--data-dir",
      dir.path,
    ]);
    assert.equal(init.code, 0, init.stderr);
    const health = await fetch(`${description.consensusEndpoint}/eth/v1/node/syncing`);
    assert.equal(health.status, 200);

    // The helpers in place of foundry's cast: the root, the hot wallet's gas, the vault's stake.
    const mnemonic = init.stdout.split("\n").find((l) => l.trim().split(" ").length === 24) as string;
    const vault = description.vault.address as Address;
    const dataDir = ["--data-dir", dir.path];
    for (const args of [
      ["create-keys", "--vault", vault, "--count", "1", ...dataDir],
      ["create-wallet", "--vault", vault, ...dataDir],
    ]) {
      const made = await runCli(args, { env: { MNEMONIC: mnemonic } });
      assert.equal(made.code, 0, made.stderr);
    }
    const reader = createPublicClient({ transport: http(description.executionEndpoint) });
    // Today's vault (version 5) by default: no validators root of its own; the hot wallet becomes
    // its validators manager instead.
    assert.equal(description.vault.version, 5);
    const setRoot = await runCli(["devnet", "set-root", ...dataDir]);
    assert.equal(setRoot.code, 1);
    assert.match(
      setRoot.stderr,
      /^Error: vault 0x[0-9a-fA-F]{40} is version 5: .*operator devnet set-manager.*\n$/,
    );
    const setManager = await runCli(["devnet", "set-manager", ...dataDir]);
    assert.equal(setManager.code, 0, setManager.stderr);
    const manager = /is now (0x[0-9a-fA-F]{40}) \(its hot wallet\)/.exec(setManager.stdout)?.[1];
    assert.ok(manager, setManager.stdout);
    assert.equal(
      await reader.readContract({ address: vault, abi: vaultV5Abi, functionName: "validatorsManager" }),
      manager,
    );
    const fund = await runCli(["devnet", "fund", "--eth", "1.5", ...dataDir]);
    assert.equal(fund.code, 0, fund.stderr);
    const wallet = /Sent 1\.5 ETH to (0x[0-9a-fA-F]{40}) \(the hot wallet of vault/.exec(
      fund.stdout,
    )?.[1] as Address;
    assert.equal(await reader.getBalance({ address: wallet }), parseEther("1.5"));
    const assets = () =>
      reader.readContract({ address: vault, abi: vaultAbi, functionName: "withdrawableAssets" });
    const before = await assets();
    const deposit = await runCli(["devnet", "deposit", "--eth", "32", ...dataDir]);
    assert.equal(deposit.code, 0, deposit.stderr);
    assert.equal((await assets()) - before, parseEther("32"));
    const badAmount = await runCli(["devnet", "fund", "--eth", "lots", ...dataDir]);
    assert.equal(badAmount.code, 1);
    assert.equal(
      badAmount.stderr,
      "Error: --eth lots is not an amount of ETH: use a positive number such as 32 or 0.5\n",
    );

    child.kill("SIGINT");
    const done = await result;
    assert.equal(done.code, 0, done.stderr);
    assert.match(done.stdout, /Devnet stopped\./);
    await assert.rejects(fetch(description.executionEndpoint, { method: "POST", body: "{}" }));
    assert.ok(existsSync(networkFile));
  });

  it("helpers name the missing devnet in one line", async () => {
    const dir = await tempDir();
    cleanups.push(dir.cleanup);
    const result = await runCli(["devnet", "deposit", "--eth", "32", "--data-dir", dir.path]);
    assert.equal(result.code, 1);
    assert.match(
      result.stderr,
      /^Error: devnet file .*devnet\.json cannot be read: start the devnet with "operator devnet" \(with the same --data-dir\) and keep it running\n$/,
    );
  });

  it("refuses --rpc-url without --contracts", async () => {
    const result = await runCli(["devnet", "--rpc-url", "http://127.0.0.1:1"]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /^Error: --rpc-url and --contracts go together/);
  });

  it("runs the oracles, IPFS and the beacon simulator against an existing deployment", async () => {
    const chain = await startDevnetChain({ oracles: 3 });
    cleanups.push(() => chain.stop());
    const dir = await tempDir();
    cleanups.push(dir.cleanup);
    const contracts = join(dir.path, "contracts.json");
    await writeFile(
      contracts,
      JSON.stringify({
        genesisForkVersion: DEVNET_GENESIS_FORK_VERSION,
        capellaForkVersion: DEVNET_CAPELLA_FORK_VERSION,
        genesisValidatorsRoot: `0x${"ab".repeat(32)}`,
        slotsPerEpoch: 4,
        secondsPerSlot: 1,
        depositContract: {
          address: chain.protocol.depositContract.address,
          genesisBlock: Number(chain.protocol.depositContract.blockNumber),
        },
        keeper: {
          address: chain.protocol.keeper.address,
          genesisBlock: Number(chain.protocol.keeper.blockNumber),
        },
        vaultsRegistry: chain.protocol.vaultsRegistry.address,
        keeperOwnerPrivateKey: chain.accounts.deployer.privateKey,
        oraclePrivateKeys: chain.oracles.map((o) => o.privateKey),
      }),
    );
    const external = await startExternalDevnet({
      rpcUrl: chain.anvil.url,
      contractsFile: contracts,
      outputDir: join(dir.path, "devnet"),
    });
    cleanups.push(() => external.stop());

    const logs = await chain.clients.deployer.getContractEvents({
      address: chain.protocol.keeper.address,
      abi: keeperAbi,
      eventName: "ConfigUpdated",
      fromBlock: 0n,
    });
    const last = parseEventLogs({ abi: keeperAbi, logs, eventName: "ConfigUpdated" }).at(-1);
    const config = await (
      await fetch(`${external.ipfsGateway.url}/ipfs/${last?.args.configIpfsHash}`)
    ).json();
    assert.deepEqual(
      (config as { oracles: Array<{ endpoints: string[] }> }).oracles.map((o) => o.endpoints[0]),
      external.committee.oracles.map((o) => o.server.url),
    );
    const health = await fetch(`${external.committee.oracles[0]?.server.url}/`);
    assert.equal(health.status, 200);
    assert.equal(loadDevnetNetwork(join(dir.path, "devnet", "network.json")).chainId, chain.anvil.chainId);
  });

  it("explains a malformed --contracts file", async () => {
    const dir = await tempDir();
    cleanups.push(dir.cleanup);
    const contracts = join(dir.path, "contracts.json");
    await writeFile(contracts, JSON.stringify({ genesisForkVersion: "0x1" }));
    await assert.rejects(
      startExternalDevnet({ rpcUrl: "http://127.0.0.1:1", contractsFile: contracts }),
      /--contracts .*contracts\.json: field "genesisForkVersion"/,
    );
  });
});
