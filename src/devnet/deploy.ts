/**
 * Deploys our devnet contracts (contracts/*.sol, compiled by `npm run build:contracts`) to an anvil
 * node: the protocol once (deployProtocol), then any number of vaults (createVault).
 *
 * Transactions are sent back to back with consecutive nonces and awaited together, so a deployment
 * takes one block on an interval-mining node instead of one block per transaction.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Abi, type Address, getAddress, getContractAddress, type Hex } from "viem";
import type { SignerClient } from "../chain/signer-client.ts";
import { OperatorError } from "../lib/errors.ts";
import { MULTICALL3_ADDRESS } from "./anvil.ts";
import {
  CONSOLIDATION_REQUESTS_ADDRESS,
  SYSTEM_REQUEST_CONTRACTS,
  WITHDRAWAL_REQUESTS_ADDRESS,
} from "./system-contracts.ts";
import type { DevnetVaultVersion } from "./vault-version.ts";

export class DeployError extends OperatorError {
  override name = "DeployError";
}

/**
 * Genesis fork version of the devnet's beacon chain (hoodi-style numbering, 0x10 ‖ chain tag):
 * deposit data for the devnet is signed for this version, exits for DEVNET_CAPELLA_FORK_VERSION.
 */
export const DEVNET_GENESIS_FORK_VERSION = "0x10000038";
export const DEVNET_CAPELLA_FORK_VERSION = "0x40000038";
/** Cap of Keeper.updateRewards' avgRewardPerSecond (wei per second per 1e18 wei staked, ≈ 20 % a year). */
export const DEFAULT_MAX_AVG_REWARD_PER_SECOND = 6_341_958_397n;

const ARTIFACTS_DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "contracts", "artifacts");

export type DevnetContractName =
  | "DepositContract"
  | "VaultsRegistry"
  | "SharedMevEscrow"
  | "Keeper"
  | "Multicall3"
  | "EthVault"
  | "EthVaultV5"
  | "OwnMevEscrow"
  | "DepositDataRegistry"
  | "ConsolidationsChecker"
  | "ValidatorsChecker"
  | "WithdrawalRequests"
  | "ConsolidationRequests"
  | "SSVToken"
  | "SSVNetwork"
  | "SSVNetworkEth"
  | "SSVNetworkViews"
  | "SSVNetworkViewsEth";

/**
 * What startDevnet and createVault make when the caller names no version: the first-generation
 * vault, which the version-1 suites run on (the `operator devnet` command defaults to
 * DEFAULT_DEVNET_VAULT_VERSION).
 */
export const LIBRARY_VAULT_VERSION: DevnetVaultVersion = 1;

export interface DevnetArtifact {
  contractName: DevnetContractName;
  abi: Abi;
  bytecode: Hex;
  deployedBytecode: Hex;
}

/** Reads contracts/artifacts/<name>.json. */
export function loadArtifact(name: DevnetContractName): DevnetArtifact {
  const file = join(ARTIFACTS_DIR, `${name}.json`);
  let artifact: Partial<DevnetArtifact>;
  try {
    artifact = JSON.parse(readFileSync(file, "utf8")) as Partial<DevnetArtifact>;
  } catch (cause) {
    throw new DeployError(`cannot read the contract artifact ${file}: run "npm run build:contracts"`, {
      cause,
    });
  }
  const { abi, bytecode, deployedBytecode } = artifact;
  if (!Array.isArray(abi) || !bytecode?.startsWith("0x") || !deployedBytecode?.startsWith("0x")) {
    throw new DeployError(`contract artifact ${file} is malformed: run "npm run build:contracts"`);
  }
  return { contractName: name, abi, bytecode, deployedBytecode };
}

export interface DeployedContract {
  address: Address;
  /** Block of the deployment: event scans start there. */
  blockNumber: bigint;
}

export interface DeployProtocolParameters {
  /** Signs every transaction; becomes the owner of the Keeper and the VaultsRegistry. */
  client: SignerClient;
  oracles: readonly Address[];
  validatorsMinOracles: number;
  rewardsMinOracles: number;
  /** Emitted as the Keeper's first ConfigUpdated event. */
  configIpfsHash: string;
  /** Recorded in the result for the network file (default DEVNET_GENESIS_FORK_VERSION). */
  genesisForkVersion?: Hex;
  /** Minimum seconds between rewards updates (default 0: any newer block). */
  rewardsDelay?: number;
  maxAvgRewardPerSecond?: bigint;
}

