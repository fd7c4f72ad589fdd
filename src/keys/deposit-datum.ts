import type { SecretKey } from "@chainsafe/blst";
import { computeDepositDomain, computeSigningRoot } from "../crypto/signing.ts";
import { DepositData, DepositMessage } from "../crypto/ssz-types.ts";
import { toHex } from "../lib/hex.ts";

/** The deposit CLI version string we write into deposit data (the Python operator's pin). */
export const DEPOSIT_CLI_VERSION = "2.8.0";

/** One element of deposit_data.json, field for field as the staking deposit CLI writes it. */
export interface DepositDatumJson {
  pubkey: string;
  withdrawal_credentials: string;
  amount: number;
  signature: string;
  deposit_message_root: string;
  deposit_data_root: string;
  fork_version: string;
  network_name: string;
  deposit_cli_version: string;
}

export interface BuildDepositDatumParameters {
  secretKey: SecretKey;
  publicKey: Uint8Array;
  withdrawalCredentials: Uint8Array;
  amountGwei: number;
  genesisForkVersion: Uint8Array;
  /** The deposit CLI's name of the chain ("mainnet", "hoodi", "gnosis", ...). */
  networkName: string;
}

/** What a validator key signs to deposit: its public key, withdrawal credentials and amount. */
export interface DepositMessageFields {
  publicKey: Uint8Array;
  withdrawalCredentials: Uint8Array;
  amountGwei: number;
}

/** hash_tree_root(DepositMessage) and the root signed for it (deposit domain, genesis fork version). */
export function depositSigningRoot(
  message: DepositMessageFields,
  genesisForkVersion: Uint8Array,
): { messageRoot: Uint8Array; signingRoot: Uint8Array } {
  const messageRoot = DepositMessage.hashTreeRoot({
    pubkey: message.publicKey,
    withdrawalCredentials: message.withdrawalCredentials,
    amount: message.amountGwei,
  });
  return {
    messageRoot,
    signingRoot: computeSigningRoot(messageRoot, computeDepositDomain(genesisForkVersion)),
  };
}

/** Signs the deposit message and returns the deposit data entry. */
export function buildDepositDatum(params: BuildDepositDatumParameters): DepositDatumJson {
  const message = {
    pubkey: params.publicKey,
    withdrawalCredentials: params.withdrawalCredentials,
    amount: params.amountGwei,
  };
  const { messageRoot, signingRoot } = depositSigningRoot(params, params.genesisForkVersion);
  const signature = params.secretKey.sign(signingRoot).toBytes(true);
  const dataRoot = DepositData.hashTreeRoot({ ...message, signature });
  return {
    pubkey: toHex(params.publicKey),
    withdrawal_credentials: toHex(params.withdrawalCredentials),
    amount: params.amountGwei,
    signature: toHex(signature),
    deposit_message_root: toHex(messageRoot),
    deposit_data_root: toHex(dataRoot),
    fork_version: toHex(params.genesisForkVersion),
    network_name: params.networkName,
    deposit_cli_version: DEPOSIT_CLI_VERSION,
  };
}

/** hash_tree_root(DepositData): what the deposit contract checks a deposit against. */
export function depositDataRoot(
  publicKey: Uint8Array,
  withdrawalCredentials: Uint8Array,
  amountGwei: number,
  signature: Uint8Array,
): Uint8Array {
  return DepositData.hashTreeRoot({
    pubkey: publicKey,
    withdrawalCredentials,
    amount: amountGwei,
    signature,
  });
}
