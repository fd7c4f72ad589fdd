import { join } from "node:path";
import { type Address, type Hex, keccak256, parseEther, stringToBytes } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { createSignerClient, type SignerClient } from "../chain/signer-client.ts";
import type { NetworkConfig } from "../config/networks.ts";
import { writeFileAtomic } from "../lib/atomic-file.ts";
import type { Logger } from "../lib/logger.ts";
import { type DevnetAccounts, deriveOracleKeys, devnetAccounts, type OracleKey } from "./accounts.ts";
import { depositToVault as depositInto, setValidatorsManager as setManager } from "./actions.ts";
import { type AnvilInstance, devnetChain, MULTICALL3_ADDRESS, startAnvil } from "./anvil.ts";
import type { BeaconState } from "./beacon/beacon-state.ts";
import type { BeaconServer } from "./beacon/server.ts";
import {
  type CreateVaultParameters,
  createVault,
  DEVNET_CAPELLA_FORK_VERSION,
  type DevnetProtocol,
  type DevnetVault,
  deployProtocol,
  LIBRARY_VAULT_VERSION,
} from "./deploy.ts";
import type { DevnetDescription } from "./devnet-file.ts";
import { startServices } from "./devnet-services.ts";
import { type DevnetDvt, startDevnetDvt } from "./dvt/devnet-dvt.ts";
import { checkDvtOptions, type DevnetDvtOptions } from "./dvt/dvt-options.ts";
import { rawCid } from "./ipfs/cid.ts";
import type { IpfsGateway } from "./ipfs/gateway.ts";
import type { IpfsStore } from "./ipfs/store.ts";
import { createDevnetLifecycle, writeNetworkFile } from "./lifecycle.ts";
import { replaceOracleSet } from "./oracle-set.ts";
import type { OracleCommittee } from "./oracles/committee.ts";
import { type PublishedRewards, publishRewards, type VaultRewards } from "./rewards.ts";
import { type DevnetSsvHandle, type DevnetSsvOptions, startDevnetSsv } from "./ssv/devnet-ssv.ts";
import type { DevnetVaultVersion } from "./vault-version.ts";

export interface DevnetOptions {
  /** Number of oracles (default 3). */
  oracles?: number;
  /** Keeper validatorsMinOracles / rewardsMinOracles (default: a majority). */
  threshold?: number;
  /** exit_signature_recover_threshold (default: the threshold). */
  recoverThreshold?: number;
  /** Seconds per block and per beacon slot (default 1), or "automine" with 1-s slots. */
  blockTime?: number | "automine";
  slotsPerEpoch?: number;
  /** Slots from a validator's deposit to its activation (default 2 epochs). */
  activationDelaySlots?: number;
  /** Beacon timing and the oracles' logger; see StartServicesParameters. */
  depositDelaySlots?: number;
  withdrawabilityDelayEpochs?: number;
  logger?: Logger;
  /** ETH deposited into the vault at start (default 0). */
  vaultDepositEth?: number;
  /**
   * The vault's version (default LIBRARY_VAULT_VERSION). A version-5 vault's validators
   * manager is the `sender` account until setValidatorsManager names another (the hot wallet).
   */
  vaultVersion?: DevnetVaultVersion;
  /** Where network.json and devnet.json are written (default: not written). */
  outputDir?: string;
  /** SSV contracts, operators and the SSV API double (default: none). */
  ssv?: DevnetSsvOptions;
  /**
   * A simulated DVT cluster (Obol or SSV) with the relayer and one sidecar per node running in
   * this process (default: none). Needs `outputDir`; SSV needs `ssv` with enough operators.
   */
  dvt?: DevnetDvtOptions;
  chainId?: number;
  signal?: AbortSignal;
}

