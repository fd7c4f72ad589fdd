import type { Address, Client, Hex } from "viem";
import { getBlockNumber, readContract } from "viem/actions";
import { depositContractAbi } from "../../chain/abi/deposit-contract.ts";
import { depositDataRegistryAbi } from "../../chain/abi/deposit-data-registry.ts";
import { keeperAbi } from "../../chain/abi/keeper.ts";
import { vaultAbi } from "../../chain/abi/vault.ts";
import { vaultsRegistryAbi } from "../../chain/abi/vaults-registry.ts";

/** What a devnet oracle reads from the chains to judge a request. A hand-written double in tests. */
export interface OracleChain {
  /** Deposit contract get_deposit_root(): the "validators registry root". */
  depositRoot(): Promise<Hex>;
  isVault(vault: Address): Promise<boolean>;
  /** The deposit data root a proof is checked against: the vault's own (version 1), the DepositDataRegistry's (version 2+). */
  vaultValidatorsRoot(vault: Address): Promise<Hex>;
  /** The next deposit data index, from the same place as the root. */
  vaultValidatorIndex(vault: Address): Promise<number>;
  exitSignaturesNonce(vault: Address): Promise<bigint>;
  blockNumber(): Promise<bigint>;
  /** The beacon index the next new validator will get. */
  nextValidatorIndex(): Promise<number>;
  /** Beacon index of a known validator. */
  validatorIndex(publicKey: Hex): Promise<number | undefined>;
  /** The vault's validatorsManager() (vault version 2 and later). */
  validatorsManager(vault: Address): Promise<Address>;
  /** A validator as the beacon node's head state shows it; undefined when unknown. */
  beaconValidator(publicKey: Hex): Promise<BeaconValidatorInfo | undefined>;
}

export interface BeaconValidatorInfo {
  index: number;
  withdrawalCredentials: Hex;
  /** Beacon API status, e.g. "active_ongoing". */
  status: string;
}

/** The one vault getter the oracles need beyond the v1 vault ABI, written out here. */
const validatorsManagerAbi = [
  {
    type: "function",
    name: "validatorsManager",
    inputs: [],
    outputs: [{ name: "", type: "address" }],
    stateMutability: "view",
  },
] as const;

export interface ViemOracleChainParameters {
  client: Client;
  depositContract: Address;
  keeper: Address;
  vaultsRegistry: Address;
  /** Where version-2+ vaults keep their deposit data root and index (undefined: none deployed). */
  depositDataRegistry?: Address;
  beacon: {
    nextValidatorIndex(): Promise<number>;
    validatorIndex(publicKey: Hex): Promise<number | undefined>;
    validator(publicKey: Hex): Promise<BeaconValidatorInfo | undefined>;
  };
}

export function viemOracleChain(params: ViemOracleChainParameters): OracleChain {
  const { client } = params;
  /** True when the vault keeps its deposit data in the registry (version 2+; v3-core v2.0.0 on). */
  const registryOf = async (vault: Address) =>
    params.depositDataRegistry !== undefined &&
    (await readContract(client, { address: vault, abi: vaultAbi, functionName: "version" })) >= 2;
  return {
    depositRoot: () =>
      readContract(client, {
        address: params.depositContract,
        abi: depositContractAbi,
        functionName: "get_deposit_root",
      }),
    isVault: (vault) =>
      readContract(client, {
        address: params.vaultsRegistry,
        abi: vaultsRegistryAbi,
        functionName: "vaults",
        args: [vault],
      }),
    vaultValidatorsRoot: async (vault) =>
      (await registryOf(vault))
        ? readContract(client, {
            address: params.depositDataRegistry as Address,
            abi: depositDataRegistryAbi,
            functionName: "depositDataRoots",
            args: [vault],
          })
        : readContract(client, { address: vault, abi: vaultAbi, functionName: "validatorsRoot" }),
    vaultValidatorIndex: async (vault) =>
      Number(
        (await registryOf(vault))
          ? await readContract(client, {
              address: params.depositDataRegistry as Address,
              abi: depositDataRegistryAbi,
              functionName: "depositDataIndexes",
              args: [vault],
            })
          : await readContract(client, { address: vault, abi: vaultAbi, functionName: "validatorIndex" }),
      ),
    exitSignaturesNonce: (vault) =>
      readContract(client, {
        address: params.keeper,
        abi: keeperAbi,
        functionName: "exitSignaturesNonces",
        args: [vault],
      }),
    blockNumber: () => getBlockNumber(client),
    nextValidatorIndex: () => params.beacon.nextValidatorIndex(),
    validatorIndex: (publicKey) => params.beacon.validatorIndex(publicKey),
    validatorsManager: (vault) =>
      readContract(client, { address: vault, abi: validatorsManagerAbi, functionName: "validatorsManager" }),
    beaconValidator: (publicKey) => params.beacon.validator(publicKey),
  };
}
