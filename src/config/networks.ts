import { readFileSync } from "node:fs";
import { z } from "zod";
import { UserInputError } from "../lib/errors.ts";
import { NETWORK_NAMES, type PUBLIC_NETWORKS } from "./network-names.ts";

/**
 * Per-network protocol constants (spec §8). Everything the tool needs to know about a chain
 * lives here; nothing else hard-codes a chain id, a fork version or an address.
 */
export interface NetworkConfig {
  name: NetworkName;
  chainId: number;
  /** Fork version deposits are signed for (4 bytes hex). */
  genesisForkVersion: `0x${string}`;
  /** Voluntary exits are signed for the Capella fork version (EIP-7044). */
  capellaForkVersion: `0x${string}`;
  capellaEpoch: number;
  genesisValidatorsRoot: `0x${string}`;
  slotsPerEpoch: number;
  secondsPerSlot: number;
  /** Deposit amount of one validator in gwei (32 ETH; on Gnosis 32 mGNO = 1 GNO). */
  validatorDepositGwei: number;
  /** What the vault holds per validator, for messages ("32 ETH", "1 GNO"). */
  validatorDepositLabel: string;
  /**
   * Deposit-contract units per unit of the vault's asset: 32 on Gnosis (mGNO per GNO), where the
   * deposit contract and validator balances count mGNO; 1 (the default) elsewhere.
   */
  depositUnitsPerAsset?: number;
  /** Native token that pays gas. */
  gasToken: string;
  /** The token vaults hold and stake (ETH; GNO on Gnosis). */
  assetToken: string;
  keeper: ContractRef;
  depositContract: ContractRef;
  depositDataRegistry?: `0x${string}`;
  /** The oracles' approval of consolidations (vault version 5): the verifyingContract they sign for. */
  consolidationsChecker?: `0x${string}`;
  /** Exit-queue views for withdrawal planning (getExitQueueMissingAssets, …). */
  validatorsChecker?: `0x${string}`;
  sharedMevEscrow?: `0x${string}`;
  genesisVault?: `0x${string}`;
  /**
   * StakeWise V2's pool, whose validators the genesis vault took over: `recover` of the genesis
   * vault also reads the pool's registrations (spec §7.2).
   */
  v2Pool?: ContractRef;
  multicall3?: `0x${string}`;
  /** The EIP-7002 withdrawal request system contract (Pectra); vaults of version 5 forward requests to it. */
  withdrawalRequests?: `0x${string}`;
  /** The EIP-7251 consolidation request system contract (Pectra). */
  consolidationRequests?: `0x${string}`;
  /** Block from which the Keeper's ConfigUpdated events are scanned. */
  configUpdateEventBlock?: number;
  /** Default cap for --max-fee-per-gas-gwei. */
  maxFeePerGasGwei: number;
  /**
   * Default --max-validator-balance-gwei: the most a 0x02 validator is given (spec §1.2; the
   * Python operator's MAX_VALIDATOR_BALANCE_GWEI). Absent: 1945 ETH (operator/v5-settings.ts).
   */
  maxValidatorBalanceGwei?: bigint;
  /** The hot wallet balance below which the service warns (wei). */
  walletMinBalanceWei: bigint;
  /**
   * IPFS gateways holding the network's files (oracle config, rewards); default
   * DEFAULT_IPFS_GATEWAYS. The devnet names its own gateway here. IPFS_FETCH_ENDPOINTS overrides it.
   */
  ipfsGateways?: readonly string[];
  /** The SSV network's contracts and API, where vaults may run their validators on SSV clusters. */
  ssv?: SsvNetworkConfig;
}

/** Where the SSV network lives on a chain (issue 13); `operator ssv …` flags may override it. */
export interface SsvNetworkConfig {
  /** SSVNetwork (the proxy every write goes to and every event comes from). */
  network: `0x${string}`;
  /** SSVNetworkViews (reads). */
  views: `0x${string}`;
  /** The SSV token (SSV-token era); absent where clusters pay in ETH only. */
  token?: `0x${string}`;
  /** Block SSVNetwork was deployed in: the owner's events are scanned from there. */
  deployBlock: number;
  /** The SSV API's base URL (https://api.ssv.network); absent: on-chain data only. */
  apiUrl?: string;
  /** The network's name in the API's paths (/api/v4/{apiNetwork}/operators). */
  apiNetwork: string;
}

