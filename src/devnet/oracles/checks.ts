import { PublicKey, Signature, verify } from "@chainsafe/blst";
import type { NetworkConfig } from "../../config/networks.ts";
import { exitSigningRoot } from "../../crypto/exit-message.ts";
import { computeDepositDomain, computeSigningRoot } from "../../crypto/signing.ts";
import { DepositMessage } from "../../crypto/ssz-types.ts";
import { depositDataRoot } from "../../keys/deposit-datum.ts";
import {
  type KeccakHasher,
  processMultiProof,
  processProof,
  txValidator,
  validatorLeafHash,
} from "../../keys/validators-tree.ts";
import { vaultWithdrawalCredentials } from "../../keys/withdrawal-credentials.ts";
import { bytesEqual, parseHex } from "../../lib/hex.ts";
import { decryptShard, publicKeySharesInterpolate, verifyShard } from "../../oracles/exit-shares.ts";

/** A request the oracle refuses: answered with HTTP 400 and this message, as a real oracle does. */
export class OracleRejection extends Error {
  override name = "OracleRejection";
}

export interface ValidatorShards {
  publicKey: `0x${string}`;
  /** Beacon index the exit is signed for. */
  validatorIndex: number;
  publicKeyShards: readonly `0x${string}`[];
  exitSignatureShards: readonly `0x${string}`[];
}

export interface OracleSelf {
  /** Position in the protocol config's oracle list: which shard is ours. */
  position: number;
  privateKey: Uint8Array;
}

/**
 * Checks one validator's shards the way an oracle does: one shard per oracle, the public-key shares
 * interpolate (any `threshold` of them) to the validator key, our shard decrypts and its signature
 * verifies under our public-key share for the exit message of `validatorIndex`.
 */
export function checkShards(
  shards: ValidatorShards,
  self: OracleSelf,
  oracleCount: number,
  threshold: number,
  network: NetworkConfig,
): void {
  const where = `validator ${shards.publicKey.slice(0, 12)}…`;
  if (shards.publicKeyShards.length !== oracleCount || shards.exitSignatureShards.length !== oracleCount) {
    throw new OracleRejection(`${where}: expected ${oracleCount} shards, one per oracle`);
  }
  if (!publicKeySharesInterpolate(shards.publicKeyShards, threshold, shards.publicKey)) {
    throw new OracleRejection(`${where}: public key shards do not interpolate to the validator public key`);
  }
  let share: Uint8Array;
  try {
    share = decryptShard(self.privateKey, shards.exitSignatureShards[self.position] as string);
  } catch {
    throw new OracleRejection(`${where}: exit signature shard does not decrypt with this oracle's key`);
  }
  const root = exitSigningRoot(network, shards.validatorIndex);
  if (!verifyShard(share, shards.publicKeyShards[self.position] as string, root)) {
    throw new OracleRejection(
      `${where}: exit signature shard does not verify for validator index ${shards.validatorIndex}`,
    );
  }
}

/** The deposit signature must verify for the vault's 0x01 credentials and the validator deposit. */
export function checkDepositSignature(
  publicKey: `0x${string}`,
  signature: `0x${string}`,
  vault: `0x${string}`,
  network: NetworkConfig,
): void {
  const pubkey = parseHex(publicKey, 48) as Uint8Array;
  const message = DepositMessage.hashTreeRoot({
    pubkey,
    withdrawalCredentials: vaultWithdrawalCredentials(vault),
    amount: network.validatorDepositGwei,
  });
  const root = computeSigningRoot(
    message,
    computeDepositDomain(parseHex(network.genesisForkVersion, 4) as Uint8Array),
  );
  let valid = false;
  try {
    valid = verify(
      root,
      PublicKey.fromBytes(pubkey, true),
      Signature.fromBytes(parseHex(signature, 96) as Uint8Array, true),
    );
  } catch {
    valid = false;
  }
  if (!valid) throw new OracleRejection(`validator ${publicKey.slice(0, 12)}…: invalid deposit signature`);
}

/** tx_validator of spec §3.1: pubkey ‖ signature ‖ deposit_data_root (vault credentials, 32 ETH). */
export function txValidatorOf(
  publicKey: `0x${string}`,
  signature: `0x${string}`,
  vault: `0x${string}`,
  network: NetworkConfig,
): Uint8Array {
  const pubkey = parseHex(publicKey, 48) as Uint8Array;
  const sig = parseHex(signature, 96) as Uint8Array;
  const root = depositDataRoot(pubkey, vaultWithdrawalCredentials(vault), network.validatorDepositGwei, sig);
  return txValidator(pubkey, sig, root);
}

export interface ProofInput {
  /** tx-validators in registration order; validator k has deposit-data index startIndex + k. */
  txValidators: readonly Uint8Array[];
  startIndex: number;
  proof: readonly `0x${string}`[];
  proofFlags: readonly boolean[] | null;
  /** Deposit-data indexes in the order of the multiproof's leaves. */
  proofIndexes: readonly number[] | null;
}

/** The validators must be the vault's next ones in its approved deposit data (the validators root). */
export function checkRegistrationProof(
  input: ProofInput,
  validatorsRoot: `0x${string}`,
  hasher: KeccakHasher,
): void {
  const root = parseHex(validatorsRoot, 32) as Uint8Array;
  const proof = input.proof.map((p) => parseHex(p, 32) as Uint8Array);
  const count = input.txValidators.length;
  const leafOf = (depositIndex: number) => {
    const k = depositIndex - input.startIndex;
    const value = input.txValidators[k];
    if (k < 0 || k >= count || !value)
      throw new OracleRejection(`proof index ${depositIndex} is not a validator of this request`);
    return validatorLeafHash(value, depositIndex, hasher);
  };
  let computed: Uint8Array | undefined;
  if (input.proofFlags && input.proofIndexes) {
    const indexes = [...input.proofIndexes];
    const expected = Array.from({ length: count }, (_, k) => input.startIndex + k);
    if ([...indexes].sort((a, b) => a - b).join() !== expected.join()) {
      throw new OracleRejection(
        `proof_indexes must be the vault's next deposit data indexes ${expected.join(", ")} (the vault's validatorIndex is ${input.startIndex})`,
      );
    }
    computed = processMultiProof(indexes.map(leafOf), proof, input.proofFlags, hasher);
  } else {
    if (count !== 1)
      throw new OracleRejection("several validators need a multiproof (proof_flags and proof_indexes)");
    computed = processProof(leafOf(input.startIndex), proof, hasher);
  }
  if (!computed || !bytesEqual(computed, root)) {
    throw new OracleRejection(
      "the validators are not the vault's next ones in its deposit data (proof does not match validatorsRoot)",
    );
  }
}
