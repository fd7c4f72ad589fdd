import { createWalletClient, formatEther } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { vaultAbi } from "../chain/abi/vault.ts";
import {
  checkConsensusEndpoint,
  checkConsensusEndpoints,
  createConsensusClient,
} from "../chain/consensus-client.ts";
import type { ChainLogger } from "../chain/endpoints.ts";
import {
  chainOf,
  checkExecutionEndpoint,
  checkExecutionEndpoints,
  createExecutionClient,
  createExecutionTransport,
} from "../chain/execution-client.ts";
import { ipfsGatewaysFor } from "../chain/ipfs-gateways.ts";
import { createProtocolConfigSource } from "../chain/protocol-config-source.ts";
import { createVaultReader } from "../chain/vault-reader.ts";
import { devnetNetworkFile, readVaultConfig, vaultPaths } from "../config/data-dir.ts";
import { resolveNetwork } from "../config/networks.ts";
import { readDepositDataFile } from "../keys/deposit-data-file.ts";
import { loadHotWallet } from "../keys/hot-wallet-file.ts";
import type { Hex as KeyHex } from "../keys/sources/exit-signer.ts";
import { txValidator, ValidatorsTree } from "../keys/validators-tree.ts";
import { createClock, runEverySlot } from "../lib/clock.ts";
import { OperatorError, UserInputError } from "../lib/errors.ts";
import { toPrefixedHex } from "../lib/hex.ts";
import type { Logger } from "../lib/logger.ts";
import { startMetricsServer } from "../lib/metrics-server.ts";
import { redactUrl } from "../lib/sanitize.ts";
import { NotEnoughOracleAnswersError } from "../oracles/oracle-client.ts";
import { rotateExitSignatures } from "./exit-signatures/rotation.ts";
import { harvestParams } from "./harvest/harvest-params.ts";
import { createKeeperEvents } from "./keeper-events.ts";
import { openKeySource } from "./key-source.ts";
import { createMetrics } from "./metrics.ts";
import { checkSignerAtStart, createOracleSetSource } from "./oracle-set-source.ts";
import { createRegistrationRound, type LoadedOracleSet } from "./registration/registration-round.ts";
import type { RegistrationJournal } from "./registration/tx-sender.ts";
import type { StartSettings } from "./settings.ts";
import { StateStore } from "./state/state-store.ts";
import { createEndpointWatch, type WatchedEndpoint } from "./status/endpoint-watch.ts";
import { OK, type TaskOutcome, waitingFor } from "./status/outcome.ts";
import { type Liveness, serviceHealth } from "./status/service-health.ts";
import { createServiceStatus } from "./status/service-status.ts";

const WEI_PER_GWEI = 1_000_000_000n;
/** Consecutive failed rounds after which /health answers 503. */
const UNHEALTHY_AFTER_ROUNDS = 5;

/**
 * The composition root of `operator start`: startup checks in order (spec §6.1), then one round of
 * tasks per slot that registers validators when the vault can fund them, and beside it a watch on
 * the endpoints. Returns when `signal` aborts; whatever it opened is closed on every way out.
 */
export async function runStartService(
  settings: StartSettings,
  logger: Logger,
  signal: AbortSignal,
): Promise<void> {
  const closers: Array<() => unknown> = [];
  try {
    await runService(settings, logger, signal, closers);
  } finally {
    for (const close of closers.reverse()) await close();
  }
  logger.child({ module: "start" }).info("service stopped");
}