/** Everything a rehearsal or a test needs to talk to the devnet. */
export interface Devnet {
  network: NetworkConfig;
  executionUrl: string;
  consensusUrl: string;
  ipfsUrl: string;
  accounts: DevnetAccounts;
  oracleKeys: OracleKey[];
  protocol: DevnetProtocol;
  vault: DevnetVault;
  clients: {
    deployer: SignerClient;
    admin: SignerClient;
    keysManager: SignerClient;
    sender: SignerClient;
    depositor: SignerClient;
  };
  committee: OracleCommittee;
  beacon: BeaconState;
  beaconServer: BeaconServer;
  ipfs: IpfsStore;
  ipfsGateway: IpfsGateway;
  anvil: AnvilInstance;
  /** The devnet's files, when `outputDir` was given. */
  files: { network: string; devnet: string } | undefined;
  /** The SSV contracts, operators, API double and actions, when `ssv` was given. */
  ssv: DevnetSsvHandle | undefined;
  /** The DVT cluster, its relayer and sidecars, when `dvt` was given. */
  dvt: DevnetDvt | undefined;
  /** Publishes a new protocol config (oracle set or limits) and points the Keeper at it. */
  publishConfig(): Promise<string>;
  /** Deposits ETH into the vault from the depositor account. */
  depositToVault(eth: number | bigint): Promise<void>;
  /**
   * Another vault on the same chain (admin: the admin account), e.g. a version-5 vault beside the
   * devnet's version-1 vault. Default version LIBRARY_VAULT_VERSION.
   */
  createVault(
    options?: Omit<CreateVaultParameters, "client" | "protocol" | "admin"> & { admin?: Address },
  ): Promise<DevnetVault>;
  /**
   * Makes `manager` the validators manager of a version-5 vault (default: the devnet's vault), as
   * its admin: the operator's hot wallet, or the DepositDataRegistry for the deposit-data flow.
   */
  setValidatorsManager(manager: Address, vault?: Address): Promise<void>;
  /** Publishes an oracle-signed rewards update (rewards file on IPFS, Keeper.updateRewards). */
  publishRewards(rewards: readonly Omit<VaultRewards, "sharedMevEscrow">[]): Promise<PublishedRewards>;
  /**
   * Replaces the oracle set: the Keeper's oracles and threshold, the oracle servers and the
   * published config. Exit signatures shared with the old set become outdated.
   */
  replaceOracles(keys: readonly OracleKey[], threshold?: number): Promise<string>;
  /** The JSON written to devnet.json. */
  describe(): DevnetDescription;
  stop(): Promise<void>;
}

export const DEVNET_GENESIS_VALIDATORS_ROOT = keccak256(
  stringToBytes("vault-operator devnet genesis validators root"),
);

/**
 * Starts the whole devnet on loopback: a real anvil with our protocol contracts, N oracles, an
 * IPFS gateway holding the oracles' config, and a beacon-chain simulator following the deposit
 * contract; then creates a vault whose keys manager and hot wallet are known test accounts.
 */
