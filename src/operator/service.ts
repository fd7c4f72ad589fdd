import { type Address, createWalletClient, formatEther, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { vaultAbi } from "../chain/abi/vault.ts";
import { checkConsensusEndpoints, createConsensusClient } from "../chain/consensus-client.ts";
import {
  chainOf,
  checkExecutionEndpoints,
  createExecutionClient,
  createExecutionTransport,
} from "../chain/execution-client.ts";
import { createProtocolConfigSource } from "../chain/protocol-config-source.ts";
import { createVaultReader, updateStateCallData } from "../chain/vault-reader.ts";
import { devnetNetworkFile, readVaultConfig, vaultPaths } from "../config/data-dir.ts";
import { type NetworkConfig, resolveNetwork } from "../config/networks.ts";
import { oracleAddress } from "../crypto/secp256k1-keys.ts";
import { readDepositDataFile } from "../keys/deposit-data-file.ts";
import { loadHotWallet } from "../keys/hot-wallet-file.ts";
import type { ExitSigner, Hex as KeyHex } from "../keys/sources/exit-signer.ts";
import { txValidator, ValidatorsTree } from "../keys/validators-tree.ts";
import { createClock, runEverySlot } from "../lib/clock.ts";
import { UserInputError } from "../lib/errors.ts";
import { parseHex, toPrefixedHex } from "../lib/hex.ts";
import type { Logger } from "../lib/logger.ts";
import { startMetricsServer } from "../lib/metrics-server.ts";
import { prepareOracleRecipients } from "../oracles/exit-shares.ts";
import { parseProtocolConfig } from "../oracles/protocol-config.ts";
import { followDeposits } from "./deposit-scan.ts";
import { rotateExitSignatures } from "./exit-signatures/rotation.ts";
import { harvestParams } from "./harvest/harvest-params.ts";
import { createKeeperEvents, type KeeperEvents } from "./keeper-events.ts";
import { openKeySource } from "./key-source.ts";
import { createMetrics } from "./metrics.ts";
import { planRegistration } from "./registration/plan.ts";
import { type OracleSet, prepareRegistration } from "./registration/register-validators.ts";
import {
  checkFeeCap,
  checkWalletCanPay,
  type RegistrationJournal,
  sendRegistration,
  settleOpenRegistrations,
} from "./registration/tx-sender.ts";
import type { StartSettings } from "./settings.ts";
import { StateStore } from "./state/state-store.ts";

const WEI_PER_GWEI = 1_000_000_000n;

/**
 * The composition root of `operator start`: startup checks in order (spec §6.1), then one task per
 * slot that registers validators when the vault can fund them. Returns when `signal` aborts.
 */
export async function runStartService(
  settings: StartSettings,
  logger: Logger,
  signal: AbortSignal,
): Promise<void> {
  const log = logger.child({ module: "start" });
  const paths = vaultPaths(settings.dataDir, settings.vault);
  const config = await readVaultConfig(paths, settings.vault);
  const network = resolveNetwork(settings.network ?? config.network, {
    devnetFile: devnetNetworkFile(settings.dataDir),
  });

  // Local inputs first: they fail fastest and need no node.
  const depositData = await readDepositDataFile(settings.depositDataFile, { vault: settings.vault, network });
  const tree = await ValidatorsTree.build(
    depositData.map((e) => txValidator(e.publicKey, e.signature, e.depositDataRoot)),
  );
  const fileRoot = toPrefixedHex(tree.root);
  const signer = await openKeySource(settings.keySource, { log, signal });
  const withKeys = depositData.filter((e) => signer.has(toPrefixedHex(e.publicKey))).length;
  if (withKeys === 0) {
    await signer.close();
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
  // An endpoint that is down fails every request: say so once a minute, not per request.
  const endpointLog = log.throttled("endpoint-failed", 60_000);
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
    throw new UserInputError(
      `the deposit data file's root ${fileRoot} is not the vault's validators root ${vaultState.validatorsRoot}: upload ${settings.depositDataFile} to the vault (setValidatorsRoot with the root from get-validators-root), or pass the --deposit-data-file that was uploaded`,
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

  const store = StateStore.open({
    file: settings.databaseFile,
    network: network.name,
    vault: settings.vault,
  });
  const journal: RegistrationJournal = {
    recordSigned: (e) => store.recordSignedRegistration(e).id,
    markSent: (id) => store.markSent(id),
    markMined: (id) => store.markMined(id),
    markFailed: (id) => store.markFailed(id),
    markDropped: (id) => store.markDropped(id),
    openRegistrations: () => store.openRegistrations(),
  };
  const metrics = createMetrics({ network: network.name });
  const liveness: Liveness = {
    vault: settings.vault,
    startedAt: Date.now(),
    lastSlot: undefined,
    lastSlotAt: undefined,
  };
  const metricsServer = settings.enableMetrics
    ? await startMetricsServer({
        host: settings.metricsHost,
        port: settings.metricsPort,
        registry: metrics.registry,
        signal,
        logger: log,
        health: async () => serviceHealth(liveness, network.secondsPerSlot),
      })
    : undefined;
  const keeperEvents = createKeeperEvents({
    client: execution,
    network,
    vault: settings.vault,
    logger: endpointLog,
  });
  const configSource = createProtocolConfigSource({
    client: execution,
    network,
    ipfs: { gateways: settings.ipfsEndpoints, logger: log },
  });

  try {
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
      metrics: metricsServer?.url,
    });
    let lastOracleSet: LoadedOracleSet | undefined;
    const oracleSet = async (taskSignal: AbortSignal) => {
      lastOracleSet = await loadOracleSet(taskSignal);
      return lastOracleSet;
    };
    const registrationTask = createRegistrationTask({
      settings,
      network,
      execution,
      reader,
      configSource,
      store,
      journal,
      sender,
      signer,
      keeperEvents,
      depositData,
      tree,
      fileRoot,
      metrics,
      oracleSet,
      log: log.child({ module: "registration" }),
    });
    const rotationLog = log.child({ module: "exit-signatures" });
    const harvestLog = log.child({ module: "harvest" });
    /** One task of the slot: a failure is logged (once per slot at most) and counted, never fatal. */
    const runTask = async (task: string, work: () => Promise<void>) => {
      const end = metrics.taskDuration.startTimer({ task });
      try {
        await work();
      } catch (error) {
        if (signal.aborted) return;
        metrics.exceptions.inc({ task });
        log.throttled(`${task}-error`, network.secondsPerSlot * 1000).warn(`${task} failed`, {}, error);
      } finally {
        end();
      }
    };
    await runEverySlot(
      async (slot, taskSignal) => {
        metrics.slotNumber.set(slot);
        liveness.lastSlot = slot;
        liveness.lastSlotAt = Date.now();
        await runTask("wallet", async () => {
          const balance = await execution.getBalance({ address: account.address });
          metrics.walletBalance.set(Number(balance));
          if (balance < network.walletMinBalanceWei) {
            log
              .throttled("wallet-low", network.secondsPerSlot * 1000 * network.slotsPerEpoch)
              .warn("hot wallet balance is low: top it up or registrations will fail", {
                address: account.address,
                balance: formatEther(balance),
                gasToken: network.gasToken,
              });
          }
        });
        await runTask("registration", () => registrationTask(taskSignal));
        if (settings.harvestVault) {
          await runTask("harvest", async () => {
            if (!(await reader.canHarvest(settings.vault))) return;
            const snapshot = await reader.readVault(settings.vault);
            const hp = await harvestParams(
              {
                client: execution,
                network,
                vault: settings.vault,
                mevEscrow: snapshot.mevEscrow,
                ipfsGateways: settings.ipfsEndpoints,
                lastRewardsUpdate: keeperEvents.lastRewardsUpdate,
              },
              taskSignal,
            );
            if (!hp) return;
            const hash = await sender.writeContract({
              address: settings.vault,
              abi: vaultAbi,
              functionName: "updateState",
              args: [hp],
            });
            const receipt = await execution.waitForTransactionReceipt({ hash });
            harvestLog.info("vault harvested", { txHash: hash, status: receipt.status });
          });
        }
        await runTask("exit-signatures", async () => {
          if (!lastOracleSet) return;
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
                  publicKey: v.pubkey as Hex,
                })),
              signer,
              lastUpdateBlock: keeperEvents.lastExitSignaturesUpdateBlock,
              timeoutMs: settings.oracleTimeoutMs,
              log: rotationLog,
            },
            taskSignal,
          );
          metrics.outdatedSignatures.set(outdated);
        });
      },
      {
        clock,
        signal,
        name: "slot",
        logger: log,
        onSkipped: (skipped) => metrics.skippedSlots.inc({ task: "slot" }, skipped),
        onError: (error) => {
          metrics.exceptions.inc({ task: "slot" });
          log.throttled("slot-error", network.secondsPerSlot * 1000).warn("slot tasks failed", {}, error);
        },
      },
    );
  } finally {
    await metricsServer?.close();
    await signer.close();
    store.close();
    log.info("service stopped");
  }
}

