import { type Address, createPublicClient, defineChain, type Hex, http } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import type { NetworkConfig } from "../config/networks.ts";
import { UserInputError } from "../lib/errors.ts";
import type { Logger } from "../lib/logger.ts";
import type { OracleKey } from "./accounts.ts";
import { DEVNET_GENESIS_VALIDATORS_ROOT, type DevnetServices, startServices } from "./devnet.ts";
import { ensureMulticall3, keeperOwner, lastKeeperConfig, requireCode } from "./external-chain.ts";
import { readContractsFile } from "./external-contracts-file.ts";
import { createDevnetLifecycle, writeNetworkFile } from "./lifecycle.ts";

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
}

export interface ExternalDevnet extends DevnetServices {
  network: NetworkConfig;
  executionUrl: string;
  files: { network: string } | undefined;
  started: ExternalDevnetStart;
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
  const oracleKeys: OracleKey[] = file.oraclePrivateKeys.map((privateKey, index) => {
    const account = privateKeyToAccount(privateKey as Hex);
    return { index, privateKey: privateKey as Hex, address: account.address, publicKey: account.publicKey };
  });
  const { stops, lifetime, stop } = createDevnetLifecycle(options.signal);
  try {
    const services = await startServices({
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
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
