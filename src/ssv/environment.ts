import { join } from "node:path";
import { type Address, createWalletClient, getAddress, type LocalAccount } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import {
  type ConsensusClient,
  checkConsensusEndpoints,
  createConsensusClient,
} from "../chain/consensus-client.ts";
import type { ChainLogger } from "../chain/endpoints.ts";
import {
  chainOf,
  checkExecutionEndpoints,
  createExecutionClient,
  createExecutionTransport,
  type ExecutionClient,
} from "../chain/execution-client.ts";
import { type VaultPaths, vaultPaths } from "../config/data-dir.ts";
import type { NetworkConfig, SsvNetworkConfig } from "../config/networks.ts";
import { loadHotWallet, readHotWalletAddress, WALLET_PRIVATE_KEY } from "../keys/hot-wallet-file.ts";
import { LocalKeystores } from "../keys/sources/local-keystores.ts";
import { OperatorError, UserInputError } from "../lib/errors.ts";
import { toPrefixedHex } from "../lib/hex.ts";
import type { Logger } from "../lib/logger.ts";
import { StateStore } from "../operator/state/state-store.ts";
import { storeJournal } from "../operator/state/store-journal.ts";
import { createTransactionSender, type TransactionSender } from "../operator/tx/transaction-sender.ts";
import { type TxChain, viemTxChain } from "../operator/tx/tx-chain.ts";
import type { SsvApiOperator } from "./api/operator-record.ts";
import { createSsvApiClient, type SsvApiClient } from "./api/ssv-api-client.ts";

/** The SSV commands' and the manager's own state file: `start` holds operator.db's lock. */
export const SSV_DATABASE_FILE_NAME = "ssv.db";
/** How long a sent SSV transaction's receipt is awaited. */
const RECEIPT_TIMEOUT_MS = 300_000;

/** Where the key source of `start` would be, when it is not the local keystores. */
export type ForeignKeySource = "remote-signer" | "hashi-vault";

/** Everything the SSV commands and `operator ssv-manager` are built from, parsed and checked. */
export interface SsvEnvironmentSettings {
  vault: Address;
  network: NetworkConfig;
  dataDir: string;
  executionEndpoints: readonly string[];
  /** --execution-jwt-secret. */
  executionJwtSecret?: Uint8Array;
  consensusEndpoints: readonly string[];
  /** The owner's wallet (default: the vault dir's wallet/wallet.json); WALLET_PRIVATE_KEY replaces it. */
  walletFile?: string;
  walletPasswordFile?: string;
  /** Local keystores (default: the vault dir's keystores). */
  keystoresDir: string;
  keystoresPasswordFile: string;
  keystoresPasswordDir?: string;
  /** A remote signer or HashiCorp Vault was named: refused, SSV needs the whole key to split it. */
  foreignKeySource?: ForeignKeySource;
  /** --ssv-network-address / --ssv-views-address / --ssv-api-url (over the network's). */
  ssvOverrides?: { network?: Address; views?: Address; apiUrl?: string };
  /** --max-fee-per-gas-gwei; default the network's cap. */
  maxFeePerGasGwei?: number;
  /**
   * "read": the owner's address only (no password, no state file, nothing can be sent);
   * "send": the wallet is decrypted, ssv.db opened (and locked) and a TransactionSender made.
   */
  mode: "read" | "send";
}

/** What `openSsvEnvironment` hands out; `close()` releases all of it. */
export interface SsvEnvironment {
  vault: Address;
  network: NetworkConfig;
  ssv: SsvNetworkConfig;
  paths: VaultPaths;
  execution: ExecutionClient;
  consensus: ConsensusClient;
  /** The cluster owner: the vault's hot wallet. */
  owner: Address;
  keystores: LocalKeystores;
  /** The SSV API, when the network or --ssv-api-url names one (see `apiOperators`). */
  api?: SsvApiClient;
  log: Logger;
  /** Present in "send" mode. */
  signing?: SsvSigning;
  close(): Promise<void>;
}

/** The parts that send transactions ("send" mode). */
export interface SsvSigning {
  account: LocalAccount;
  store: StateStore;
  txChain: TxChain;
  sender: TransactionSender;
}

/** The network has no SSV contracts and none were given. */
export class SsvNotConfiguredError extends UserInputError {
  override name = "SsvNotConfiguredError";
}

/** The network's SSV contracts with the command's overrides; a user error when there are none. */
export function resolveSsvConfig(
  network: NetworkConfig,
  overrides: SsvEnvironmentSettings["ssvOverrides"] = {},
): SsvNetworkConfig {
  const base = network.ssv;
  const address = overrides.network ?? base?.network;
  const views = overrides.views ?? base?.views;
  if (address === undefined || views === undefined) {
    throw new SsvNotConfiguredError(
      `network ${network.name} has no SSV contracts in this version: pass --ssv-network-address and --ssv-views-address`,
    );
  }
  const apiUrl = overrides.apiUrl ?? base?.apiUrl;
  return {
    network: getAddress(address),
    views: getAddress(views),
    ...(base?.token ? { token: base.token } : {}),
    // Overridden contracts on a network we do not know: the owner's events are scanned from genesis.
    deployBlock: base && overrides.network === undefined ? base.deployBlock : 0,
    ...(apiUrl ? { apiUrl } : {}),
    apiNetwork: base?.apiNetwork ?? network.name,
  };
}