/** What /health reports: the slot loop is alive when it began a slot recently. */
interface Liveness {
  vault: Address;
  startedAt: number;
  lastSlot: number | undefined;
  lastSlotAt: number | undefined;
}

/** Slots the loop may miss (a slow node, a long registration) before /health says 503. */
const HEALTHY_SLOT_LAG = 5;

function serviceHealth(liveness: Liveness, secondsPerSlot: number, now = Date.now()) {
  const since = liveness.lastSlotAt ?? liveness.startedAt;
  const ageSeconds = Math.round((now - since) / 1000);
  const ok = now - since <= HEALTHY_SLOT_LAG * secondsPerSlot * 1000;
  return {
    ok,
    details: {
      vault: liveness.vault,
      lastSlot: liveness.lastSlot ?? null,
      secondsSinceLastSlot: ageSeconds,
      ...(ok ? {} : { error: `no slot began for ${ageSeconds} s (limit ${HEALTHY_SLOT_LAG} slots)` }),
    },
  };
}

interface RegistrationTaskDeps {
  settings: StartSettings;
  network: NetworkConfig;
  execution: ReturnType<typeof createExecutionClient>;
  reader: ReturnType<typeof createVaultReader>;
  configSource: ReturnType<typeof createProtocolConfigSource>;
  store: StateStore;
  journal: RegistrationJournal;
  sender: Parameters<typeof sendRegistration>[0]["client"];
  signer: ExitSigner;
  keeperEvents: KeeperEvents;
  depositData: Awaited<ReturnType<typeof readDepositDataFile>>;
  tree: ValidatorsTree;
  fileRoot: Hex;
  metrics: ReturnType<typeof createMetrics>;
  log: Logger;
  oracleSet: (signal: AbortSignal) => Promise<LoadedOracleSet>;
}

