/**
 * What registration reads from a first-generation vault (spec §6.3): one Multicall3 `aggregate3`
 * eth_call returns the vault's validators root, next validator index, withdrawable assets, MEV
 * escrow, version and keys manager, the deposit contract's root and the Keeper's harvest flags, all
 * at the same block. A harvest is simulated as `vault.multicall([updateState(h),
 * withdrawableAssets()])` to learn the assets available after it.
 */
import { type Address, decodeFunctionResult, encodeFunctionData, type Hex, type PublicClient } from "viem";
import type { NetworkConfig } from "../config/networks.ts";
import { OperatorError, UserInputError } from "../lib/errors.ts";
import { depositContractAbi } from "./abi/deposit-contract.ts";
import { keeperAbi } from "./abi/keeper.ts";
import { vaultAbi } from "./abi/vault.ts";
import { type AggregateCall, aggregate3, blockNumberCall, multicall3Of } from "./aggregate3.ts";

export interface VaultSnapshot {
  vault: Address;
  /** The block every value was read at. */
  blockNumber: bigint;
  validatorsRoot: Hex;
  /** Index in the validators tree of the next validator to register. */
  validatorIndex: number;
  /** Wei the vault can put into new validators now (before any pending harvest). */
  withdrawableAssets: bigint;
  mevEscrow: Address;
  version: number;
  keysManager: Address;
  /** The deposit contract's get_deposit_root(): the registry root approvals are bound to. */
  depositRoot: Hex;
  /** Keeper.canHarvest(vault): a rewards update newer than the vault's state exists. */
  canHarvest: boolean;
  /** Keeper.isHarvestRequired(vault): the vault is two updates behind and must harvest first. */
  isHarvestRequired: boolean;
}

/** The vault's `updateState` argument (spec §5.2 harvestParams). */
export interface HarvestParams {
  rewardsRoot: Hex;
  reward: bigint;
  unlockedMevReward: bigint;
  proof: readonly Hex[];
}

export interface BlockOptions {
  /** Default: the latest block. */
  blockNumber?: bigint;
}

export interface VaultReader {
  readVault(vault: Address, options?: BlockOptions): Promise<VaultSnapshot>;
  depositRoot(options?: BlockOptions): Promise<Hex>;
  canHarvest(vault: Address, options?: BlockOptions): Promise<boolean>;
  isHarvestRequired(vault: Address, options?: BlockOptions): Promise<boolean>;
  /** Withdrawable assets right after `vault.updateState(harvestParams)`, by eth_call. */
  simulateHarvestThenAssets(
    vault: Address,
    harvestParams: HarvestParams,
    options?: BlockOptions,
  ): Promise<bigint>;
}

export interface CreateVaultReaderParameters {
  client: PublicClient;
  network: NetworkConfig;
}

/** Call data of `vault.updateState(harvestParams)`, for a vault.multicall. */
export function updateStateCallData(harvestParams: HarvestParams): Hex {
  return encodeFunctionData({ abi: vaultAbi, functionName: "updateState", args: [harvestParams] });
}

type Call = AggregateCall & {
  owner: "vault" | "deposit contract" | "Keeper" | "Multicall3";
};

export function createVaultReader(params: CreateVaultReaderParameters): VaultReader {
  const { client, network } = params;
  const keeper = network.keeper.address;
  const depositContract = network.depositContract.address;
  const at = (options: BlockOptions | undefined) =>
    options?.blockNumber === undefined ? {} : { blockNumber: options.blockNumber };

  /** The decoded results of `calls`, all from one aggregate3 eth_call. */
  const aggregate = (calls: readonly Call[], options: BlockOptions | undefined): Promise<unknown[]> =>
    aggregate3({
      client,
      network,
      calls,
      ...at(options),
      onFailure: (call, cause) => callFailed(call as Call, network, cause),
    });

  const keeperCall = (functionName: "canHarvest" | "isHarvestRequired", vault: Address) => ({
    address: keeper,
    abi: keeperAbi,
    functionName,
    args: [vault] as const,
  });

  return {
    async readVault(vault, options) {
      const v = (functionName: string): Call => ({
        target: vault,
        abi: vaultAbi,
        functionName,
        owner: "vault",
      });
      const results = await aggregate(
        [
          { ...blockNumberCall(multicall3Of(network)), owner: "Multicall3" },
          v("validatorsRoot"),
          v("validatorIndex"),
          v("withdrawableAssets"),
          v("mevEscrow"),
          v("version"),
          v("keysManager"),
          {
            target: depositContract,
            abi: depositContractAbi,
            functionName: "get_deposit_root",
            owner: "deposit contract",
          },
          { target: keeper, abi: keeperAbi, functionName: "canHarvest", args: [vault], owner: "Keeper" },
          {
            target: keeper,
            abi: keeperAbi,
            functionName: "isHarvestRequired",
            args: [vault],
            owner: "Keeper",
          },
        ],
        options,
      );
      const [
        blockNumber,
        validatorsRoot,
        validatorIndex,
        withdrawableAssets,
        mevEscrow,
        version,
        keysManager,
        depositRoot,
        canHarvest,
        isHarvestRequired,
      ] = results as [bigint, Hex, bigint, bigint, Address, number, Address, Hex, boolean, boolean];
      return {
        vault,
        blockNumber,
        validatorsRoot,
        validatorIndex: Number(validatorIndex),
        withdrawableAssets,
        mevEscrow,
        version: Number(version),
        keysManager,
        depositRoot,
        canHarvest,
        isHarvestRequired,
      };
    },
    depositRoot: (options) =>
      client.readContract({
        address: depositContract,
        abi: depositContractAbi,
        functionName: "get_deposit_root",
        ...at(options),
      }),
    canHarvest: (vault, options) =>
      client.readContract({ ...keeperCall("canHarvest", vault), ...at(options) }),
    isHarvestRequired: (vault, options) =>
      client.readContract({ ...keeperCall("isHarvestRequired", vault), ...at(options) }),
    async simulateHarvestThenAssets(vault, harvestParams, options) {
      const { result } = await client.simulateContract({
        address: vault,
        abi: vaultAbi,
        functionName: "multicall",
        args: [
          [
            updateStateCallData(harvestParams),
            encodeFunctionData({ abi: vaultAbi, functionName: "withdrawableAssets" }),
          ],
        ],
        ...at(options),
      });
      const assets = result[1];
      if (assets === undefined)
        throw new OperatorError(`vault ${vault} multicall returned no withdrawableAssets`);
      return decodeFunctionResult({ abi: vaultAbi, functionName: "withdrawableAssets", data: assets });
    },
  };
}

function callFailed(call: Call, network: NetworkConfig, cause?: unknown): OperatorError {
  const what = `${call.functionName}()`;
  if (call.owner === "vault") {
    return new UserInputError(
      `${call.target} does not answer ${what}: is it a first-generation StakeWise V3 vault on ${network.name}?`,
      { cause },
    );
  }
  return new OperatorError(`the ${call.owner} at ${call.target} does not answer ${what} on ${network.name}`, {
    cause,
  });
}
