/**
 * A ready devnet for e2e tests: a real anvil node with our protocol contracts deployed and N
 * oracle keys registered in the Keeper. Start-to-ready takes well under a second with automine.
 *
 *   const devnet = await startDevnetChain({ oracles: 3 });
 *   after(() => devnet.stop());
 *   const vault = await devnet.createVault();
 */
import { type Address, createTestClient, type Hex, http, type TypedDataDefinition } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { combineOracleSignatures, type OracleSignature } from "../../src/chain/keeper-eip712.ts";
import { createSignerClient, type SignerClient } from "../../src/chain/signer-client.ts";
import {
  DEVNET_ROLES,
  type DevnetAccounts,
  type DevnetRole,
  deriveOracleKeys,
  devnetAccounts,
  type OracleKey,
} from "../../src/devnet/accounts.ts";
import { type AnvilInstance, startAnvil } from "../../src/devnet/anvil.ts";
import {
  type CreateVaultParameters,
  createVault,
  type DevnetProtocol,
  type DevnetVault,
  deployProtocol,
} from "../../src/devnet/deploy.ts";

export interface StartDevnetChainOptions {
  /** Number of oracles (default 3). */
  oracles?: number;
  /** Default: a majority of the oracles. */
  validatorsMinOracles?: number;
  /** Default: a majority of the oracles. */
  rewardsMinOracles?: number;
  /** Default "automine" (one block per transaction); a number gives interval mining. */
  blockTime?: number | "automine";
  chainId?: number;
  configIpfsHash?: string;
  /** Seed string of the oracle keys (default: the devnet's). */
  oraclesSeed?: string;
}

export type VaultOptions = Omit<CreateVaultParameters, "client" | "protocol" | "admin"> & { admin?: Address };

export interface DevnetChain {
  anvil: AnvilInstance;
  accounts: DevnetAccounts;
  /** One signing + reading client per funded role. */
  clients: Readonly<Record<DevnetRole, SignerClient>>;
  /** anvil_* / evm_* helpers (mine, increaseTime, setBalance, …). */
  testClient: ReturnType<typeof createDevnetTestClient>;
  /** Oracle keys in index order; all registered in the Keeper. */
  oracles: readonly OracleKey[];
  protocol: DevnetProtocol;
  /** A vault administered by the `admin` account, keys managed by `keysManager`. */
  createVault(options?: VaultOptions): Promise<DevnetVault>;
  /**
   * The `signatures` bytes for a Keeper message: every oracle in `signers` (default: all) signs,
   * the first `threshold` (default: validatorsMinOracles) by address are concatenated.
   */
  signAsOracles(typedData: TypedDataDefinition, options?: SignAsOraclesOptions): Promise<Hex>;
  stop(): Promise<void>;
}

export interface SignAsOraclesOptions {
  signers?: readonly OracleKey[];
  threshold?: number;
}

export const TEST_CONFIG_IPFS_HASH = "bafkreidevnetoracleconfig";

function createDevnetTestClient(anvil: AnvilInstance) {
  return createTestClient({
    mode: "anvil",
    chain: anvil.chain,
    transport: http(anvil.url),
    pollingInterval: 50,
  });
}

export async function startDevnetChain(options: StartDevnetChainOptions = {}): Promise<DevnetChain> {
  const oracleCount = options.oracles ?? 3;
  const majority = Math.floor(oracleCount / 2) + 1;
  const oracles = deriveOracleKeys({
    count: oracleCount,
    ...(options.oraclesSeed === undefined ? {} : { seed: options.oraclesSeed }),
  });
  const anvil = await startAnvil({
    blockTime: options.blockTime ?? "automine",
    ...(options.chainId === undefined ? {} : { chainId: options.chainId }),
  });
  try {
    const accounts = devnetAccounts();
    const clients = Object.fromEntries(
      DEVNET_ROLES.map((role) => [
        role,
        createSignerClient({
          url: anvil.url,
          chain: anvil.chain,
          account: privateKeyToAccount(accounts[role].privateKey),
          pollingIntervalMs: 50,
        }),
      ]),
    ) as Record<DevnetRole, SignerClient>;
    const protocol = await deployProtocol({
      client: clients.deployer,
      oracles: oracles.map((o) => o.address),
      validatorsMinOracles: options.validatorsMinOracles ?? majority,
      rewardsMinOracles: options.rewardsMinOracles ?? majority,
      configIpfsHash: options.configIpfsHash ?? TEST_CONFIG_IPFS_HASH,
    });
    return {
      anvil,
      accounts,
      clients,
      testClient: createDevnetTestClient(anvil),
      oracles,
      protocol,
      createVault: (vaultOptions = {}) =>
        createVault({
          ...vaultOptions,
          client: clients.deployer,
          protocol,
          admin: vaultOptions.admin ?? accounts.admin.address,
          keysManager: vaultOptions.keysManager ?? accounts.keysManager.address,
        }),
      signAsOracles: async (typedData, signOptions = {}) => {
        const signers = signOptions.signers ?? oracles;
        const signatures: OracleSignature[] = await Promise.all(
          signers.map(async (oracle) => ({
            oracle: oracle.address,
            signature: await privateKeyToAccount(oracle.privateKey).signTypedData(typedData),
          })),
        );
        return combineOracleSignatures(signatures, signOptions.threshold ?? protocol.validatorsMinOracles);
      },
      stop: () => anvil.stop(),
    };
  } catch (error) {
    await anvil.stop();
    throw error;
  }
}