export interface ContractRef {
  address: `0x${string}`;
  /** Block the contract was deployed in: event scans start there. */
  genesisBlock: number;
}

/** A network's name (the list is in network-names.ts, which the CLI's options read without this file). */
export type NetworkName = (typeof NETWORK_NAMES)[number];

const MULTICALL3 = "0xcA11bde05977b3631167028862bE2a173976CA11";
/** The Pectra request contracts sit at the same address on every chain (EIP-7002, EIP-7251). */
export const EIP7002_WITHDRAWAL_REQUESTS = "0x00000961Ef480Eb55e80D19ad83579A64c007002";
export const EIP7251_CONSOLIDATION_REQUESTS = "0x0000BBdDc7CE488642fb579F8B00f3a590007251";
/** v3-core v4.0.1 deployments/{mainnet,hoodi,gnosis,chiado}.json: the same address on each. */
const CONSOLIDATIONS_CHECKER = "0x033E5BaE5bdc459CBb7d388b41a9d62020Be810F";
const VALIDATORS_CHECKER = "0xA89629B41477560d49dd56ef1a59BD214362aCDC";
const PECTRA_CONTRACTS = {
  withdrawalRequests: EIP7002_WITHDRAWAL_REQUESTS,
  consolidationRequests: EIP7251_CONSOLIDATION_REQUESTS,
} as const;
const V4_CHECKERS = {
  consolidationsChecker: CONSOLIDATIONS_CHECKER,
  validatorsChecker: VALIDATORS_CHECKER,
} as const;

/** The Python operator's IPFS gateways: where the public networks' files are read from. */
export const DEFAULT_IPFS_GATEWAYS: readonly string[] = [
  "https://ipfs.io",
  "https://stakewise.myfilebase.com",
  "https://stakewise-ipfs.quicknode-ipfs.com",
];
/** Every first-generation vault validator is deposited with 32 ETH (32 mGNO = 1 GNO on Gnosis). */
export const VALIDATOR_DEPOSIT_GWEI = 32_000_000_000;
const ETH_DEPOSIT = VALIDATOR_DEPOSIT_GWEI;
/** Largest 0x02 balance the Python operator v4 gives by default: 1945 ETH; on Gnosis 1800 (mGNO). */
const ETH_MAX_VALIDATOR_BALANCE_GWEI = 1945_000_000_000n;
const GNO_MAX_VALIDATOR_BALANCE_GWEI = 1800_000_000_000n;

