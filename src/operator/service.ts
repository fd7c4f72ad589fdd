import { createWalletClient, formatEther, type LocalAccount } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { checkConsensusEndpoints, createConsensusClient } from "../chain/consensus-client.ts";
import type { ChainLogger } from "../chain/endpoints.ts";
import {
  chainOf,
  checkExecutionEndpoints,
  createExecutionClient,
  createExecutionTransport,
} from "../chain/execution-client.ts";
import { ipfsGatewaysFor } from "../chain/ipfs-gateways.ts";
import { createProtocolConfigSource } from "../chain/protocol-config-source.ts";
import { createVaultReader } from "../chain/vault-reader.ts";
import { createVaultStateReader } from "../chain/vault-state-reader.ts";
import { devnetNetworkFile, readVaultConfig, vaultPaths } from "../config/data-dir.ts";
import { resolveNetwork } from "../config/networks.ts";
import { loadHotWallet, readHotWalletAddress } from "../keys/hot-wallet-file.ts";
import { createClock } from "../lib/clock.ts";
import { OperatorError } from "../lib/errors.ts";
import { toPrefixedHex } from "../lib/hex.ts";
import type { Logger } from "../lib/logger.ts";
import { startMetricsServer } from "../lib/metrics-server.ts";
import { redactUrl } from "../lib/sanitize.ts";
import { createOracleSetReader } from "../oracles/oracle-set.ts";
import { followDeposits } from "./deposit-scan.ts";
import { openVaultFlow, type VaultReadAt } from "./flows/open-vault-flow.ts";
import type { VaultFlow } from "./flows/vault-flow.ts";
import { harvestParams } from "./harvest/harvest-params.ts";
import { createKeeperEvents } from "./keeper-events.ts";
import { managedVaultTasks } from "./managed-tasks.ts";
import {
  type ManagerSignatures,
  managerChainView,
  relayerManagerSignatures,
  walletIsManager,
} from "./manager-signatures.ts";
import { createMetrics } from "./metrics.ts";
import { type OnceRun, unsigningAccount } from "./once-run.ts";
import type { RoundTask } from "./round-context.ts";
import { runServiceLoops } from "./service-loops.ts";
import { openServiceSigner } from "./service-signer.ts";
import { openServiceState } from "./service-state.ts";
import type { StartSettings } from "./settings.ts";
import { checkSignerAtStart } from "./signer-check.ts";
import { createSlotRound } from "./slot-round.ts";
import { slotTasks } from "./slot-tasks.ts";
import { createSnapshotSource, type SlotSnapshot, type SnapshotVault } from "./snapshot.ts";
import { withLeaderRole } from "./state/open-service-store.ts";
import { createEndpointWatch, watchedNodeEndpoints } from "./status/endpoint-watch.ts";
import { type Liveness, serviceHealth } from "./status/service-health.ts";
import { createServiceStatus } from "./status/service-status.ts";
import { viemTxChain } from "./tx/tx-chain.ts";

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
  once?: OnceRun,
): Promise<void> {
  const closers: Array<() => unknown> = [];
  try {
    await runService(settings, logger, signal, closers, once);
  } finally {
    for (const close of closers.reverse()) await close();
  }
  if (!once) logger.child({ module: "start" }).info("service stopped");
}

