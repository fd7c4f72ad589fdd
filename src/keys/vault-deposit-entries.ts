/**
 * Deposit data made on the fly for a vault of version ≥ 2 (no deposit data file): the entry that
 * registers a new 0x01 or 0x02 validator of any allowed size, and the entry that tops up an
 * existing 0x02 validator (spec §6.4 step 2).
 *
 * A top-up carries no BLS signature: the deposit contract only checks that the deposit data root
 * matches the data it is given, and a consensus client adds a deposit for a known public key to
 * that validator without verifying the signature. So the entry is the public key, 96 zero bytes,
 * the root of that zero-signature deposit (0x02 credentials, the amount), and the amount.
 */
import type { SecretKey } from "@chainsafe/blst";
import { OperatorError } from "../lib/errors.ts";
import { parseHex } from "../lib/hex.ts";
import {
  buildDepositDatum,
  type DepositDatumJson,
  depositDataRoot,
  depositSigningRoot,
} from "./deposit-datum.ts";
import {
  REGISTRATION_MAX_GWEI,
  REGISTRATION_MIN_GWEI,
  type ValidatorDepositEntry,
  type ValidatorType,
} from "./validator-entries.ts";
import { SIGNATURE_LENGTH } from "./validators-tree.ts";
import { vaultWithdrawalCredentials } from "./withdrawal-credentials.ts";

/** 32 ETH (32 mGNO on Gnosis): the only size of a 0x01 validator's deposit. */
const V1_DEPOSIT_GWEI = REGISTRATION_MIN_GWEI;

/** Far above any real deposit, and the largest gwei amount the SSZ hashing here takes exactly. */
const MAX_AMOUNT_GWEI = BigInt(Number.MAX_SAFE_INTEGER);

/** An amount the vault would refuse for this kind of deposit. */
export class DepositAmountError extends OperatorError {
  override name = "DepositAmountError";
}

/** 0x01 or 0x02 withdrawal credentials to `vault`. */
export function vaultCredentials(vault: string, type: ValidatorType): Uint8Array {
  return vaultWithdrawalCredentials(vault, type === "0x02" ? 0x02 : 0x01);
}

/** Checks the amount of a new validator: exactly 32 ETH for 0x01, 32–2048 ETH for 0x02. */
export function checkRegistrationAmount(type: ValidatorType, amountGwei: bigint): void {
  if (type === "0x01" && amountGwei !== V1_DEPOSIT_GWEI)
    throw new DepositAmountError(
      `a 0x01 validator is deposited with exactly ${V1_DEPOSIT_GWEI} gwei, not ${amountGwei}`,
    );
  if (type === "0x02" && (amountGwei < REGISTRATION_MIN_GWEI || amountGwei > REGISTRATION_MAX_GWEI)) {
    throw new DepositAmountError(
      `a new 0x02 validator takes ${REGISTRATION_MIN_GWEI} to ${REGISTRATION_MAX_GWEI} gwei, not ${amountGwei}`,
    );
  }
}

/**
 * The signing root of a new validator's deposit to the vault, for a key source that signs remotely
 * (then signedRegistrationEntry makes the entry from the signature it returns).
 */
export function vaultDepositSigningRoot(params: {
  publicKey: Uint8Array;
  vault: string;
  validatorType: ValidatorType;
  amountGwei: bigint;
  genesisForkVersion: Uint8Array;
}): Uint8Array {
  checkRegistrationAmount(params.validatorType, params.amountGwei);
  const message = {
    publicKey: params.publicKey,
    withdrawalCredentials: vaultCredentials(params.vault, params.validatorType),
    amountGwei: Number(params.amountGwei),
  };
  return depositSigningRoot(message, params.genesisForkVersion).signingRoot;
}

/** The registration entry: 0x01 entries carry no amount (176 bytes), 0x02 entries do (184). */
function depositEntry(
  type: ValidatorType,
  publicKey: Uint8Array,
  signature: Uint8Array,
  root: Uint8Array,
  amountGwei: bigint,
): ValidatorDepositEntry {
  const entry: ValidatorDepositEntry = { publicKey, signature, depositDataRoot: root };
  if (type === "0x02") entry.amountGwei = amountGwei;
  return entry;
}

export interface RegistrationEntryParameters {
  secretKey: SecretKey;
  publicKey: Uint8Array;
  vault: string;
  validatorType: ValidatorType;
  amountGwei: bigint;
  genesisForkVersion: Uint8Array;
  /** The deposit CLI's name of the chain, recorded in the deposit datum. */
  networkName: string;
}

export interface RegistrationEntry {
  entry: ValidatorDepositEntry;
  /** The same deposit as the deposit CLI would write it, for records and the oracles' checks. */
  depositDatum: DepositDatumJson;
}

/** Signs the deposit of a new validator of the vault with its local key. */
export function registrationEntry(params: RegistrationEntryParameters): RegistrationEntry {
  checkRegistrationAmount(params.validatorType, params.amountGwei);
  const depositDatum = buildDepositDatum({
    secretKey: params.secretKey,
    publicKey: params.publicKey,
    withdrawalCredentials: vaultCredentials(params.vault, params.validatorType),
    amountGwei: Number(params.amountGwei),
    genesisForkVersion: params.genesisForkVersion,
    networkName: params.networkName,
  });
  const signature = parseHex(depositDatum.signature, SIGNATURE_LENGTH) as Uint8Array;
  const root = parseHex(depositDatum.deposit_data_root, 32) as Uint8Array;
  return {
    entry: depositEntry(params.validatorType, params.publicKey, signature, root, params.amountGwei),
    depositDatum,
  };
}

export interface SignedRegistrationEntryParameters {
  publicKey: Uint8Array;
  vault: string;
  validatorType: ValidatorType;
  amountGwei: bigint;
  /** The deposit signature a remote signer made over the deposit message's signing root. */
  signature: Uint8Array;
}

/** The registration entry of a deposit signed elsewhere (a remote signer): only the root is computed. */
export function signedRegistrationEntry(params: SignedRegistrationEntryParameters): ValidatorDepositEntry {
  checkRegistrationAmount(params.validatorType, params.amountGwei);
  const credentials = vaultCredentials(params.vault, params.validatorType);
  const root = depositDataRoot(params.publicKey, credentials, Number(params.amountGwei), params.signature);
  return depositEntry(params.validatorType, params.publicKey, params.signature, root, params.amountGwei);
}

export interface TopUpEntryParameters {
  publicKey: Uint8Array;
  vault: string;
  /** Gwei to add; any positive amount (the protocol's minimum deposit is the planner's concern). */
  amountGwei: bigint;
}

/** The 184-byte fundValidators entry of an existing 0x02 validator (see the file comment). */
export function topUpEntry(params: TopUpEntryParameters): ValidatorDepositEntry {
  if (params.amountGwei <= 0n)
    throw new DepositAmountError(`a top-up of ${params.amountGwei} gwei adds nothing`);
  if (params.amountGwei > MAX_AMOUNT_GWEI)
    throw new DepositAmountError(`a top-up of ${params.amountGwei} gwei is more than any validator can hold`);
  const signature = new Uint8Array(SIGNATURE_LENGTH);
  const root = depositDataRoot(
    params.publicKey,
    vaultCredentials(params.vault, "0x02"),
    Number(params.amountGwei),
    signature,
  );
  return { publicKey: params.publicKey, signature, depositDataRoot: root, amountGwei: params.amountGwei };
}