const NETWORKS: Record<(typeof PUBLIC_NETWORKS)[number], NetworkConfig> = {
  mainnet: {
    name: "mainnet",
    chainId: 1,
    genesisForkVersion: "0x00000000",
    capellaForkVersion: "0x03000000",
    capellaEpoch: 194048,
    genesisValidatorsRoot: "0x4b363db94e286120d76eb905340fdd4e54bfe9f06bf33ff6cf5ad27f511bfe95",
    slotsPerEpoch: 32,
    secondsPerSlot: 12,
    validatorDepositGwei: ETH_DEPOSIT,
    validatorDepositLabel: "32 ETH",
    gasToken: "ETH",
    assetToken: "ETH",
    keeper: { address: "0x6B5815467da09DaA7DC83Db21c9239d98Bb487b5", genesisBlock: 18470089 },
    depositContract: { address: "0x00000000219ab540356cBB839Cbe05303d7705Fa", genesisBlock: 11052983 },
    depositDataRegistry: "0x75AB6DdCe07556639333d3Df1eaa684F5735223e",
    sharedMevEscrow: "0x48319f97E5Da1233c21c48b80097c0FB7a20Ff86",
    genesisVault: "0xAC0F906E433d58FA868F936E8A43230473652885",
    v2Pool: { address: "0xC874b064f465bdD6411D45734b56fac750Cda29A", genesisBlock: 11726297 },
    multicall3: MULTICALL3,
    ...PECTRA_CONTRACTS,
    ...V4_CHECKERS,
    configUpdateEventBlock: 21471524,
    maxFeePerGasGwei: 100,
    maxValidatorBalanceGwei: ETH_MAX_VALIDATOR_BALANCE_GWEI,
    walletMinBalanceWei: 30_000_000_000_000_000n,
    // ssvlabs/ssv-network .openzeppelin/mainnet.json (proxies) and hardhat.config.ts (token).
    ssv: {
      network: "0xDD9BC35aE942eF0cFa76930954a156B3fF30a4E1",
      views: "0xafE830B6Ee262ba11cce5F32fDCd760FFE6a66e4",
      token: "0x9D65fF81a3c488d585bBfb0Bfe3c7707c7917f54",
      deployBlock: 17507487,
      apiUrl: "https://api.ssv.network",
      apiNetwork: "mainnet",
    },
  },
  hoodi: {
    name: "hoodi",
    chainId: 560048,
    genesisForkVersion: "0x10000910",
    capellaForkVersion: "0x40000910",
    capellaEpoch: 0,
    genesisValidatorsRoot: "0x212f13fc4df078b6cb7db228f1c8307566dcecf900867401a92023d7ba99cb5f",
    slotsPerEpoch: 32,
    secondsPerSlot: 12,
    validatorDepositGwei: ETH_DEPOSIT,
    validatorDepositLabel: "32 ETH",
    gasToken: "ETH",
    assetToken: "ETH",
    keeper: { address: "0xA7D1Ac9D6F32B404C75626874BA56f7654c1dC0f", genesisBlock: 94074 },
    depositContract: { address: "0x00000000219ab540356cBB839Cbe05303d7705Fa", genesisBlock: 0 },
    depositDataRegistry: "0x93a3f880E07B27dacA6Ef2d3C23E77DBd6294487",
    sharedMevEscrow: "0x51FD45BAEfB12f54766B5C4d639b360Ea50063bd",
    genesisVault: "0xba447498DC4c169f2b4f427B2c4D532320457E89",
    multicall3: MULTICALL3,
    ...PECTRA_CONTRACTS,
    ...V4_CHECKERS,
    configUpdateEventBlock: 94090,
    maxFeePerGasGwei: 100,
    maxValidatorBalanceGwei: ETH_MAX_VALIDATOR_BALANCE_GWEI,
    walletMinBalanceWei: 30_000_000_000_000_000n,
  },
  holesky: {
    name: "holesky",
    chainId: 17000,
    genesisForkVersion: "0x01017000",
    capellaForkVersion: "0x04017000",
    capellaEpoch: 256,
    genesisValidatorsRoot: "0x9143aa7c615a7f7115e2b6aac319c03529df8242ae705fba9df39b79c59fa8b1",
    slotsPerEpoch: 32,
    secondsPerSlot: 12,
    validatorDepositGwei: ETH_DEPOSIT,
    validatorDepositLabel: "32 ETH",
    gasToken: "ETH",
    assetToken: "ETH",
    keeper: { address: "0xB580799Bf7d62721D1a523f0FDF2f5Ed7BA4e259", genesisBlock: 215379 },
    depositContract: { address: "0x4242424242424242424242424242424242424242", genesisBlock: 0 },
    depositDataRegistry: "0xAC0F906E433d58FA868F936E8A43230473652885",
    sharedMevEscrow: "0xc98F25BcAA6B812a07460f18da77AF8385be7b56",
    genesisVault: "0x8A94e1d22D83990205843cda08376d16F150c9bb",
    multicall3: MULTICALL3,
    ...PECTRA_CONTRACTS,
    maxFeePerGasGwei: 100,
    maxValidatorBalanceGwei: ETH_MAX_VALIDATOR_BALANCE_GWEI,
    walletMinBalanceWei: 30_000_000_000_000_000n,
  },
  gnosis: {
    name: "gnosis",
    chainId: 100,
    genesisForkVersion: "0x00000064",
    capellaForkVersion: "0x03000064",
    capellaEpoch: 648704,
    genesisValidatorsRoot: "0xf5dcb5564e829aab27264b9becd5dfaa017085611224cb3036f573368dbb9d47",
    slotsPerEpoch: 16,
    secondsPerSlot: 5,
    // 1 GNO = 32 mGNO: the deposit contract counts mGNO, so one validator is "32" of them.
    validatorDepositGwei: ETH_DEPOSIT,
    validatorDepositLabel: "1 GNO",
    depositUnitsPerAsset: 32,
    gasToken: "xDAI",
    assetToken: "GNO",
    keeper: { address: "0xcAC0e3E35d3BA271cd2aaBE688ac9DB1898C26aa", genesisBlock: 34778552 },
    depositContract: { address: "0x0B98057eA310F4d31F2a452B414647007d1645d9", genesisBlock: 19469076 },
    depositDataRegistry: "0x58e16621B5c0786D6667D2d54E28A20940269E16",
    sharedMevEscrow: "0x30db0d10d3774e78f8cB214b9e8B72D4B402488a",
    genesisVault: "0x4b4406Ed8659D03423490D8b62a1639206dA0A7a",
    v2Pool: { address: "0x2f99472b727e15EECf9B9eFF9F7481B85d3b4444", genesisBlock: 21275812 },
    multicall3: MULTICALL3,
    ...PECTRA_CONTRACTS,
    ...V4_CHECKERS,
    configUpdateEventBlock: 37640206,
    maxFeePerGasGwei: 2,
    maxValidatorBalanceGwei: GNO_MAX_VALIDATOR_BALANCE_GWEI,
    walletMinBalanceWei: 10_000_000_000_000_000n,
  },
  chiado: {
    name: "chiado",
    chainId: 10200,
    genesisForkVersion: "0x0000006f",
    capellaForkVersion: "0x0300006f",
    capellaEpoch: 244224,
    genesisValidatorsRoot: "0x9d642dac73058fbf39c0ae41ab1e34e4d889043cb199851ded7095bc99eb4c1e",
    slotsPerEpoch: 16,
    secondsPerSlot: 5,
    validatorDepositGwei: ETH_DEPOSIT,
    validatorDepositLabel: "1 GNO",
    depositUnitsPerAsset: 32,
    gasToken: "xDAI",
    assetToken: "GNO",
    keeper: { address: "0x5f31eD13eBF81B67a9f9498F3d1D2Da553058988", genesisBlock: 10627588 },
    depositContract: { address: "0xb97036A26259B7147018913bD58a774cf91acf25", genesisBlock: 155434 },
    depositDataRegistry: "0xFAce8504462AEb9BB6ae7Ecb206BD7B1EdF7956D",
    multicall3: MULTICALL3,
    ...PECTRA_CONTRACTS,
    ...V4_CHECKERS,
    maxFeePerGasGwei: 2,
    maxValidatorBalanceGwei: GNO_MAX_VALIDATOR_BALANCE_GWEI,
    walletMinBalanceWei: 10_000_000_000_000_000n,
  },
};