async function runService(
  settings: StartSettings,
  logger: Logger,
  signal: AbortSignal,
  closers: Array<() => unknown>,
): Promise<void> {
  const log = logger.child({ module: "start" });
  const paths = vaultPaths(settings.dataDir, settings.vault);
  const config = await readVaultConfig(paths, settings.vault);
  const network = resolveNetwork(settings.network ?? config.network, {
    devnetFile: devnetNetworkFile(settings.dataDir),
  });
  const epochMs = network.secondsPerSlot * network.slotsPerEpoch * 1000;

  // Local inputs first: they fail fastest and need no node.
  const depositData = await readDepositDataFile(settings.depositDataFile, { vault: settings.vault, network });
  const tree = await ValidatorsTree.build(
    depositData.map((e) => txValidator(e.publicKey, e.signature, e.depositDataRoot)),
  );
  const fileRoot = toPrefixedHex(tree.root);
  const signer = await openKeySource(settings.keySource, { log, signal });
  closers.push(() => signer.close());
  const withKeys = depositData.filter((e) => signer.has(toPrefixedHex(e.publicKey))).length;
  if (withKeys === 0) {
    throw new UserInputError(
      settings.keySource.remoteSignerUrl || settings.keySource.hashiVault
        ? `none of the ${depositData.length} deposit data keys is in the ${signer.description}: load the keys of this deposit data there`
        : `none of the ${depositData.length} deposit data keys has a keystore in ${settings.keystoresDir}: pass --keystores-dir with the keystores of this deposit data`,
    );
  }
  // The one line the seeds show for this step ("Using remote signer at … for 10 public keys"); its
  // fields carry the same facts for log queries.
  log.info(`Using ${signer.description} for ${signer.size} public keys`, {
    source: signer.description,
    keys: signer.size,
    depositDataKeys: withKeys,
  });
  const wallet = await loadHotWallet({
    walletFile: settings.hotWalletFile,
    passwordFile: settings.hotWalletPasswordFile,
  });

  // Nodes: every endpoint reachable, synced and on this network.
  await checkExecutionEndpoints(settings.executionEndpoints, network);
  await checkConsensusEndpoints(settings.consensusEndpoints, network);
  // A request that falls through to the next endpoint is a detail: the endpoint watch says once
  // when an endpoint is down and why, and a round that fails says so itself.
  const endpointLog: ChainLogger = { warn: (message, context, error) => log.debug(message, context, error) };
  const execution = createExecutionClient({
    endpoints: settings.executionEndpoints,
    network,
    logger: endpointLog,
  });
  const consensus = createConsensusClient({ endpoints: settings.consensusEndpoints, logger: endpointLog });
  const reader = createVaultReader({ client: execution, network });
  const vaultState = await reader.readVault(settings.vault).catch((error: unknown) => {
    throw new UserInputError(
      `${settings.vault} does not answer like a vault on ${network.name}: check --vault and --network`,
      { cause: error },
    );
  });
  if (vaultState.validatorsRoot.toLowerCase() !== fileRoot.toLowerCase()) {
    const devnetFix = network.name === "devnet" ? ` (on the devnet: operator devnet set-root)` : "";
    throw new UserInputError(
      `the deposit data file's root ${fileRoot} is not the vault's validators root ${vaultState.validatorsRoot}: upload ${settings.depositDataFile} to the vault (setValidatorsRoot with the root from get-validators-root${devnetFix}), or pass the --deposit-data-file that was uploaded`,
    );
  }
  const next = depositData[vaultState.validatorIndex];
  // Before anything is written: the signer answers, holds the next key, its password is right.
  if (next) await signer.check([toPrefixedHex(next.publicKey) as KeyHex]);

  const account = privateKeyToAccount(toPrefixedHex(wallet.privateKey));
  wallet.privateKey.fill(0);
  const sender = createWalletClient({
    account,
    chain: chainOf(network),
    // The same failover as reads: a transaction goes out through the first endpoint that answers.
    transport: createExecutionTransport({ endpoints: settings.executionEndpoints, logger: endpointLog }),
    pollingInterval: Math.max(250, (network.secondsPerSlot * 1000) / 4),
    cacheTime: 0,
  });
  const balance = await execution.getBalance({ address: account.address });
  if (balance < network.walletMinBalanceWei) {
    log.warn("hot wallet balance is low", {
      address: account.address,
      balance: formatEther(balance),
      gasToken: network.gasToken,
    });
  }

  // The state belongs to one chain: a devnet restarted with the same data dir is another chain.
  const genesisBlock = await execution.getBlock({ blockNumber: 0n }).catch((error: unknown) => {
    throw new OperatorError("cannot read the genesis block through --execution-endpoints", {
      cause: error,
      retryable: true,
    });
  });
  const store = StateStore.open({
    file: settings.databaseFile,
    network: network.name,
    vault: settings.vault,
    chain: { chainId: network.chainId, genesisHash: genesisBlock.hash },
  });
  closers.push(() => store.close());
  const journal: RegistrationJournal = {
    recordSigned: (e) => store.recordSignedRegistration(e).id,
    markSent: (id) => store.markSent(id),
    markMined: (id) => store.markMined(id),
    markFailed: (id) => store.markFailed(id),
    markDropped: (id) => store.markDropped(id),
    openRegistrations: () => store.openRegistrations(),
  };
  const metrics = createMetrics({ network: network.name });
  const status = createServiceStatus({
    log,
    metrics,
    repeatMs: epochMs,
    unhealthyAfterRounds: UNHEALTHY_AFTER_ROUNDS,
  });
  const watched: WatchedEndpoint[] = [
    ...settings.executionEndpoints.map((url) => ({
      kind: "execution" as const,
      endpoint: redactUrl(url),
      check: () => checkExecutionEndpoint(url, network, { timeoutMs: 5_000 }),
    })),
    ...settings.consensusEndpoints.map((url) => ({
      kind: "consensus" as const,
      endpoint: redactUrl(url),
      check: () => checkConsensusEndpoint(url, network, { timeoutMs: 5_000 }),
    })),
  ];
  const endpoints = createEndpointWatch({ endpoints: watched, log, metrics, repeatMs: epochMs });
  const liveness: Liveness = {
    vault: settings.vault,
    startedAt: Date.now(),
    lastSlot: undefined,
    lastSlotAt: undefined,
  };
  let metricsUrl: string | undefined;
  if (settings.enableMetrics) {
    const metricsServer = await startMetricsServer({
      host: settings.metricsHost,
      port: settings.metricsPort,
      registry: metrics.registry,
      signal,
      logger: log,
      health: async () =>
        serviceHealth({ liveness, secondsPerSlot: network.secondsPerSlot, endpoints, status }),
    });
    closers.push(() => metricsServer.close());
    metricsUrl = metricsServer.url;
  }
  const keeperEvents = createKeeperEvents({
    client: execution,
    network,
    vault: settings.vault,
    logger: endpointLog,
  });
  const ipfsGateways = ipfsGatewaysFor(network, settings.ipfsEndpoints);
  const configSource = createProtocolConfigSource({
    client: execution,
    network,
    ipfs: { gateways: ipfsGateways, logger: endpointLog },
  });

  const genesis = await consensus.getGenesis();
  const clock = createClock({
    genesisTime: genesis.genesisTime,
    secondsPerSlot: network.secondsPerSlot,
    slotsPerEpoch: network.slotsPerEpoch,
  });
  const loadOracleSet = createOracleSetSource(configSource, log);
  if (next)
    await checkSignerAtStart(signer, toPrefixedHex(next.publicKey) as KeyHex, loadOracleSet, signal, log);
  metrics.serviceStarted.set(1);
  log.info("service started", {
    vault: settings.vault,
    network: network.name,
    wallet: account.address,
    depositDataEntries: depositData.length,
    validatorKeys: signer.size,
    ipfsGateways: ipfsGateways.map(redactUrl),
    ...(metricsUrl ? { metrics: metricsUrl } : {}),
  });
  let lastOracleSet: LoadedOracleSet | undefined;
  const registrationRound = createRegistrationRound({
    vault: settings.vault,
    network,
    ipfsGateways,
    maxFeePerGasGwei: settings.maxFeePerGasGwei ?? network.maxFeePerGasGwei,
    oracleTimeoutMs: settings.oracleTimeoutMs,
    depositDataFile: settings.depositDataFile,
    execution,
    reader,
    store,
    journal,
    sender,
    signer,
    keeperEvents,
    depositData,
    tree,
    fileRoot,
    metrics,
    oracleSet: async (taskSignal) => {
      lastOracleSet = await loadOracleSet(taskSignal);
      return lastOracleSet;
    },
    log: log.child({ module: "registration" }),
  });
  const rotationLog = log.child({ module: "exit-signatures" });
  const harvestLog = log.child({ module: "harvest" });
  /** One task of the slot: what it came to goes to the status, which logs and counts it; never fatal. */
  const runTask = async (task: string, work: () => Promise<TaskOutcome | undefined>) => {
    const end = metrics.taskDuration.startTimer({ task });
    try {
      status.record(task, (await work()) ?? OK);
    } catch (error) {
      if (!signal.aborted) status.record(task, { kind: "failed", error });
    } finally {
      end();
    }
  };
  const slotLoop = runEverySlot(
    async (slot, taskSignal) => {
      metrics.slotNumber.set(slot);
      liveness.lastSlot = slot;
      liveness.lastSlotAt = Date.now();
      await runTask("wallet", async () => {
        const balance = await execution.getBalance({ address: account.address });
        metrics.walletBalance.set(Number(balance / WEI_PER_GWEI));
        if (balance < network.walletMinBalanceWei) {
          log
            .throttled("wallet-low", epochMs)
            .warn("hot wallet balance is low: top it up or registrations will fail", {
              address: account.address,
              balance: formatEther(balance),
              gasToken: network.gasToken,
            });
        }
        return OK;
      });
      await runTask("registration", () => registrationRound(taskSignal));
      if (settings.harvestVault) {
        await runTask("harvest", async () => {
          if (!(await reader.canHarvest(settings.vault))) return OK;
          const snapshot = await reader.readVault(settings.vault);
          const hp = await harvestParams(
            {
              client: execution,
              network,
              vault: settings.vault,
              mevEscrow: snapshot.mevEscrow,
              ipfsGateways,
              lastRewardsUpdate: keeperEvents.lastRewardsUpdate,
            },
            taskSignal,
          );
          if (!hp) return OK;
          const hash = await sender.writeContract({
            address: settings.vault,
            abi: vaultAbi,
            functionName: "updateState",
            args: [hp],
          });
          const receipt = await execution.waitForTransactionReceipt({ hash });
          harvestLog.info("vault harvested", { txHash: hash, status: receipt.status });
          return OK;
        });
      }
      await runTask("exit-signatures", async () => {
        if (!lastOracleSet) return OK;
        const current = lastOracleSet;
        const outdated = await rotateExitSignatures(
          {
            network,
            vault: settings.vault,
            client: execution,
            sender,
            oracles: () => current,
            publicKeysOf: async (indexes) =>
              (await consensus.getValidators(indexes)).map((v) => ({
                index: v.index,
                publicKey: v.pubkey as `0x${string}`,
              })),
            signer,
            lastUpdateBlock: keeperEvents.lastExitSignaturesUpdateBlock,
            timeoutMs: settings.oracleTimeoutMs,
            log: rotationLog,
          },
          taskSignal,
        ).catch(waitForOracleReports);
        if (typeof outdated !== "number") return outdated;
        metrics.outdatedSignatures.set(outdated);
        return OK;
      });
      status.endRound();
    },
    {
      clock,
      signal,
      name: "slot",
      logger: log,
      onSkipped: (skipped) => metrics.skippedSlots.inc({ task: "slot" }, skipped),
      onError: (error) => status.record("slot", { kind: "failed", error }),
    },
  );
  const watchLoop = runEverySlot(() => endpoints.check(), {
    clock,
    signal,
    name: "endpoint-watch",
    logger: log,
    onError: (error) => log.throttled("endpoint-watch", epochMs).warn("endpoint watch failed", {}, error),
  });
  await Promise.all([slotLoop, watchLoop]);
}

/** Too few oracles answered the rotation's query: a wait, told once, not a failed round. */
function waitForOracleReports(error: unknown): TaskOutcome {
  if (error instanceof NotEnoughOracleAnswersError) return waitingFor("oracle-reports", error.message);
  throw error;
}
