import type { Address, Hex, PublicClient } from "viem";
import { depositContractAbi } from "../../chain/abi/deposit-contract.ts";
import { vaultV5Abi } from "../../chain/abi/vault-v5.ts";
import {
  nonceAsRegistryRoot,
  type VaultValidatorsMessage,
  vaultValidatorsDomain,
  vaultValidatorsTypedData,
} from "../../chain/vault-validators-eip712.ts";
import { depositDataRoot } from "../../keys/deposit-datum.ts";
import {
  encodeConsolidationEntries,
  encodeValidatorDepositEntries,
  encodeWithdrawalEntries,
  type ValidatorType,
} from "../../keys/validator-entries.ts";
import { vaultWithdrawalCredentials } from "../../keys/withdrawal-credentials.ts";
import { parseHex, toPrefixedHex } from "../../lib/hex.ts";

/** The validators-manager key as the relayer holds it (a viem LocalAccount fits). */
export interface ManagerAccount {
  address: Address;
  signTypedData(typedData: ReturnType<typeof vaultValidatorsTypedData>): Promise<Hex>;
}

/** The chain reads a validators-manager signature needs (spec A.7). */
export interface ManagerChain {
  chainId: number;
  /** The deposit contract's get_deposit_root(), read at request time. */
  depositRoot(): Promise<Hex>;
  validatorsManagerNonce(vault: Address): Promise<bigint>;
}

export function managerChain(client: PublicClient, chainId: number, depositContract: Address): ManagerChain {
  return {
    chainId,
    depositRoot: () =>
      client.readContract({
        address: depositContract,
        abi: depositContractAbi,
        functionName: "get_deposit_root",
      }),
    validatorsManagerNonce: (vault) =>
      client.readContract({ address: vault, abi: vaultV5Abi, functionName: "validatorsManagerNonce" }),
  };
}

const key = (hex: string) => parseHex(hex, 48) as Uint8Array;

/** One validator of a registration or top-up, as the relayer signs it. */
export interface DepositItem {
  publicKey: `0x${string}`;
  amountGwei: number;
  /** Registration: the recovered deposit signature; top-up: absent (96 zero bytes are signed). */
  depositSignature?: `0x${string}`;
}

/**
 * The `validators` bytes of a registration or top-up: pubkey ‖ signature ‖ deposit_data_root
 * (‖ amount for 0x02), the deposit data root computed over the vault's withdrawal credentials.
 */
export function depositEntries(vault: Address, type: ValidatorType, items: readonly DepositItem[]): Hex {
  const credentials = vaultWithdrawalCredentials(vault, type === "0x02" ? 0x02 : 0x01);
  return toPrefixedHex(
    encodeValidatorDepositEntries(
      items.map((item) => {
        const signature = item.depositSignature
          ? (parseHex(item.depositSignature, 96) as Uint8Array)
          : new Uint8Array(96);
        return {
          publicKey: key(item.publicKey),
          signature,
          depositDataRoot: depositDataRoot(key(item.publicKey), credentials, item.amountGwei, signature),
          ...(type === "0x02" ? { amountGwei: BigInt(item.amountGwei) } : {}),
        };
      }),
    ),
  );
}

export type ManagerRequest =
  | { kind: "register"; vault: Address; type: ValidatorType; items: readonly DepositItem[] }
  | { kind: "fund"; vault: Address; items: readonly DepositItem[] }
  | { kind: "withdraw"; vault: Address; items: readonly { publicKey: `0x${string}`; amountGwei: number }[] }
  | {
      kind: "consolidate";
      vault: Address;
      pairs: readonly { source: `0x${string}`; target: `0x${string}` }[];
    };

/** The EIP-712 message of a request: the registry root (register) or the vault's nonce, and the entries. */
export async function managerMessage(
  request: ManagerRequest,
  chain: ManagerChain,
): Promise<VaultValidatorsMessage> {
  if (request.kind === "register") {
    return {
      validatorsRegistryRoot: await chain.depositRoot(),
      validators: depositEntries(request.vault, request.type, request.items),
    };
  }
  const root = nonceAsRegistryRoot(await chain.validatorsManagerNonce(request.vault));
  if (request.kind === "fund")
    return { validatorsRegistryRoot: root, validators: depositEntries(request.vault, "0x02", request.items) };
  if (request.kind === "withdraw") {
    const entries = request.items.map((item) => ({
      publicKey: key(item.publicKey),
      amountGwei: BigInt(item.amountGwei),
    }));
    return { validatorsRegistryRoot: root, validators: toPrefixedHex(encodeWithdrawalEntries(entries)) };
  }
  const pairs = request.pairs.map((pair) => ({
    sourcePublicKey: key(pair.source),
    targetPublicKey: key(pair.target),
  }));
  return { validatorsRegistryRoot: root, validators: toPrefixedHex(encodeConsolidationEntries(pairs)) };
}

/** The validators-manager signature (65 bytes r‖s‖v, 0x-hex) of a request. */
export async function signManagerRequest(
  request: ManagerRequest,
  deps: { chain: ManagerChain; account: ManagerAccount },
): Promise<Hex> {
  const message = await managerMessage(request, deps.chain);
  return deps.account.signTypedData(
    vaultValidatorsTypedData(vaultValidatorsDomain(deps.chain.chainId, request.vault), message),
  );
}