export async function startDevnet(options: DevnetOptions = {}): Promise<Devnet> {
  // The cluster's shape is checked before anything starts: a wrong flag costs no anvil.
  const dvtShape = options.dvt
    ? checkDvtOptions(options.dvt, {
        ssvOperators: options.ssv ? (options.ssv.operators ?? 8) : 0,
        vaultVersion: options.vaultVersion ?? LIBRARY_VAULT_VERSION,
      })
    : undefined;
  if (dvtShape && !options.outputDir) throw new Error("a devnet DVT cluster needs outputDir for its files");
  const { stops, lifetime, stop } = createDevnetLifecycle(options.signal);
  try {
    const oracleCount = options.oracles ?? 3;
    const threshold = options.threshold ?? Math.floor(oracleCount / 2) + 1;
    const recoverThreshold = options.recoverThreshold ?? threshold;
    const blockTime = options.blockTime ?? 1;
    const secondsPerSlot = blockTime === "automine" ? 1 : blockTime;

    const anvil = await startAnvil({ blockTime, ...(options.chainId ? { chainId: options.chainId } : {}) });
    stops.push(() => anvil.stop());
    const chain = devnetChain(anvil.chainId, anvil.url);
    const accounts = devnetAccounts();
    const client = (key: Hex) =>
      createSignerClient({ url: anvil.url, chain, account: privateKeyToAccount(key) });
    const clients = {
      deployer: client(accounts.deployer.privateKey),
      admin: client(accounts.admin.privateKey),
      keysManager: client(accounts.keysManager.privateKey),
      sender: client(accounts.sender.privateKey),
      depositor: client(accounts.depositor.privateKey),
    };

    const oracleKeys = deriveOracleKeys({ count: oracleCount });
    // The real config names the oracles' endpoints, known once they listen: published below.
    const bootstrapConfig = await rawCid(new TextEncoder().encode('{"oracles": []}'));
    const protocol = await deployProtocol({
      client: clients.deployer,
      oracles: oracleKeys.map((k) => k.address),
      validatorsMinOracles: threshold,
      rewardsMinOracles: threshold,
      configIpfsHash: bootstrapConfig,
    });

    // The chain's constants; the network the operator reads (network.json) adds the IPFS gateway.
    const chainNetwork: NetworkConfig = {
      name: "devnet",
      chainId: anvil.chainId,
      genesisForkVersion: protocol.genesisForkVersion,
      capellaForkVersion: DEVNET_CAPELLA_FORK_VERSION,
      capellaEpoch: 0,
      genesisValidatorsRoot: DEVNET_GENESIS_VALIDATORS_ROOT,
      slotsPerEpoch: options.slotsPerEpoch ?? 8,
      secondsPerSlot,
      validatorDepositGwei: 32_000_000_000,
      validatorDepositLabel: "32 ETH",
      gasToken: "ETH",
      assetToken: "ETH",
      keeper: { address: protocol.keeper.address, genesisBlock: Number(protocol.keeper.blockNumber) },
      depositContract: {
        address: protocol.depositContract.address,
        genesisBlock: Number(protocol.depositContract.blockNumber),
      },
      sharedMevEscrow: protocol.sharedMevEscrow.address,
      depositDataRegistry: protocol.depositDataRegistry.address,
      consolidationsChecker: protocol.consolidationsChecker.address,
      validatorsChecker: protocol.validatorsChecker.address,
      multicall3: MULTICALL3_ADDRESS,
      configUpdateEventBlock: Number(protocol.keeper.blockNumber),
      maxFeePerGasGwei: 100,
      walletMinBalanceWei: 10_000_000_000_000_000n,
    };

    const { ipfs, ipfsGateway, beacon, beaconServer, committee, publishConfig } = await startServices({
      rpcUrl: anvil.url,
      chain,
      network: chainNetwork,
      vaultsRegistry: protocol.vaultsRegistry.address,
      owner: clients.deployer,
      oracleKeys,
      recoverThreshold,
      ...(options.activationDelaySlots !== undefined
        ? { activationDelaySlots: options.activationDelaySlots }
        : {}),
      ...(options.depositDelaySlots !== undefined ? { depositDelaySlots: options.depositDelaySlots } : {}),
      ...(options.withdrawabilityDelayEpochs !== undefined
        ? { withdrawabilityDelayEpochs: options.withdrawabilityDelayEpochs }
        : {}),
      ...(options.logger ? { logger: options.logger } : {}),
      lifetime,
      stops,
    });

    const network: NetworkConfig = { ...chainNetwork, ipfsGateways: [ipfsGateway.url] };
    const vault = await createVault({
      client: clients.deployer,
      protocol,
      admin: accounts.admin.address,
      version: options.vaultVersion ?? LIBRARY_VAULT_VERSION,
      keysManager: accounts.keysManager.address,
      // No hot wallet exists yet when the devnet starts: a known account manages until one is named.
      validatorsManager: accounts.sender.address,
    });
    const depositToVault = async (eth: number | bigint) => {
      await depositInto(
        clients.depositor,
        vault.address,
        typeof eth === "bigint" ? eth : parseEther(String(eth)),
      );
    };
    if (options.vaultDepositEth) await depositToVault(options.vaultDepositEth);
    const ssv = options.ssv
      ? await startDevnetSsv({
          options: options.ssv,
          url: anvil.url,
          deployer: clients.deployer,
          liquidator: clients.depositor,
          stops,
          ...(options.logger ? { logger: options.logger } : {}),
        })
      : undefined;
    // network.json then tells `operator ssv …` where the SSV contracts and the API double are.
    if (ssv) network.ssv = ssv.config();
    const outputDir = options.outputDir;
    // The sidecars of an SSV cluster read their operator's key from ssv-operators/<id>.pem.
    if (ssv && dvtShape && outputDir) await ssv.writeFiles(outputDir);
    const dvt =
      dvtShape && outputDir
        ? await startDevnetDvt({
            shape: dvtShape,
            dir: join(outputDir, "dvt"),
            network,
            executionUrl: anvil.url,
            consensusUrl: beaconServer.url,
            vault: vault.address,
            admin: clients.admin,
            funder: clients.deployer,
            ssv,
            ssvOperatorKeyFile: (id) => join(outputDir, "ssv-operators", `${id}.pem`),
            nextValidatorIndex: async () => {
              await beacon.sync();
              return beacon.knownValidatorCount();
            },
            ...(options.logger ? { logger: options.logger } : {}),
            lifetime,
            stops,
          })
        : undefined;

    const keeperState = { threshold };
    const replaceOracles = async (
      keys: readonly OracleKey[],
      newThreshold = Math.floor(keys.length / 2) + 1,
    ) => {
      const cid = await replaceOracleSet({
        owner: clients.deployer,
        keeper: protocol.keeper.address,
        committee,
        keys,
        threshold: newThreshold,
        publishConfig,
      });
      keeperState.threshold = newThreshold;
      return cid;
    };
    const sharedEscrow = vault.mevEscrow.toLowerCase() === protocol.sharedMevEscrow.address.toLowerCase();

    const devnet: Devnet = {
      network,
      executionUrl: anvil.url,
      consensusUrl: beaconServer.url,
      ipfsUrl: ipfsGateway.url,
      accounts,
      oracleKeys,
      protocol,
      vault,
      clients,
      committee,
      beacon,
      beaconServer,
      ipfs,
      ipfsGateway,
      anvil,
      files: undefined,
      ssv,
      dvt,
      publishConfig,
      depositToVault,
      createVault: (vaultOptions = {}) =>
        createVault({
          ...vaultOptions,
          client: clients.deployer,
          protocol,
          admin: vaultOptions.admin ?? accounts.admin.address,
        }),
      setValidatorsManager: async (manager, address = vault.address) => {
        await setManager(clients.admin, address, manager);
      },
      publishRewards: (rewards) =>
        publishRewards({
          client: clients.deployer,
          keeper: protocol.keeper.address,
          chainId: anvil.chainId,
          ipfs,
          oracles: committee.oracles.map((o) => o.key),
          threshold: keeperState.threshold,
          rewards: rewards.map((r) => ({
            ...r,
            sharedMevEscrow: r.vault === vault.address ? sharedEscrow : true,
          })),
        }),
      replaceOracles,
      describe: () => describeDevnet(devnet),
      stop,
    };
    if (options.outputDir) devnet.files = await writeDevnetFiles(devnet, options.outputDir);
    return devnet;
  } catch (error) {
    await stop();
    throw error;
  }
}