export function isNetworkName(value: string): value is NetworkName {
  return (NETWORK_NAMES as readonly string[]).includes(value);
}

/** The network whose genesis fork version is `forkVersion` (hex, with or without 0x). */
export function publicNetworkByForkVersion(forkVersion: string): NetworkConfig | undefined {
  const normalised = `0x${forkVersion.replace(/^0x/, "").toLowerCase()}`;
  return Object.values(NETWORKS).find((n) => n.genesisForkVersion === normalised);
}

export interface ResolveNetworkOptions {
  /** Where the devnet's network file is (written by `operator devnet`). */
  devnetFile: string;
}

/** Looks up a network by name; `devnet` is read from its file. Unknown names are a user error. */
export function resolveNetwork(name: string, options: ResolveNetworkOptions): NetworkConfig {
  if (!isNetworkName(name)) {
    throw new UserInputError(
      `unknown network "${name}": use one of ${NETWORK_NAMES.join(", ")} (--network or NETWORK)`,
    );
  }
  if (name === "devnet") return loadDevnetNetwork(options.devnetFile);
  return NETWORKS[name];
}

const hex = (bytes: number) =>
  z.string().regex(new RegExp(`^0x[0-9a-fA-F]{${bytes * 2}}$`), `must be 0x-prefixed hex of ${bytes} bytes`);
const address = hex(20) as unknown as z.ZodType<`0x${string}`>;
const contract = z.object({ address, genesisBlock: z.number().int().nonnegative() });