export interface LoadedOracleSet extends OracleSet {
  batchLimit: number;
  rotationBatchLimit: number;
}

/**
 * Checks at startup, once the oracle set loads, that the signer can sign the next key's exit for
 * it (a remote signer's shares were made for its oracle count and threshold), so outdated shares
 * stop the service with one line instead of failing every registration. For local keys this
 * repeats the first check from the key cache.
 */
async function checkSignerAtStart(
  signer: ExitSigner,
  publicKey: KeyHex,
  loadOracleSet: (signal: AbortSignal) => Promise<LoadedOracleSet>,
  signal: AbortSignal,
  log: Logger,
): Promise<void> {
  let oracles: LoadedOracleSet;
  try {
    oracles = await loadOracleSet(signal);
  } catch (error) {
    if (signal.aborted) return;
    log.warn("oracle set not loaded at startup: the shares are checked at the first registration", {}, error);
    return;
  }
  await signer.check([publicKey], { count: oracles.recipients.length, threshold: oracles.recoverThreshold });
}

/** The oracle set of the Keeper's last config, reloaded only when the config changes. */
function createOracleSetSource(
  configSource: ReturnType<typeof createProtocolConfigSource>,
  log: Logger,
): (signal: AbortSignal) => Promise<LoadedOracleSet> {
  let cached: { hash: string; set: LoadedOracleSet } | undefined;
  return async (signal) => {
    const snapshot = await configSource.read({ signal });
    if (cached?.hash !== snapshot.configIpfsHash) {
      const parsed = parseProtocolConfig(
        snapshot.json,
        snapshot.validatorsMinOracles,
        `ipfs://${snapshot.configIpfsHash}`,
      );
      cached = {
        hash: snapshot.configIpfsHash,
        set: {
          targets: parsed.oracles.map((o) => ({
            address: oracleAddress(parseHex(o.publicKey) as Uint8Array) as Address,
            endpoints: o.endpoints,
          })),
          recipients: prepareOracleRecipients(parsed.oracles),
          recoverThreshold: parsed.exitSignatureRecoverThreshold,
          validatorsMinOracles: snapshot.validatorsMinOracles,
          signatureValidityPeriod: parsed.signatureValidityPeriod,
          batchLimit: parsed.validatorsApprovalBatchLimit,
          rotationBatchLimit: parsed.validatorsExitRotationBatchLimit,
        },
      };
      log.info("oracle set loaded", {
        configIpfsHash: snapshot.configIpfsHash,
        oracles: parsed.oracles.length,
      });
    }
    return cached.set;
  };
}