/** SSV splits the validator key into shares: a key source that never hands the key out cannot do it. */
export function refuseForeignKeySource(source: ForeignKeySource | undefined): void {
  if (source === undefined) return;
  const what = source === "remote-signer" ? "a remote signer (--remote-signer-url)" : "HashiCorp Vault";
  throw new UserInputError(
    `SSV splits each validator key into operator shares and needs the whole key, which ${what} does not hand out: use the vault's local keystores (--keystores-dir)`,
  );
}

/**
 * The one composition root of the SSV commands and the manager, in dependency order: key
 * source (local keystores only), SSV contracts, endpoints checked against the network, the
 * owner (the vault's hot wallet), and in "send" mode ssv.db with its own lock and the
 * TransactionSender journaling into it. Everything opened is closed by `close()`, and on a
 * failure part-way before this returns.
 */
export async function openSsvEnvironment(
  settings: SsvEnvironmentSettings,
  deps: { log: Logger },
): Promise<SsvEnvironment> {
  refuseForeignKeySource(settings.foreignKeySource);
  const { network, vault } = settings;
  const ssv = resolveSsvConfig(network, settings.ssvOverrides);
  const paths = vaultPaths(settings.dataDir, vault);
  const log = deps.log.child({ module: "ssv" });
  const closers: Array<() => unknown> = [];
  const close = async () => {
    for (const closer of closers.splice(0).reverse()) await closer();
  };
  try {
    const keystores = await LocalKeystores.load({
      keystoresDir: settings.keystoresDir,
      passwordFile: settings.keystoresPasswordFile,
      ...(settings.keystoresPasswordDir ? { passwordDir: settings.keystoresPasswordDir } : {}),
    });
    closers.push(() => keystores.close());

    const jwtSecret = settings.executionJwtSecret;
    await checkExecutionEndpoints([...settings.executionEndpoints], network, { jwtSecret });
    await checkConsensusEndpoints([...settings.consensusEndpoints], network);
    const endpointLog: ChainLogger = {
      warn: (message, context, error) => log.debug(message, context, error),
    };
    const execution = createExecutionClient({
      endpoints: [...settings.executionEndpoints],
      jwtSecret,
      network,
      logger: endpointLog,
    });
    const consensus = createConsensusClient({ endpoints: settings.consensusEndpoints, logger: endpointLog });

    const walletFile = settings.walletFile ?? paths.walletFile;
    const api = ssv.apiUrl
      ? createSsvApiClient({ baseUrl: ssv.apiUrl, network: ssv.apiNetwork, logger: log })
      : undefined;
    const base = {
      vault,
      network,
      ssv,
      paths,
      execution,
      consensus,
      keystores,
      ...(api ? { api } : {}),
      log,
      close,
    };
    if (settings.mode === "read") {
      const owner = await ownerAddress(walletFile);
      return { ...base, owner };
    }
    const wallet = await loadHotWallet({
      walletFile,
      passwordFile: settings.walletPasswordFile ?? paths.walletPasswordFile,
    });
    const account = privateKeyToAccount(toPrefixedHex(wallet.privateKey));
    wallet.privateKey.fill(0);
    const genesis = await execution.getBlock({ blockNumber: 0n }).catch((error: unknown) => {
      throw new OperatorError("cannot read the genesis block through --execution-endpoints", {
        cause: error,
        retryable: true,
      });
    });
    const store = StateStore.open({
      file: join(paths.vaultDir, SSV_DATABASE_FILE_NAME),
      network: network.name,
      vault,
      chain: { chainId: network.chainId, genesisHash: genesis.hash },
    });
    closers.push(() => store.close());
    const txChain = viemTxChain(
      createWalletClient({
        account,
        chain: chainOf(network),
        transport: createExecutionTransport({
          endpoints: [...settings.executionEndpoints],
          jwtSecret,
          logger: endpointLog,
        }),
        pollingInterval: Math.max(250, (network.secondsPerSlot * 1000) / 4),
        cacheTime: 0,
      }),
    );
    const sender = createTransactionSender({
      chain: txChain,
      journal: storeJournal(store),
      maxFeePerGasWei: BigInt(Math.round((settings.maxFeePerGasGwei ?? network.maxFeePerGasGwei) * 1e9)),
      receiptTimeoutMs: RECEIPT_TIMEOUT_MS,
    });
    return { ...base, owner: account.address, signing: { account, store, txChain, sender } };
  } catch (error) {
    await close();
    throw error;
  }
}

/** The wallet's address without its password: WALLET_PRIVATE_KEY's, else the keyfile's. */
async function ownerAddress(walletFile: string): Promise<Address> {
  if (process.env[WALLET_PRIVATE_KEY]?.trim()) {
    const wallet = await loadHotWallet({ walletFile, passwordFile: "" });
    wallet.privateKey.fill(0);
    return getAddress(wallet.address);
  }
  return getAddress(await readHotWalletAddress(walletFile));
}

/** The signing parts, or a clear error when the environment was opened read-only. */
export function signingOf(env: SsvEnvironment): SsvSigning {
  if (!env.signing) throw new OperatorError("the SSV environment was opened read-only: nothing can be sent");
  return env.signing;
}

/**
 * The API's records of `ids` (all operators without ids), or undefined when there is no API or
 * it fails: one warning, and the caller goes on with the chain's data (must-be-true 4).
 */
export async function apiOperators(
  env: Pick<SsvEnvironment, "api" | "log">,
  params: { ids?: readonly bigint[]; signal?: AbortSignal },
): Promise<SsvApiOperator[] | undefined> {
  if (!env.api) return undefined;
  try {
    return await env.api.operators(params);
  } catch (error) {
    env.log.warn("SSV API unavailable: continuing with on-chain operator data", {
      reason: (error as Error).message,
    });
    return undefined;
  }
}