/** The devnet file: the same fields as a public network, written by `operator devnet`. */
const DevnetFileSchema = z.object({
  chainId: z.number().int().positive(),
  genesisForkVersion: hex(4),
  capellaForkVersion: hex(4),
  capellaEpoch: z.number().int().nonnegative().default(0),
  genesisValidatorsRoot: hex(32),
  slotsPerEpoch: z.number().int().positive(),
  secondsPerSlot: z.number().positive(),
  validatorDepositGwei: z.number().int().positive().default(ETH_DEPOSIT),
  validatorDepositLabel: z.string().default("32 ETH"),
  gasToken: z.string().default("ETH"),
  assetToken: z.string().default("ETH"),
  keeper: contract,
  depositContract: contract,
  depositDataRegistry: address.optional(),
  consolidationsChecker: address.optional(),
  validatorsChecker: address.optional(),
  sharedMevEscrow: address.optional(),
  genesisVault: address.optional(),
  v2Pool: contract.optional(),
  multicall3: address.optional(),
  // anvil's Prague genesis holds the request contracts at their canonical addresses.
  withdrawalRequests: address.default(EIP7002_WITHDRAWAL_REQUESTS),
  consolidationRequests: address.default(EIP7251_CONSOLIDATION_REQUESTS),
  configUpdateEventBlock: z.number().int().nonnegative().optional(),
  maxFeePerGasGwei: z.number().positive().default(100),
  walletMinBalanceWei: z
    .union([z.string().regex(/^\d+$/), z.number().int().nonnegative()])
    .default("10000000000000000")
    .transform((v) => BigInt(v)),
  ipfsGateways: z
    .array(z.url({ protocol: /^https?$/, message: "must be an http(s) URL" }))
    .min(1)
    .optional(),
  ssv: z
    .object({
      network: address,
      views: address,
      token: address.optional(),
      deployBlock: z.number().int().nonnegative(),
      apiUrl: z.url({ protocol: /^https?$/, message: "must be an http(s) URL" }).optional(),
      apiNetwork: z.string().min(1).default("devnet"),
    })
    .optional(),
});

export type DevnetFile = z.input<typeof DevnetFileSchema>;

export function loadDevnetNetwork(file: string): NetworkConfig {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    throw new UserInputError(
      `devnet network file ${file} cannot be read: start one with "operator devnet" or point DEVNET_CONFIG_FILE at its network file`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new UserInputError(
      `devnet network file ${file} is not valid JSON: write it again with "operator devnet"`,
    );
  }
  const parsed = DevnetFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join(".") || "(root)";
    throw new UserInputError(
      `devnet network file ${file}: field "${field}" ${issue?.message ?? "is invalid"}`,
    );
  }
  const data = parsed.data;
  const config: NetworkConfig = {
    name: "devnet",
    chainId: data.chainId,
    genesisForkVersion: data.genesisForkVersion.toLowerCase() as `0x${string}`,
    capellaForkVersion: data.capellaForkVersion.toLowerCase() as `0x${string}`,
    capellaEpoch: data.capellaEpoch,
    genesisValidatorsRoot: data.genesisValidatorsRoot.toLowerCase() as `0x${string}`,
    slotsPerEpoch: data.slotsPerEpoch,
    secondsPerSlot: data.secondsPerSlot,
    validatorDepositGwei: data.validatorDepositGwei,
    validatorDepositLabel: data.validatorDepositLabel,
    gasToken: data.gasToken,
    assetToken: data.assetToken,
    keeper: data.keeper,
    depositContract: data.depositContract,
    maxFeePerGasGwei: data.maxFeePerGasGwei,
    walletMinBalanceWei: data.walletMinBalanceWei,
    withdrawalRequests: data.withdrawalRequests,
    consolidationRequests: data.consolidationRequests,
  };
  if (data.depositDataRegistry) config.depositDataRegistry = data.depositDataRegistry;
  if (data.consolidationsChecker) config.consolidationsChecker = data.consolidationsChecker;
  if (data.validatorsChecker) config.validatorsChecker = data.validatorsChecker;
  if (data.sharedMevEscrow) config.sharedMevEscrow = data.sharedMevEscrow;
  if (data.genesisVault) config.genesisVault = data.genesisVault;
  if (data.v2Pool) config.v2Pool = data.v2Pool;
  if (data.multicall3) config.multicall3 = data.multicall3;
  if (data.configUpdateEventBlock !== undefined) config.configUpdateEventBlock = data.configUpdateEventBlock;
  if (data.ipfsGateways) config.ipfsGateways = data.ipfsGateways;
  if (data.ssv) {
    const { token, apiUrl, ...ssv } = data.ssv;
    config.ssv = { ...ssv, ...(token ? { token } : {}), ...(apiUrl ? { apiUrl } : {}) };
  }
  return Object.freeze(config);
}
