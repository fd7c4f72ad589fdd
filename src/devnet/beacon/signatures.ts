import { PublicKey, Signature, verify } from "@chainsafe/blst";
import {
  computeDepositDomain,
  computeDomain,
  computeSigningRoot,
  DOMAIN_VOLUNTARY_EXIT,
} from "../../crypto/signing.ts";
import { DepositMessage, VoluntaryExit } from "../../crypto/ssz-types.ts";

export interface DepositToVerify {
  pubkey: Uint8Array;
  withdrawalCredentials: Uint8Array;
  amountGwei: bigint;
  signature: Uint8Array;
}

/**
 * is_valid_deposit_signature of the consensus spec: the DepositMessage signed under
 * compute_domain(DOMAIN_DEPOSIT, GENESIS_FORK_VERSION, ZERO_ROOT). A public key or signature that
 * is not a valid curve point is invalid, as with the spec's bls.Verify.
 */
export function isValidDepositSignature(deposit: DepositToVerify, genesisForkVersion: Uint8Array): boolean {
  // The SSZ type takes a JS number; no real deposit comes close to 2^53 gwei.
  if (deposit.amountGwei > BigInt(Number.MAX_SAFE_INTEGER)) return false;
  const root = DepositMessage.hashTreeRoot({
    pubkey: deposit.pubkey,
    withdrawalCredentials: deposit.withdrawalCredentials,
    amount: Number(deposit.amountGwei),
  });
  return verifySafely(
    computeSigningRoot(root, computeDepositDomain(genesisForkVersion)),
    deposit.pubkey,
    deposit.signature,
  );
}

/**
 * The domain voluntary exits verify under since Deneb (EIP-7044): always the Capella fork
 * version, whatever the exit's epoch.
 */
export function voluntaryExitDomain(
  capellaForkVersion: Uint8Array,
  genesisValidatorsRoot: Uint8Array,
): Uint8Array {
  return computeDomain(DOMAIN_VOLUNTARY_EXIT, capellaForkVersion, genesisValidatorsRoot);
}

export function isValidExitSignature(
  exit: { epoch: number; validatorIndex: number; signature: Uint8Array },
  pubkey: Uint8Array,
  domain: Uint8Array,
): boolean {
  const root = VoluntaryExit.hashTreeRoot({ epoch: exit.epoch, validatorIndex: exit.validatorIndex });
  return verifySafely(computeSigningRoot(root, domain), pubkey, exit.signature);
}

function verifySafely(message: Uint8Array, pubkey: Uint8Array, signature: Uint8Array): boolean {
  try {
    return verify(message, PublicKey.fromBytes(pubkey, true), Signature.fromBytes(signature, true));
  } catch {
    return false;
  }
}
