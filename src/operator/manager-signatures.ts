import {
  type Address,
  type Hex,
  isAddressEqual,
  type PublicClient,
  recoverTypedDataAddress,
  zeroAddress,
} from "viem";
import { vaultV5Abi } from "../chain/abi/vault-v5.ts";
import {
  nonceAsRegistryRoot,
  vaultValidatorsDomain,
  vaultValidatorsTypedData,
} from "../chain/vault-validators-eip712.ts";
import { OperatorError } from "../lib/errors.ts";

/**
 * Who signs a managed vault's fundValidators and withdrawValidators calls as its validators
 * manager. When the operator's wallet is the manager and the sender, no signature is needed (the
 * empty bytes); when a DVT relayer holds the manager key (`start --relayer-endpoint`), the relayer
 * signs (spec A.1 POST /fund, /withdraw, /consolidate) and the signature is checked before a transaction
 * carries it, since a wrong one only burns gas.
 */
export interface ManagerSignatures {
  /** "wallet" (no signature) or the relayer's endpoint, for logs. */
  readonly signer: string;
  sign(call: ManagerCall, signal: AbortSignal): Promise<Hex>;
}

/** One call to sign: its `validators` bytes exactly as the transaction carries them. */
export type ManagerCall =
  | {
      kind: "fund" | "withdraw";
      vault: Address;
      /** The call's entries: fund 184 bytes each (zero deposit signature), withdraw 56. */
      validators: Hex;
      items: readonly { publicKey: Hex; amountGwei: bigint }[];
    }
  | {
      kind: "consolidate";
      vault: Address;
      /** 96 bytes per pair: source ‖ target. */
      validators: Hex;
      pairs: readonly { source: Hex; target: Hex }[];
    };

export const walletIsManager: ManagerSignatures = {
  signer: "wallet",
  sign: async () => "0x",
};

/** The relayer's side: POST /fund, /withdraw or /consolidate, answering the manager signature. */
export interface RelayerManagerEndpoint {
  readonly endpoint: string;
  managerSignature(call: ManagerCall, signal: AbortSignal): Promise<Hex>;
}

/** The chain reads a signature is checked against, at the latest block. */
export interface ManagerChainView {
  chainId: number;
  validatorsManager(vault: Address, signal: AbortSignal): Promise<Address | undefined>;
  validatorsManagerNonce(vault: Address, signal: AbortSignal): Promise<bigint>;
}

/** The relayer's manager signature does not sign this call for this vault now. */
export class ManagerSignatureError extends OperatorError {
  override name = "ManagerSignatureError";
}

export function relayerManagerSignatures(
  relayer: RelayerManagerEndpoint,
  chain: ManagerChainView,
): ManagerSignatures {
  return {
    signer: relayer.endpoint,
    async sign(call, signal) {
      const signature = await relayer.managerSignature(call, signal);
      // The nonce now, not the round's snapshot: a registration earlier in the round bumped it.
      const [manager, nonce] = await Promise.all([
        chain.validatorsManager(call.vault, signal),
        chain.validatorsManagerNonce(call.vault, signal),
      ]);
      const typedData = vaultValidatorsTypedData(vaultValidatorsDomain(chain.chainId, call.vault), {
        validatorsRegistryRoot: nonceAsRegistryRoot(nonce),
        validators: call.validators,
      });
      let signer: Address | undefined;
      try {
        signer = await recoverTypedDataAddress({ ...typedData, signature });
      } catch {
        signer = undefined;
      }
      if (!manager || !signer || !isAddressEqual(signer, manager)) {
        throw new ManagerSignatureError(
          `the relayer ${relayer.endpoint} answered /${call.kind} with a signature ${signer ? `of ${signer}` : "that does not recover"}, not of the vault's validators manager ${manager ?? "(none)"} at nonce ${nonce}`,
          { retryable: true },
        );
      }
      return signature;
    },
  };
}

/** The vault's validators manager and nonce at the execution node's latest block. */
export function managerChainView(client: PublicClient, chainId: number): ManagerChainView {
  return {
    chainId,
    validatorsManager: async (vault) => {
      const manager = await client.readContract({
        address: vault,
        abi: vaultV5Abi,
        functionName: "validatorsManager",
      });
      return isAddressEqual(manager, zeroAddress) ? undefined : manager;
    },
    validatorsManagerNonce: (vault) =>
      client.readContract({ address: vault, abi: vaultV5Abi, functionName: "validatorsManagerNonce" }),
  };
}
