/**
 * What `start` needs to know about a vault of any version, in one Multicall3 `aggregate3` eth_call
 * at one block: its version and validators manager (which flow runs), the DepositDataRegistry's
 * root and next index for it (the registry flow), and the values a registration, top-up or
 * withdrawal plans with (withdrawable assets, the deposit contract's root, the Keeper's harvest
 * flags, the MEV escrow, the validators-manager nonce).
 *
 * Which flow the vault takes follows from `version` and `validatorsManager`
 * (operator/flows/choose-flow.ts).
 *
 * Calls that only newer vaults answer are optional: validatorsManager() from version 2,
 * validatorsManagerNonce() from version 5. Reading them all in one batch costs nothing when they
 * fail, and saves a round trip that would first learn the version.
 */
import type { Address, Hex, PublicClient } from "viem";
import type { NetworkConfig } from "../config/networks.ts";
import { OperatorError, UserInputError } from "../lib/errors.ts";
import { depositContractAbi } from "./abi/deposit-contract.ts";
import { depositDataRegistryAbi } from "./abi/deposit-data-registry.ts";
import { keeperAbi } from "./abi/keeper.ts";
import { vaultV5Abi } from "./abi/vault-v5.ts";
import { type AggregateCall, aggregate3, blockNumberCall, multicall3Of } from "./aggregate3.ts";
import type { BlockOptions } from "./vault-reader.ts";

/** The first version with a validators manager and the DepositDataRegistry (v3-core v2.0.0). */
export const FIRST_MANAGED_VAULT_VERSION = 2;
/** The first version with 0x02 validators, top-ups, EIP-7002 withdrawals and EIP-7251 consolidations (v3-core v4). */
export const FIRST_PECTRA_VAULT_VERSION = 5;

export interface RegistryRecord {
  registry: Address;
  /** The deposit-data root its deposit-data manager set; zero when none was set. */
  depositDataRoot: Hex;
  /** Index in the deposit data of the next validator to register. */
  depositDataIndex: number;
}

export interface VaultState {
  vault: Address;
  /** The block every value was read at. */
  blockNumber: bigint;
  version: number;
  /** Who may register validators; undefined for a version-1 vault (it has a keys manager instead). */
  validatorsManager: Address | undefined;
  /** The nonce a manager signature for fund/withdraw/consolidate signs; undefined before version 5. */
  validatorsManagerNonce: bigint | undefined;
  /** Wei the vault can put into validators now (before any pending harvest). */
  withdrawableAssets: bigint;
  mevEscrow: Address;
  /** The deposit contract's get_deposit_root(): what a registration's approval is bound to. */
  depositRoot: Hex;
  canHarvest: boolean;
  isHarvestRequired: boolean;
  /** This vault's record in the network's DepositDataRegistry; undefined when the network has none. */
  registry: RegistryRecord | undefined;
}

export interface VaultStateReader {
  read(vault: Address, options?: BlockOptions): Promise<VaultState>;
}

export interface CreateVaultStateReaderParameters {
  client: PublicClient;
  network: NetworkConfig;
}

export function createVaultStateReader(params: CreateVaultStateReaderParameters): VaultStateReader {
  const { client, network } = params;
  const registry = network.depositDataRegistry;
  return {
    async read(vault, options) {
      const v = (functionName: string, optional = false): AggregateCall => ({
        target: vault,
        abi: vaultV5Abi,
        functionName,
        owner: "vault",
        optional,
      });
      const calls: AggregateCall[] = [
        blockNumberCall(multicall3Of(network)),
        v("version"),
        v("validatorsManager", true),
        v("validatorsManagerNonce", true),
        v("withdrawableAssets"),
        v("mevEscrow"),
        {
          target: network.depositContract.address,
          abi: depositContractAbi,
          functionName: "get_deposit_root",
          owner: "deposit contract",
        },
        {
          target: network.keeper.address,
          abi: keeperAbi,
          functionName: "canHarvest",
          args: [vault],
          owner: "Keeper",
        },
        {
          target: network.keeper.address,
          abi: keeperAbi,
          functionName: "isHarvestRequired",
          args: [vault],
          owner: "Keeper",
        },
      ];
      if (registry) {
        for (const functionName of ["depositDataRoots", "depositDataIndexes"]) {
          calls.push({
            target: registry,
            abi: depositDataRegistryAbi,
            functionName,
            args: [vault],
            owner: "DepositDataRegistry",
          });
        }
      }
      const results = await aggregate3({
        client,
        network,
        calls,
        ...(options?.blockNumber === undefined ? {} : { blockNumber: options.blockNumber }),
        onFailure: (call, cause) => callFailed(call, network, cause),
      });
      const [
        blockNumber,
        version,
        manager,
        nonce,
        withdrawableAssets,
        mevEscrow,
        depositRoot,
        canHarvest,
        isHarvestRequired,
        registryRoot,
        registryIndex,
      ] = results as [
        bigint,
        number,
        Address | undefined,
        bigint | undefined,
        bigint,
        Address,
        Hex,
        boolean,
        boolean,
        Hex | undefined,
        bigint | undefined,
      ];
      const versionNumber = Number(version);
      if (versionNumber >= FIRST_MANAGED_VAULT_VERSION && manager === undefined) {
        throw new UserInputError(
          `${vault} says it is vault version ${versionNumber} but does not answer validatorsManager(): is it a StakeWise V3 vault on ${network.name}?`,
        );
      }
      return {
        vault,
        blockNumber,
        version: versionNumber,
        validatorsManager: versionNumber >= FIRST_MANAGED_VAULT_VERSION ? manager : undefined,
        validatorsManagerNonce: versionNumber >= FIRST_PECTRA_VAULT_VERSION ? nonce : undefined,
        withdrawableAssets,
        mevEscrow,
        depositRoot,
        canHarvest,
        isHarvestRequired,
        registry:
          registry && registryRoot !== undefined && registryIndex !== undefined
            ? { registry, depositDataRoot: registryRoot, depositDataIndex: Number(registryIndex) }
            : undefined,
      };
    },
  };
}

function callFailed(call: AggregateCall, network: NetworkConfig, cause?: unknown): OperatorError {
  const what = `${call.functionName}()`;
  if (call.owner === "vault") {
    return new UserInputError(
      `${call.target} does not answer ${what}: is it a StakeWise V3 vault on ${network.name}? Check --vault`,
      { cause },
    );
  }
  return new OperatorError(`the ${call.owner} at ${call.target} does not answer ${what} on ${network.name}`, {
    cause,
  });
}