export interface DevnetProtocol {
  chainId: number;
  genesisForkVersion: Hex;
  owner: Address;
  depositContract: DeployedContract;
  vaultsRegistry: DeployedContract;
  sharedMevEscrow: DeployedContract;
  keeper: DeployedContract;
  /** Deposit-data flow of version-2+ vaults (a vault's validators manager when it uses it). */
  depositDataRegistry: DeployedContract;
  /** The oracles' approval of consolidations (EIP-712 domain "ConsolidationsChecker"). */
  consolidationsChecker: DeployedContract;
  /** Exit-queue views for withdrawal planning (getExitQueueCumulativeTickets, …). */
  validatorsChecker: DeployedContract;
  /** Multicall3's code placed at the canonical address (no deployment transaction). */
  multicall3: Address;
  /** The EIP-7002 and EIP-7251 request contracts at their canonical addresses (placed, not deployed). */
  validatorsWithdrawals: Address;
  validatorsConsolidations: Address;
  oracles: readonly Address[];
  validatorsMinOracles: number;
  rewardsMinOracles: number;
  configIpfsHash: string;
}

/**
 * Deploys DepositContract, VaultsRegistry, SharedMevEscrow, Keeper (configured), DepositDataRegistry,
 * ConsolidationsChecker and ValidatorsChecker; places Multicall3 and the EIP-7002 / EIP-7251 request
 * contracts at their canonical addresses.
 */
export async function deployProtocol(params: DeployProtocolParameters): Promise<DevnetProtocol> {
  const { client } = params;
  const from = client.account.address;
  const nonce = await client.getTransactionCount({ address: from, blockTag: "pending" });
  const addressAt = (offset: number) => getContractAddress({ from, nonce: BigInt(nonce + offset) });
  const depositContract = addressAt(0);
  const vaultsRegistry = addressAt(1);
  const sharedMevEscrow = addressAt(2);
  const keeper = addressAt(3);
  const depositDataRegistry = addressAt(4);
  const consolidationsChecker = addressAt(5);
  const validatorsChecker = addressAt(6);

  const keeperConfig = {
    sharedMevEscrow,
    vaultsRegistry,
    validatorsRegistry: depositContract,
    rewardsDelay: BigInt(params.rewardsDelay ?? 0),
    maxAvgRewardPerSecond: params.maxAvgRewardPerSecond ?? DEFAULT_MAX_AVG_REWARD_PER_SECOND,
    oracles: params.oracles,
    validatorsMinOracles: BigInt(params.validatorsMinOracles),
    rewardsMinOracles: BigInt(params.rewardsMinOracles),
    configIpfsHash: params.configIpfsHash,
  };
  const blocks = await sendAll(client, nonce, [
    (n) => deploy(client, "DepositContract", [], n),
    (n) => deploy(client, "VaultsRegistry", [], n),
    (n) => deploy(client, "SharedMevEscrow", [vaultsRegistry], n),
    (n) => deploy(client, "Keeper", [keeperConfig], n),
    (n) => deploy(client, "DepositDataRegistry", [vaultsRegistry], n),
    (n) => deploy(client, "ConsolidationsChecker", [keeper], n),
    (n) => deploy(client, "ValidatorsChecker", [], n),
  ]);
  await setCode(client, MULTICALL3_ADDRESS, loadArtifact("Multicall3").deployedBytecode);
  for (const { address, artifact } of SYSTEM_REQUEST_CONTRACTS) {
    // A genesis that already has the EIPs' contracts keeps them.
    const code = await client.getCode({ address });
    if (code === undefined || code === "0x")
      await setCode(client, address, loadArtifact(artifact).deployedBytecode);
  }

  const at = (address: Address, index: number): DeployedContract => ({
    address: getAddress(address),
    blockNumber: blocks[index] as bigint,
  });
  return {
    chainId: await client.getChainId(),
    genesisForkVersion: params.genesisForkVersion ?? DEVNET_GENESIS_FORK_VERSION,
    owner: from,
    depositContract: at(depositContract, 0),
    vaultsRegistry: at(vaultsRegistry, 1),
    sharedMevEscrow: at(sharedMevEscrow, 2),
    keeper: at(keeper, 3),
    depositDataRegistry: at(depositDataRegistry, 4),
    consolidationsChecker: at(consolidationsChecker, 5),
    validatorsChecker: at(validatorsChecker, 6),
    multicall3: MULTICALL3_ADDRESS,
    validatorsWithdrawals: WITHDRAWAL_REQUESTS_ADDRESS,
    validatorsConsolidations: CONSOLIDATION_REQUESTS_ADDRESS,
    oracles: params.oracles.map((oracle) => getAddress(oracle)),
    validatorsMinOracles: params.validatorsMinOracles,
    rewardsMinOracles: params.rewardsMinOracles,
    configIpfsHash: params.configIpfsHash,
  };
}

