import { type Address, createPublicClient, defineChain, type Hex, http } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { keeperAbi } from "../chain/abi/keeper.ts";
import { vaultAbi } from "../chain/abi/vault.ts";
import type { NetworkConfig } from "../config/networks.ts";
import { UserInputError } from "../lib/errors.ts";
import type { Logger } from "../lib/logger.ts";
import type { OracleKey } from "./accounts.ts";
import { DEVNET_GENESIS_VALIDATORS_ROOT } from "./devnet.ts";
import { type DevnetServices, startServices } from "./devnet-services.ts";
import {
  type ChainIdentity,
  createStateWriter,
  ipfsDirOf,
  type LoadedState,
  loadDevnetState,
  type StateWriter,
} from "./devnet-state.ts";
import { ensureMulticall3, keeperOwner, lastKeeperConfig, requireCode } from "./external-chain.ts";
import { readContractsFile } from "./external-contracts-file.ts";
import { openDiskIpfsStore } from "./ipfs/disk-store.ts";
import { createDevnetLifecycle, writeNetworkFile } from "./lifecycle.ts";
import { replaceOracleSet } from "./oracle-set.ts";
import { type PublishedRewards, publishRewards, type VaultRewards } from "./rewards.ts";

export interface ExternalDevnetOptions {
  rpcUrl: string;
  contractsFile: string;
  outputDir?: string;
  /**
   * False: never write the Keeper's config (a shared chain, or an owner who publishes it). By
   * default it is written only when the Keeper's last config is not already this devnet's.
   */
  publishConfig?: boolean;
  /** Where the oracles log their decisions. */
  logger?: Logger;
  signal?: AbortSignal;
}

/** What the start found and did, for the one-screen summary. */
export interface ExternalDevnetStart {
  /** One line per default taken from no field in the --contracts file. */
  assumed: string[];
  multicall3: "present" | "placed";
  keeperOwner: { address: Address; impersonated: boolean };
  /** "published": the Keeper now names these oracles; "kept": it already did; "left": told not to write it. */
  config: "published" | "kept" | "left";
  /** What was read back from the devnet dir (no outputDir: nothing kept, "none"). */
  state: LoadedStateSummary;
}

export type LoadedStateSummary =
  | { kind: "none" }
  | { kind: "restored"; ipfsBlocks: number; exitRecords: number; oracleKeysChanged: boolean }
  | { kind: "set-aside"; movedTo: string; reason: string };

export interface ExternalDevnet extends DevnetServices {
  network: NetworkConfig;
  executionUrl: string;
  files: { network: string } | undefined;
  started: ExternalDevnetStart;
  /** Replaces the oracle set through the Keeper owner; kept in the state for a restart. */
  replaceOracles(keys: readonly OracleKey[], threshold: number): Promise<string>;
  /** An oracle-signed rewards update (rewards file on IPFS, Keeper.updateRewards). */
  publishRewards(rewards: readonly Omit<VaultRewards, "sharedMevEscrow">[]): Promise<PublishedRewards>;
  stop(): Promise<void>;
}

