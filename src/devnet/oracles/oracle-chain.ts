import type { Address, Client, Hex } from "viem";
import { getBlockNumber, readContract } from "viem/actions";
import { depositContractAbi } from "../../chain/abi/deposit-contract.ts";
import { keeperAbi } from "../../chain/abi/keeper.ts";
import { vaultAbi } from "../../chain/abi/vault.ts";
import { vaultsRegistryAbi } from "../../chain/abi/vaults-registry.ts";

/** What a devnet oracle reads from the chains to judge a request. A hand-written double in tests. */
export interface OracleChain {
  /** Deposit contract get_deposit_root(): the "validators registry root". */
  depositRoot(): Promise<Hex>;
  isVault(vault: Address): Promise<boolean>;
  vaultValidatorsRoot(vault: Address): Promise<Hex>;
  vaultValidatorIndex(vault: Address): Promise<number>;
  exitSignaturesNonce(vault: Address): Promise<bigint>;
  blockNumber(): Promise<bigint>;
  /** The beacon index the next new validator will get. */
  nextValidatorIndex(): Promise<number>;
  /** Beacon index of a known validator. */
  validatorIndex(publicKey: Hex): Promise<number | undefined>;
}

export interface ViemOracleChainParameters {
  client: Client;
  depositContract: Address;
  keeper: Address;
  vaultsRegistry: Address;
  beacon: {
    nextValidatorIndex(): Promise<number>;
    validatorIndex(publicKey: Hex): Promise<number | undefined>;
  };
}

export function viemOracleChain(params: ViemOracleChainParameters): OracleChain {
  const { client } = params;
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
    vaultValidatorsRoot: (vault) =>
      readContract(client, { address: vault, abi: vaultAbi, functionName: "validatorsRoot" }),
    vaultValidatorIndex: async (vault) =>
      Number(await readContract(client, { address: vault, abi: vaultAbi, functionName: "validatorIndex" })),
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
  };
}