export interface CreateVaultParameters {
  /** The protocol owner's client (it adds the vault to the registry). */
  client: SignerClient;
  protocol: DevnetProtocol;
  admin: Address;
  /** Default LIBRARY_VAULT_VERSION. */
  version?: DevnetVaultVersion;
  /** Version 1: who sets the validators root. Default: the admin. */
  keysManager?: Address;
  /**
   * Version 5: who registers, funds, withdraws and consolidates (an account, or the
   * DepositDataRegistry for the deposit-data flow). Default: the admin.
   */
  validatorsManager?: Address;
  /** True: the vault gets its own MEV escrow; false (default): the shared one. */
  ownMevEscrow?: boolean;
  /** Paid at creation and minted as the vault's own shares (default and minimum 1 gwei). */
  securityDepositWei?: bigint;
}

export interface DevnetVault extends DeployedContract {
  version: DevnetVaultVersion;
  admin: Address;
  /** Version 1: the keys manager. Version 5: the validators manager at creation (same address). */
  keysManager: Address;
  mevEscrow: Address;
}

/**
 * Deploys an EthVault (version 1) or EthVaultV5 (version 5) and registers it in the VaultsRegistry.
 * Vaults of both versions can live side by side on one devnet.
 */
export async function createVault(params: CreateVaultParameters): Promise<DevnetVault> {
  const { client, protocol } = params;
  const version = params.version ?? LIBRARY_VAULT_VERSION;
  const from = client.account.address;
  const nonce = await client.getTransactionCount({ address: from, blockTag: "pending" });
  const vault = getContractAddress({ from, nonce: BigInt(nonce) });
  const keysManager =
    (version === 1 ? params.keysManager : (params.validatorsManager ?? params.keysManager)) ?? params.admin;
  const common = {
    keeper: protocol.keeper.address,
    validatorsRegistry: protocol.depositContract.address,
    sharedMevEscrow: protocol.sharedMevEscrow.address,
    admin: params.admin,
    ownMevEscrow: params.ownMevEscrow ?? false,
  };
  const vaultConfig =
    version === 1
      ? { ...common, keysManager }
      : {
          ...common,
          validatorsWithdrawals: protocol.validatorsWithdrawals,
          validatorsConsolidations: protocol.validatorsConsolidations,
          consolidationsChecker: protocol.consolidationsChecker.address,
          validatorsManager: keysManager,
        };
  const artifact = version === 1 ? "EthVault" : "EthVaultV5";
  const registry = loadArtifact("VaultsRegistry");
  const [blockNumber] = await sendAll(client, nonce, [
    (n) => deploy(client, artifact, [vaultConfig], n, params.securityDepositWei ?? 1_000_000_000n),
    (n) =>
      client.writeContract({
        address: protocol.vaultsRegistry.address,
        abi: registry.abi,
        functionName: "addVault",
        args: [vault],
        nonce: n,
      }),
  ]);
  const mevEscrow = await client.readContract({
    address: vault,
    abi: loadArtifact(artifact).abi,
    functionName: "mevEscrow",
  });
  return {
    address: getAddress(vault),
    blockNumber: blockNumber as bigint,
    version,
    admin: getAddress(params.admin),
    keysManager: getAddress(keysManager),
    mevEscrow: getAddress(mevEscrow as Address),
  };
}

export function deploy(
  client: SignerClient,
  name: DevnetContractName,
  args: readonly unknown[],
  nonce: number,
  value?: bigint,
): Promise<Hex> {
  const { abi, bytecode } = loadArtifact(name);
  return client.deployContract({ abi, bytecode, args, nonce, ...(value === undefined ? {} : { value }) });
}

/**
 * Sends the transactions with nonces first, first + 1, … without waiting in between, then waits
 * for every receipt. Returns their block numbers; throws when one reverted.
 */
export async function sendAll(
  client: SignerClient,
  first: number,
  sends: readonly ((nonce: number) => Promise<Hex>)[],
): Promise<bigint[]> {
  const hashes: Hex[] = [];
  for (const [offset, send] of sends.entries()) {
    try {
      hashes.push(await send(first + offset));
    } catch (cause) {
      throw new DeployError(`devnet deployment transaction ${offset + 1} of ${sends.length} failed`, {
        cause,
      });
    }
  }
  const receipts = await Promise.all(hashes.map((hash) => client.waitForTransactionReceipt({ hash })));
  for (const receipt of receipts) {
    if (receipt.status !== "success") {
      throw new DeployError(`devnet deployment transaction ${receipt.transactionHash} reverted`);
    }
  }
  return receipts.map((receipt) => receipt.blockNumber);
}

/** anvil_setCode: places runtime code at an address (anvil only). */
async function setCode(client: SignerClient, address: Address, code: Hex): Promise<void> {
  // The wallet client's request type only knows standard methods; anvil's are plain JSON-RPC.
  const request = client.request as unknown as (args: {
    method: string;
    params: unknown[];
  }) => Promise<unknown>;
  await request({ method: "anvil_setCode", params: [address, code] });
}
