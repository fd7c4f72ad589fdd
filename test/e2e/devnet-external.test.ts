/**
 * `operator devnet --rpc-url … --contracts FILE` against contracts it did not deploy: our own
 * protocol on a fresh anvil stands in for a real deployment, with Multicall3 removed and the file
 * holding only what v3-core's deployment output gives (Keeper, VaultsRegistry, deposit contract)
 * plus the oracle keys: no owner key, no fork versions, no blocks.
 */
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { createPublicClient, http, parseEventLogs } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { keeperAbi } from "../../src/chain/abi/keeper.ts";
import { createVaultStateReader } from "../../src/chain/vault-state-reader.ts";
import { loadDevnetNetwork } from "../../src/config/networks.ts";
import { deriveOracleKeys, type OracleKey } from "../../src/devnet/accounts.ts";
import { MULTICALL3_ADDRESS } from "../../src/devnet/anvil.ts";
import { startExternalDevnet } from "../../src/devnet/external.ts";
import { collect, runCli, startCli, tempDir } from "../support/cli.ts";
import { type DevnetChain, startDevnetChain } from "../support/devnet-chain.ts";

const toKeys = (keys: readonly `0x${string}`[]): OracleKey[] =>
  keys.map((privateKey, index) => {
    const account = privateKeyToAccount(privateKey);
    return { index, privateKey, address: account.address, publicKey: account.publicKey };
  });