async function runService(
  settings: StartSettings,
  logger: Logger,
  signal: AbortSignal,
  closers: Array<() => unknown>,
  once: OnceRun | undefined,
): Promise<void> {
  const log = logger.child({ module: "start" });
  const paths = vaultPaths(settings.dataDir, settings.vault);
  const config = await readVaultConfig(paths, settings.vault);
  const network = resolveNetwork(settings.network ?? config.network, {
    devnetFile: devnetNetworkFile(settings.dataDir),
  });
  const epochMs = network.secondsPerSlot * network.slotsPerEpoch * 1000;

  const { signer, relayer, legacyEndpoint } = await openServiceSigner({
    settings,
    network,
    log,
    signal,
    epochMs,
  });
  closers.push(() => signer.close());
  // The one line the seeds show for this step ("Using remote signer at … for 10 public keys"); its
  // fields carry the same facts for log queries.
  log.info(`Using ${signer.description} for ${signer.size} public keys`, {
    source: signer.description,
    keys: signer.size,
  });
  // One round that sends nothing (status, start --dry-run) needs the wallet's address, not its key.
  const wallet = once
    ? undefined
    : await loadHotWallet({
        walletFile: settings.hotWalletFile,
        passwordFile: settings.hotWalletPasswordFile,
      });

  // Nodes: every endpoint reachable, synced and on this network.
  const jwtSecret = settings.executionJwtSecret;
  await checkExecutionEndpoints(settings.executionEndpoints, network, { jwtSecret });
  await checkConsensusEndpoints(settings.consensusEndpoints, network);
  // A request that falls through to the next endpoint is a detail: the endpoint watch says once
  // when an endpoint is down and why, and a round that fails says so itself.
  const endpointLog: ChainLogger = { warn: (message, context, error) => log.debug(message, context, error) };
  const execution = createExecutionClient({
    endpoints: settings.executionEndpoints,
    jwtSecret,
    network,
    logger: endpointLog,
  });
  const consensus = createConsensusClient({ endpoints: settings.consensusEndpoints, logger: endpointLog });
  const reader = createVaultReader({ client: execution, network });
  let localAccount: LocalAccount | undefined;
  if (wallet) {
    localAccount = privateKeyToAccount(toPrefixedHex(wallet.privateKey));
    wallet.privateKey.fill(0);
  }
  const account = localAccount ?? unsigningAccount(await readHotWalletAddress(settings.hotWalletFile));
  // The vault says which flow registers its validators (version, validators manager): its checks,
  // then its plan and calls.
  const opened = await openVaultFlow({
    settings,
    network,
    signer,
    reader,
    stateReader: createVaultStateReader({ client: execution, network }),
    wallet: account,
    relayer,
    legacyRelayer: legacyEndpoint,
    log,
  });
  const senderClient = createWalletClient({
    // Without the key (status, --dry-run) the client only reads: nothing is signed through it.
    account: localAccount ?? account.address,
    chain: chainOf(network),
    // The same failover as reads: a transaction goes out through the first endpoint that answers.
    transport: createExecutionTransport({
      endpoints: settings.executionEndpoints,
      jwtSecret,
      logger: endpointLog,
    }),
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
  const txChain = viemTxChain(senderClient);
  const metrics = createMetrics({ network: network.name, prefix: `${settings.metricsPrefix}_` });
  const { store, description, sender, journal, leader, view, dryRun, close } = await openServiceState({
    settings,
    network,
    chain: { chainId: network.chainId, genesisHash: genesisBlock.hash },
    txChain,
    once,
    log,
    onRole: (role) => metrics.leader.set(role === "leader" ? 1 : 0),
  });
  closers.push(close);
  const status = createServiceStatus({
    log,
    metrics,
    repeatMs: epochMs,
    unhealthyAfterRounds: UNHEALTHY_AFTER_ROUNDS,
  });
  const watched = watchedNodeEndpoints(settings.executionEndpoints, settings.consensusEndpoints, network, {
    jwtSecret,
  });
  const endpoints = createEndpointWatch({ endpoints: watched, log, metrics, repeatMs: epochMs });
  const liveness: Liveness = {
    vault: settings.vault,
    startedAt: Date.now(),
    lastSlot: undefined,
    lastSlotAt: undefined,
  };
  let metricsUrl: string | undefined;
  if (settings.enableMetrics && !once) {
    const metricsServer = await startMetricsServer({
      host: settings.metricsHost,
      port: settings.metricsPort,
      registry: metrics.registry,
      signal,
      logger: log,
      health: async () =>
        withLeaderRole(
          serviceHealth({ liveness, secondsPerSlot: network.secondsPerSlot, endpoints, status }),
          leader,
        ),
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
  const readOracleSet = createOracleSetReader(
    createProtocolConfigSource({
      client: execution,
      network,
      ipfs: { gateways: ipfsGateways, logger: endpointLog },
    }),
  );
  const oracles = async (taskSignal: AbortSignal) => {
    const { set, changed } = await readOracleSet(taskSignal);
    if (changed) {
      log.info("oracle set loaded", { configIpfsHash: set.configIpfsHash, oracles: set.targets.length });
    }
    return set;
  };

  const genesis = await consensus.getGenesis();
  const clock = createClock({
    genesisTime: genesis.genesisTime,
    secondsPerSlot: network.secondsPerSlot,
    slotsPerEpoch: network.slotsPerEpoch,
  });
  if (opened.nextKey && !once) await checkSignerAtStart(signer, opened.nextKey, oracles, signal, log);
  let lastSnapshot: SlotSnapshot<SnapshotVault> | undefined;
  let lastUnusedKeys: number | undefined;

  /** The slot's snapshot, tasks and round for the vault's flow and its reading of the vault. */
  const roundFor = <V extends SnapshotVault>(
    flow: VaultFlow<unknown, V>,
    readVault: VaultReadAt<V>,
    around: { beforeRegistration: RoundTask<V>[]; afterRegistration: RoundTask<V>[] } = {
      beforeRegistration: [],
      afterRegistration: [],
    },
  ) => {
    const source = createSnapshotSource<V>({
      vault: settings.vault,
      head: async () => {
        const block = await execution.getBlock();
        return { number: block.number, timestamp: Number(block.timestamp) };
      },
      readVault,
      deposits: (head) =>
        followDeposits({ client: execution, network, store, head, candidates: () => signer.publicKeys() }),
      oracles,
      harvestParams: (vault, taskSignal) =>
        harvestParams(
          {
            client: execution,
            network,
            vault: settings.vault,
            mevEscrow: vault.mevEscrow,
            ipfsGateways,
            lastRewardsUpdate: keeperEvents.lastRewardsUpdate,
          },
          taskSignal,
        ),
      assetsAfterHarvest: (vault, params, block) =>
        reader.simulateHarvestThenAssets(vault, params, { blockNumber: block }),
      fees: () => txChain.fees(),
      balance: () => txChain.balance(),
    });
    const snapshots = {
      async read(taskSignal: AbortSignal) {
        const snapshot = await source.read(taskSignal);
        lastSnapshot = snapshot;
        lastUnusedKeys = flow.unusedKeys(snapshot);
        return snapshot;
      },
    };
    // The relayer's keys are not the operator's to re-sign exits with; a legacy relayer signs exits
    // only for the next validator indexes it is asked for, never again for registered ones.
    const tasks = slotTasks<V>(
      {
        flow,
        around,
        once: once?.purpose,
        vault: settings.vault,
        registration: !settings.v5.disableValidatorsRegistration,
        harvest: settings.harvestVault,
        rotation: !relayer && !legacyEndpoint,
        oracleTimeoutMs: settings.oracleTimeoutMs,
      },
      { network, signer, sender, metrics, log, dryRun, consensus, execution, keeperEvents, oracles },
    );
    return createSlotRound<V>({
      snapshots,
      sender,
      flow,
      tasks,
      status,
      liveness,
      metrics,
      hotWallet: {
        address: account.address,
        minBalanceWei: network.walletMinBalanceWei,
        gasToken: network.gasToken,
      },
      repeatMs: epochMs,
      log,
    });
  };
  // Top-ups and withdrawals need the validators manager's signature: none when it is the wallet,
  // the relayer's when it holds the manager key; the registry's vaults have no manager.
  const managedTasks = (manager: ManagerSignatures) =>
    managedVaultTasks({
      settings,
      network,
      vault: settings.vault,
      wallet: account.address,
      manager,
      execution,
      consensus,
      sender,
      store,
      metrics,
      oracles,
      log,
    });
  const round =
    opened.kind === "validators-root"
      ? roundFor(opened.flow, opened.readVault)
      : opened.kind === "deposit-data-registry"
        ? roundFor(opened.flow, opened.readVault)
        : opened.kind === "relayer" && relayer
          ? roundFor(
              opened.flow,
              opened.readVault,
              managedTasks(relayerManagerSignatures(relayer, managerChainView(execution, network.chainId))),
            )
          : roundFor(opened.flow, opened.readVault, managedTasks(walletIsManager));
  const { flow } = opened;
  if (relayer || legacyEndpoint) {
    log.info("exit signature rotation is off: the relayer's sidecars sign exits for new validators only", {
      relayer: settings.relayerEndpoint,
      protocol: settings.relayerProtocol,
    });
  }

  if (once) {
    // openServiceState opened the file read-only for it.
    if (!view) throw new Error("one round without a read-only state view");
    const slot = clock.currentSlot();
    await round(slot, signal);
    await once.report({
      network,
      flow: { kind: opened.kind, name: flow.name },
      version: opened.version,
      wallet: account.address,
      slot,
      snapshot: lastSnapshot,
      // A relayer holds the keys: how many are unused is its to tell.
      unusedKeys: relayer ? undefined : lastUnusedKeys,
      tasks: status.health().tasks,
      dryRun,
      state: view,
      execution,
      consensus,
      oracles: (taskSignal) => oracles(taskSignal),
    });
    return;
  }
  metrics.serviceStarted.set(1);
  if (!leader) metrics.leader.set(1);
  log.info("service started", {
    vault: settings.vault,
    network: network.name,
    flow: flow.name,
    wallet: account.address,
    validatorKeys: signer.size,
    ipfsGateways: ipfsGateways.map(redactUrl),
    ...(metricsUrl ? { metrics: metricsUrl } : {}),
    state: description,
  });
  if (leader && journal) {
    // The standby waits here; the leader's first round settles what the previous one left open.
    await leader.acquire(signal).catch((error: unknown) => {
      if (!signal.aborted) throw error;
    });
    if (signal.aborted) return;
    const open = await journal.openTransactions();
    if (open.length > 0) log.info("settling the previous leader's open transactions", { count: open.length });
  }
  const loopSignal = leader ? AbortSignal.any([signal, leader.lost]) : signal;
  await runServiceLoops({ clock, signal: loopSignal, round, endpoints, metrics, status, log, epochMs });
  if (leader?.lost.aborted) throw leader.lost.reason;
}