/** One slot of the registration task: settle, follow deposits, plan, ask the oracles, send. */
function createRegistrationTask(d: RegistrationTaskDeps) {
  const { network, settings, log } = d;
  const depositWei = BigInt(network.validatorDepositGwei) * WEI_PER_GWEI;
  const maxFeePerGasWei = BigInt(Math.round((settings.maxFeePerGasGwei ?? network.maxFeePerGasGwei) * 1e9));
  return async (signal: AbortSignal) => {
    if (!(await settleOpenRegistrations(d.sender, d.journal, 300_000))) return;
    const latest = await d.execution.getBlockNumber();
    d.metrics.blockNumber.set(Number(latest));
    const deposits = await followDeposits({ client: d.execution, network, store: d.store, head: latest });
    const vault = await d.reader.readVault(settings.vault, { blockNumber: latest });
    const oracleSet = await d.oracleSet(signal);

    // A due harvest goes in the same transaction; the assets are what the vault has after it.
    let stakeable = vault.withdrawableAssets;
    let harvest: { updateStateData: Hex } | undefined;
    if (vault.canHarvest) {
      const hp = await harvestParams(
        {
          client: d.execution,
          network,
          vault: settings.vault,
          mevEscrow: vault.mevEscrow,
          ipfsGateways: settings.ipfsEndpoints,
          lastRewardsUpdate: d.keeperEvents.lastRewardsUpdate,
        },
        signal,
      );
      if (hp) {
        stakeable = await d.reader.simulateHarvestThenAssets(settings.vault, hp);
        harvest = { updateStateData: updateStateCallData(hp) };
      }
    }
    d.metrics.stakeableAssets.set(Number(stakeable));
    d.metrics.unusedValidatorKeys.set(Math.max(0, d.depositData.length - vault.validatorIndex));

    const plan = planRegistration({
      depositData: d.depositData,
      depositDataRoot: d.fileRoot,
      vaultValidatorsRoot: vault.validatorsRoot,
      vaultValidatorIndex: vault.validatorIndex,
      stakeableWei: stakeable,
      validatorDepositWei: depositWei,
      batchLimit: oracleSet.batchLimit,
      hasDepositOnChain: (publicKey) => deposits.has(publicKey),
      hasKey: (publicKey) => d.signer.has(publicKey as KeyHex),
    });
    if (plan.kind === "idle") return;
    if (plan.kind === "blocked") {
      log
        .throttled("registration-blocked", network.secondsPerSlot * 1000 * network.slotsPerEpoch)
        .warn("registration blocked", { reason: plan.reason });
      return;
    }
    const attempt = async () => {
      // Gas and funds first (spec §6.3): no oracle round while the transaction could not be sent.
      const fees = await checkFeeCap(d.sender, maxFeePerGasWei);
      await checkWalletCanPay(d.sender, fees.maxFeePerGas, plan.entries.length);
      const prepared = await prepareRegistration({
        network,
        keeper: network.keeper.address,
        vault: settings.vault,
        entries: plan.entries,
        startIndex: plan.startIndex,
        tree: d.tree,
        oracles: oracleSet,
        registryRoot: () => d.reader.depositRoot(),
        nextValidatorIndex: async () => deposits.count,
        now: async () => Number((await d.execution.getBlock()).timestamp),
        signer: d.signer,
        harvest,
        oracleTimeoutMs: settings.oracleTimeoutMs,
        signal,
      });
      for (const failure of prepared.oracleFailures) {
        d.metrics.oracleFailures.inc({ oracle: failure.oracle });
        log.warn("oracle did not approve", { oracle: failure.oracle, reason: failure.reason });
      }
      const receipt = await sendRegistration({
        client: d.sender,
        to: settings.vault,
        data: prepared.data,
        journal: d.journal,
        publicKeys: prepared.publicKeys,
        firstDepositIndex: plan.startIndex,
        maxFeePerGasWei,
        receiptTimeoutMs: 300_000,
      });
      return { prepared, receipt };
    };
    // Every planned registration ends as one success or one failure (waiting for gas or funds
    // included): the dashboard's failure rate is the share of slots that wanted to register and
    // could not.
    const { prepared, receipt } = await attempt().catch((error: unknown) => {
      d.metrics.registrations.inc({ outcome: "failure" });
      throw error;
    });
    d.metrics.registrations.inc({ outcome: "success" });
    d.metrics.validatorsRegistered.inc(prepared.publicKeys.length);
    d.metrics.lastRegistrationBlock.set(Number(receipt.blockNumber));
    log.info("validators registered", {
      count: prepared.publicKeys.length,
      firstDepositIndex: plan.startIndex,
      txHash: receipt.transactionHash,
      block: Number(receipt.blockNumber),
    });
  };
}