describe("operator devnet against an existing deployment", () => {
  let chain: DevnetChain;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let contracts: string;
  /** What the first start served: a restart on the same devnet dir serves it again. */
  let firstRun: { oracles: string[]; ipfs: string; beacon: string; genesisTime: number } | undefined;
  const cleanups: Array<() => Promise<unknown>> = [];

  const configUpdates = async () => {
    const logs = await chain.clients.deployer.getContractEvents({
      address: chain.protocol.keeper.address,
      abi: keeperAbi,
      eventName: "ConfigUpdated",
      fromBlock: 0n,
    });
    return parseEventLogs({ abi: keeperAbi, logs, eventName: "ConfigUpdated" });
  };

  before(async () => {
    chain = await startDevnetChain({ oracles: 3 });
    cleanups.push(() => chain.stop());
    dir = await tempDir();
    cleanups.push(dir.cleanup);
    // A chain without Multicall3, as a fresh anvil without our deployment has.
    await chain.testClient.setCode({ address: MULTICALL3_ADDRESS, bytecode: "0x" });
    contracts = join(dir.path, "contracts.json");
    await writeFile(
      contracts,
      JSON.stringify({
        depositContract: { address: chain.protocol.depositContract.address },
        keeper: { address: chain.protocol.keeper.address },
        vaultsRegistry: chain.protocol.vaultsRegistry.address,
        slotsPerEpoch: 4,
        secondsPerSlot: 1,
        oraclePrivateKeys: chain.oracles.map((o) => o.privateKey),
      }),
    );
  });
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it("places Multicall3, impersonates the Keeper owner, publishes the config and lists what it assumed", async () => {
    const external = await startExternalDevnet({
      rpcUrl: chain.anvil.url,
      contractsFile: contracts,
      outputDir: join(dir.path, "devnet"),
    });
    cleanups.push(() => external.stop());
    const { started } = external;
    assert.equal(started.multicall3, "placed");
    assert.deepEqual(started.keeperOwner, { address: chain.accounts.deployer.address, impersonated: true });
    assert.equal(started.config, "published");
    assert.deepEqual(
      started.assumed.map((line) => line.split(":")[0]),
      [
        "genesisForkVersion",
        "capellaForkVersion",
        "genesisValidatorsRoot",
        "depositContract.genesisBlock",
        "keeper.genesisBlock",
        "multicall3",
      ],
    );
    const last = (await configUpdates()).at(-1);
    const config = (await (
      await fetch(`${external.ipfsGateway.url}/ipfs/${last?.args.configIpfsHash}`)
    ).json()) as { oracles: Array<{ endpoints: string[] }> };
    assert.deepEqual(
      config.oracles.map((o) => o.endpoints[0]),
      external.committee.oracles.map((o) => o.server.url),
    );

    // What `start` reads first now answers: the network file names Multicall3, and it is there.
    const network = loadDevnetNetwork(join(dir.path, "devnet", "network.json"));
    assert.equal(network.multicall3, MULTICALL3_ADDRESS);
    const vault = await chain.createVault();
    const state = await createVaultStateReader({
      client: createPublicClient({ transport: http(chain.anvil.url) }),
      network,
    }).read(vault.address);
    assert.ok(state.version >= 1);
    firstRun = {
      oracles: external.committee.oracles.map((o) => o.server.url),
      ipfs: external.ipfsGateway.url,
      beacon: external.beaconServer.url,
      genesisTime: external.genesisTime,
    };
    await external.stop();
  });

  it("keeps its IPFS files, oracle ports and keys across a restart, so the Keeper's config is kept", async () => {
    const outputDir = join(dir.path, "devnet");
    const start = async () => {
      const external = await startExternalDevnet({
        rpcUrl: chain.anvil.url,
        contractsFile: contracts,
        outputDir,
      });
      cleanups.push(() => external.stop());
      return external;
    };
    const before = (await configUpdates()).length;
    const again = await start();
    assert.equal(again.started.config, "kept");
    assert.equal(again.started.state.kind, "restored");
    assert.deepEqual(
      again.committee.oracles.map((o) => o.server.url),
      firstRun?.oracles,
    );
    assert.equal(again.ipfsGateway.url, firstRun?.ipfs);
    assert.equal(again.beaconServer.url, firstRun?.beacon);
    assert.equal(again.genesisTime, firstRun?.genesisTime);
    const cid = (await configUpdates()).at(-1)?.args.configIpfsHash;
    assert.equal(
      (await fetch(`${again.ipfsGateway.url}/ipfs/${cid}`)).status,
      200,
      "the config is served again",
    );
    assert.equal((await configUpdates()).length, before, "nothing written to the Keeper");

    // A new oracle set (as set-oracles makes it) is what a restart runs, not the keys in --contracts.
    const rotated = deriveOracleKeys({ count: 3, seed: "rotation" });
    await again.replaceOracles(rotated, 2);
    await again.stop();
    const third = await start();
    assert.deepEqual(
      third.committee.oracles.map((o) => o.key.address),
      rotated.map((k) => k.address),
    );
    assert.equal(third.started.config, "kept");
    assert.ok(third.started.state.kind === "restored" && third.started.state.oracleKeysChanged);
    // Rewards signed by the rotated set pass the Keeper's threshold.
    const vault = await chain.createVault();
    const published = await third.publishRewards([
      { vault: vault.address, consensusReward: 10n ** 17n, unlockedMevReward: 0n, lockedMevReward: 0n },
    ]);
    assert.match(published.ipfsHash, /^bafkrei/);
    // Back to the keys of --contracts for the tests below.
    await third.replaceOracles(toKeys(chain.oracles.map((o) => o.privateKey)), 2);
    await third.stop();
  });

  it("leaves the Keeper's config alone when told not to", async () => {
    const before = (await configUpdates()).length;
    const external = await startExternalDevnet({
      rpcUrl: chain.anvil.url,
      contractsFile: contracts,
      publishConfig: false,
    });
    cleanups.push(() => external.stop());
    assert.equal(external.started.config, "left");
    assert.equal(external.started.multicall3, "present");
    assert.equal((await configUpdates()).length, before);
    await external.stop();
  });

  it("refuses a contract address without code, naming the field", async () => {
    const file = join(dir.path, "no-deposit-contract.json");
    await writeFile(
      file,
      JSON.stringify({
        keeper: { address: chain.protocol.keeper.address },
        vaultsRegistry: chain.protocol.vaultsRegistry.address,
        oraclePrivateKeys: chain.oracles.map((o) => o.privateKey),
      }),
    );
    await assert.rejects(
      startExternalDevnet({ rpcUrl: chain.anvil.url, contractsFile: file }),
      /--contracts depositContract 0x00000000219ab540356cBB839Cbe05303d7705Fa holds no contract on this chain: set "depositContract"/,
    );
  });

  it("refuses a flag of the local devnet in one line naming it", async () => {
    const result = await runCli([
      "devnet",
      "--rpc-url",
      chain.anvil.url,
      "--contracts",
      contracts,
      "--oracles",
      "5",
    ]);
    assert.equal(result.code, 1);
    assert.equal(
      result.stderr,
      "Error: --oracles does not apply with --rpc-url: the oracles are the keys in --contracts (oraclePrivateKeys)\n",
    );
    const local = await runCli(["devnet", "--no-publish-config", "--data-dir", dir.path]);
    assert.equal(local.code, 1);
    assert.match(local.stderr, /^Error: --no-publish-config does not apply without --rpc-url/);
  });

  it("says in its summary what it placed, impersonated and assumed, and stops on Ctrl-C", async () => {
    const child = startCli([
      "devnet",
      "--rpc-url",
      chain.anvil.url,
      "--contracts",
      contracts,
      "--no-publish-config",
      "--data-dir",
      join(dir.path, "cli"),
    ]);
    cleanups.push(async () => child.kill("SIGKILL"));
    const result = collect(child, { timeoutMs: 30_000 });
    let stdout = "";
    child.stdout?.on("data", (d: Buffer) => {
      stdout += d.toString();
    });
    const started = Date.now();
    while (!stdout.includes("Press Ctrl-C to stop.")) {
      assert.ok(Date.now() - started < 20_000, `devnet did not come up:\n${stdout}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.match(stdout, /Multicall3: {4}0xcA11bde05977b3631167028862bE2a173976CA11\n/);
    assert.match(
      stdout,
      new RegExp(`Keeper owner: {2}${chain.accounts.deployer.address} \\(impersonated on anvil`),
    );
    assert.match(stdout, /Keeper config: left as it was \(--no-publish-config\)/);
    assert.match(
      stdout,
      /Assumed \(not in --contracts; set the field to change it\):\n {2}genesisForkVersion: 0x/,
    );
    assert.match(stdout, /State: +new, kept in .*cli\/devnet\/state for a restart\n/);
    // The control endpoint works on this path too; with no devnet.json there is no default vault.
    const data = ["--data-dir", join(dir.path, "cli")];
    const bare = await runCli(["devnet", "publish-rewards", "--consensus-reward-eth", "0.2", ...data]);
    assert.equal(bare.code, 1);
    assert.equal(
      bare.stderr,
      "Error: no vault to default to (the devnet runs with --rpc-url): pass --vault\n",
    );
    const vault = await chain.createVault();
    const rewards = await runCli([
      "devnet",
      "publish-rewards",
      "--consensus-reward-eth",
      "0.2",
      "--vault",
      vault.address,
      ...data,
    ]);
    assert.equal(rewards.code, 0, rewards.stderr);
    assert.match(rewards.stdout, new RegExp(`^Rewards published for vault ${vault.address} `));
    child.kill("SIGINT");
    const done = await result;
    assert.equal(done.code, 0, done.stderr);
    assert.match(done.stdout, /Devnet stopped\.\n$/);
  });
});
