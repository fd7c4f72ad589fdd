import { readFile } from "node:fs/promises";
import { type Address, createPublicClient, defineChain, getAddress, type Hex, http } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { z } from "zod";
import { createSignerClient } from "../chain/signer-client.ts";
import type { NetworkConfig } from "../config/networks.ts";
import { UserInputError } from "../lib/errors.ts";
import type { OracleKey } from "./accounts.ts";
import { type DevnetServices, startServices } from "./devnet.ts";
import { createDevnetLifecycle, writeNetworkFile } from "./lifecycle.ts";

const hex = (bytes: number) =>
  z.string().regex(new RegExp(`^0x[0-9a-fA-F]{${bytes * 2}}$`), `must be 0x + ${bytes * 2} hex`);
const contract = z.object({ address: hex(20), genesisBlock: z.number().int().nonnegative() });

/**
 * The --contracts file: a deployment of the protocol elsewhere (addresses, fork versions) and the
 * keys the devnet services need there — the Keeper owner's (to publish the oracles' config) and
 * the private keys of oracles registered in that Keeper.
 */
const ContractsFileSchema = z.object({
  genesisForkVersion: hex(4),
  capellaForkVersion: hex(4),
  capellaEpoch: z.number().int().nonnegative().default(0),
  genesisValidatorsRoot: hex(32),
  slotsPerEpoch: z.number().int().positive().default(8),
  secondsPerSlot: z.number().int().positive().default(12),
  depositContract: contract,
  keeper: contract,
  vaultsRegistry: hex(20),
  sharedMevEscrow: hex(20).optional(),
  multicall3: hex(20).optional(),
  keeperOwnerPrivateKey: hex(32),
  oraclePrivateKeys: z.array(hex(32)).min(1),
  recoverThreshold: z.number().int().positive().optional(),
});

export interface ExternalDevnetOptions {
  rpcUrl: string;
  contractsFile: string;
  outputDir?: string;
  signal?: AbortSignal;
}

export interface ExternalDevnet extends DevnetServices {
  network: NetworkConfig;
  executionUrl: string;
  files: { network: string } | undefined;
  stop(): Promise<void>;
}

/** Runs the oracles, IPFS and the beacon simulator against protocol contracts deployed elsewhere. */
export async function startExternalDevnet(options: ExternalDevnetOptions): Promise<ExternalDevnet> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(options.contractsFile, "utf8"));
  } catch (error) {
    throw new UserInputError(
      `--contracts ${options.contractsFile} cannot be read as JSON: ${(error as Error).message}`,
    );
  }
  const parsed = ContractsFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UserInputError(
      `--contracts ${options.contractsFile}: field "${issue?.path.join(".") || "(root)"}" ${issue?.message ?? "is invalid"}`,
    );
  }
  const file = parsed.data;
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
  const network: NetworkConfig = {
    name: "devnet",
    chainId,
    genesisForkVersion: file.genesisForkVersion.toLowerCase() as Hex,
    capellaForkVersion: file.capellaForkVersion.toLowerCase() as Hex,
    capellaEpoch: file.capellaEpoch,
    genesisValidatorsRoot: file.genesisValidatorsRoot.toLowerCase() as Hex,
    slotsPerEpoch: file.slotsPerEpoch,
    secondsPerSlot: file.secondsPerSlot,
    validatorDepositGwei: 32_000_000_000,
    validatorDepositLabel: "32 ETH",
    gasToken: "ETH",
    assetToken: "ETH",
    keeper: { address: getAddress(file.keeper.address), genesisBlock: file.keeper.genesisBlock },
    depositContract: {
      address: getAddress(file.depositContract.address),
      genesisBlock: file.depositContract.genesisBlock,
    },
    ...(file.sharedMevEscrow ? { sharedMevEscrow: getAddress(file.sharedMevEscrow) } : {}),
    ...(file.multicall3 ? { multicall3: getAddress(file.multicall3) } : {}),
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
    const owner = createSignerClient({
      url: options.rpcUrl,
      chain,
      account: privateKeyToAccount(file.keeperOwnerPrivateKey as Hex),
    });
    const services = await startServices({
      rpcUrl: options.rpcUrl,
      chain,
      network,
      vaultsRegistry: getAddress(file.vaultsRegistry) as Address,
      owner,
      oracleKeys,
      recoverThreshold: file.recoverThreshold ?? Math.floor(oracleKeys.length / 2) + 1,
      lifetime,
      stops,
    });
    const served: NetworkConfig = { ...network, ipfsGateways: [services.ipfsGateway.url] };
    let files: { network: string } | undefined;
    if (options.outputDir) {
      files = { network: await writeNetworkFile(served, options.outputDir) };
    }
    return { ...services, network: served, executionUrl: options.rpcUrl, files, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