function describeDevnet(devnet: Devnet): DevnetDescription {
  return {
    executionEndpoint: devnet.executionUrl,
    consensusEndpoint: devnet.consensusUrl,
    ipfsGateway: devnet.ipfsUrl,
    chainId: devnet.network.chainId,
    oracles: devnet.committee.oracles.map((o) => ({ address: o.key.address, endpoint: o.server.url })),
    contracts: {
      keeper: devnet.protocol.keeper.address,
      depositContract: devnet.protocol.depositContract.address,
      vaultsRegistry: devnet.protocol.vaultsRegistry.address,
      sharedMevEscrow: devnet.protocol.sharedMevEscrow.address,
      multicall3: MULTICALL3_ADDRESS,
      depositDataRegistry: devnet.protocol.depositDataRegistry.address,
      consolidationsChecker: devnet.protocol.consolidationsChecker.address,
      validatorsChecker: devnet.protocol.validatorsChecker.address,
      validatorsWithdrawals: devnet.protocol.validatorsWithdrawals,
      validatorsConsolidations: devnet.protocol.validatorsConsolidations,
    },
    vault: {
      version: devnet.vault.version,
      address: devnet.vault.address,
      admin: devnet.vault.admin,
      keysManager: devnet.vault.keysManager,
    },
    accounts: Object.fromEntries(
      Object.values(devnet.accounts).map((a) => [a.role, { address: a.address, privateKey: a.privateKey }]),
    ) as DevnetDescription["accounts"],
    ...(devnet.ssv ? { ssv: { ...devnet.ssv.config(), feeEra: devnet.ssv.deployment.feeEra } } : {}),
    ...(devnet.dvt ? { dvt: devnet.dvt.describe() } : {}),
  };
}

/**
 * network.json is what `--network devnet` reads (same fields as a public network); devnet.json
 * lists endpoints, contracts, the vault and the test accounts.
 */
async function writeDevnetFiles(devnet: Devnet, dir: string): Promise<{ network: string; devnet: string }> {
  const network = await writeNetworkFile(devnet.network, dir);
  await devnet.ssv?.writeFiles(dir);
  const description = join(dir, "devnet.json");
  await writeFileAtomic(description, `${JSON.stringify(devnet.describe(), null, 2)}\n`, { mode: 0o600 });
  return { network, devnet: description };
}