/** Runs the oracles, IPFS and the beacon simulator against protocol contracts deployed elsewhere. */
export async function startExternalDevnet(options: ExternalDevnetOptions): Promise<ExternalDevnet> {
  const file = await readContractsFile(options.contractsFile, {
    genesisValidatorsRoot: DEVNET_GENESIS_VALIDATORS_ROOT,
  });
  const probe = createPublicClient({ transport: http(options.rpcUrl, { retryCount: 0 }) });
  let chainId: number;
  try {
    chainId = await probe.getChainId();
  } catch {
    throw new UserInputError(
      `--rpc-url ${new URL(options.rpcUrl).origin} does not answer eth_chainId: check the URL`,
    );
  }
  const chain = defineChain({
    id: chainId,
    name: `external-${chainId}`,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [options.rpcUrl] } },
  });
  const reader = createPublicClient({ chain, transport: http(options.rpcUrl, { retryCount: 0 }) });
  await requireCode(reader, file.keeper.address, "keeper");
  await requireCode(reader, file.depositContract.address, "depositContract");
  const multicall3 = await ensureMulticall3(reader, file.multicall3);
  const owner = await keeperOwner({
    client: reader,
    rpcUrl: options.rpcUrl,
    chain,
    keeper: file.keeper.address,
    privateKey: file.keeperOwnerPrivateKey,
  });
  const network: NetworkConfig = {
    name: "devnet",
    chainId,
    genesisForkVersion: file.genesisForkVersion,
    capellaForkVersion: file.capellaForkVersion,
    capellaEpoch: file.capellaEpoch,
    genesisValidatorsRoot: file.genesisValidatorsRoot,
    slotsPerEpoch: file.slotsPerEpoch,
    secondsPerSlot: file.secondsPerSlot,
    validatorDepositGwei: 32_000_000_000,
    validatorDepositLabel: "32 ETH",
    gasToken: "ETH",
    assetToken: "ETH",
    keeper: file.keeper,
    depositContract: file.depositContract,
    ...(file.sharedMevEscrow ? { sharedMevEscrow: file.sharedMevEscrow } : {}),
    multicall3: file.multicall3,
    configUpdateEventBlock: file.keeper.genesisBlock,
    maxFeePerGasGwei: 100,
    walletMinBalanceWei: 10_000_000_000_000_000n,
  };
  const dir = options.outputDir;
  let loaded: LoadedState = { kind: "none" };
  let identity: ChainIdentity | undefined;
  if (dir) {
    const anchor = await reader.getBlock({ blockNumber: BigInt(file.keeper.genesisBlock) });
    identity = { chainId, keeper: file.keeper.address, anchorBlockHash: anchor.hash };
    loaded = await loadDevnetState(dir, identity);
  }
  const restored = loaded.kind === "restored" ? loaded.state : undefined;
  // After set-oracles the Keeper names the keys kept in the state, not those in --contracts.
  const oracleKeys = toOracleKeys(restored?.oraclePrivateKeys ?? (file.oraclePrivateKeys as Hex[]));
  const { stops, lifetime, stop } = createDevnetLifecycle(options.signal);
  try {
    const disk = dir ? await openDiskIpfsStore(ipfsDirOf(dir)) : undefined;
    let writer: StateWriter | undefined;
    const services = await startServices({
      ...(disk ? { ipfs: disk.store } : {}),
      ...(restored
        ? {
            ipfsPort: restored.ipfsPort,
            beaconPort: restored.beaconPort,
            genesisTime: restored.genesisTime,
            restoredCommittee: restored.committee,
          }
        : {}),
      onCommitteeChange: () => writer?.changed(),
      rpcUrl: options.rpcUrl,
      chain,
      network,
      vaultsRegistry: file.vaultsRegistry,
      owner: owner.client,
      oracleKeys,
      recoverThreshold: file.recoverThreshold ?? Math.floor(oracleKeys.length / 2) + 1,
      ...(options.logger ? { logger: options.logger } : {}),
      publishConfigOnStart: false,
      lifetime,
      stops,
    });
    if (dir && identity) {
      const chainOfState = identity;
      const stateWriter = createStateWriter(
        dir,
        () => ({
          chain: chainOfState,
          genesisTime: services.genesisTime,
          ipfsPort: Number(new URL(services.ipfsGateway.url).port),
          beaconPort: Number(new URL(services.beaconServer.url).port),
          oraclePrivateKeys: services.committee.oracles.map((o) => o.key.privateKey),
          committee: services.committee.snapshot(),
        }),
        (error) => options.logger?.warn("devnet state not written", { dir }, error),
      );
      writer = stateWriter;
      stateWriter.changed();
      // Stops run last-in first-out: the final write waits until the servers are closed.
      stops.unshift(() => stateWriter.flush());
    }
    // The config is content-addressed: the same oracles at the same endpoints give the same CID.
    const cid = await services.ipfs.put(
      new TextEncoder().encode(JSON.stringify(services.committee.config())),
    );
    let config: ExternalDevnetStart["config"];
    if ((await lastKeeperConfig(reader, file.keeper.address, file.keeper.genesisBlock)) === cid) {
      config = "kept";
    } else if (options.publishConfig === false) {
      config = "left";
    } else {
      await services.publishConfig();
      config = "published";
    }
    const served: NetworkConfig = { ...network, ipfsGateways: [services.ipfsGateway.url] };
    let files: { network: string } | undefined;
    if (options.outputDir) {
      files = { network: await writeNetworkFile(served, options.outputDir) };
    }
    const replaceOracles = (keys: readonly OracleKey[], threshold: number) =>
      replaceOracleSet({
        owner: owner.client,
        keeper: file.keeper.address,
        committee: services.committee,
        keys,
        threshold,
        publishConfig: services.publishConfig,
      });
    const publishRewardsNow = async (rewards: readonly Omit<VaultRewards, "sharedMevEscrow">[]) => {
      const threshold = await reader.readContract({
        address: file.keeper.address,
        abi: keeperAbi,
        functionName: "rewardsMinOracles",
      });
      const withEscrow = await Promise.all(
        rewards.map(async (r) => {
          const escrow = await reader.readContract({
            address: r.vault,
            abi: vaultAbi,
            functionName: "mevEscrow",
          });
          const shared = file.sharedMevEscrow?.toLowerCase() === escrow.toLowerCase();
          return { ...r, sharedMevEscrow: shared };
        }),
      );
      return publishRewards({
        client: owner.client,
        keeper: file.keeper.address,
        chainId,
        ipfs: services.ipfs,
        oracles: services.committee.oracles.map((o) => o.key),
        threshold: Number(threshold),
        rewards: withEscrow,
      });
    };
    return {
      ...services,
      network: served,
      executionUrl: options.rpcUrl,
      files,
      started: {
        assumed: file.assumed,
        multicall3,
        keeperOwner: { address: owner.address, impersonated: owner.impersonated },
        config,
        state: summarize(loaded, disk?.loaded ?? 0, file.oraclePrivateKeys),
      },
      replaceOracles,
      publishRewards: publishRewardsNow,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

function toOracleKeys(privateKeys: readonly Hex[]): OracleKey[] {
  return privateKeys.map((privateKey, index) => {
    const account = privateKeyToAccount(privateKey);
    return { index, privateKey, address: account.address, publicKey: account.publicKey };
  });
}

function summarize(loaded: LoadedState, ipfsBlocks: number, fileKeys: readonly string[]): LoadedStateSummary {
  if (loaded.kind !== "restored") return loaded;
  const records = Object.values(loaded.state.committee.records);
  const kept = loaded.state.oraclePrivateKeys.map((k) => k.toLowerCase());
  return {
    kind: "restored",
    ipfsBlocks,
    exitRecords: records.reduce((n, r) => n + Object.keys(r).length, 0),
    oracleKeysChanged:
      kept.length !== fileKeys.length || kept.some((k, i) => k !== fileKeys[i]?.toLowerCase()),
  };
}
