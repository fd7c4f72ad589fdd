import type { NetworkConfig } from "../../config/networks.ts";
import { bytesEqual, parseHex } from "../../lib/hex.ts";
import type { BlsVerifier } from "./bls-shares.ts";
import {
  depositDataRoot,
  depositDomain,
  depositMessageRoot,
  signingRoot,
  vaultCredentials,
  voluntaryExitDomain,
  voluntaryExitRoot,
} from "./consensus-roots.ts";
import { leafHash, processMultiProof, processProof } from "./merkle-proof.ts";
import { decryptShard } from "./shard-decrypt.ts";

/**
 * What a devnet oracle checks in a request, with its own code (consensus-roots, bls-shares,
 * shard-decrypt, merkle-proof) and never the operator's: a check that reused the operator's
 * functions would pass a bug both sides share.
 */

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

const bytes = (hex: string, length?: number): Uint8Array => parseHex(hex, length) as Uint8Array;

/** The signing root of VoluntaryExit{Capella epoch, index} under the network's exit domain (spec §4.1). */
function exitSigningRoot(network: NetworkConfig, validatorIndex: number): Uint8Array {
  return signingRoot(
    voluntaryExitRoot(network.capellaEpoch, validatorIndex),
    voluntaryExitDomain(bytes(network.capellaForkVersion, 4), bytes(network.genesisValidatorsRoot, 32)),
  );
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
  bls: BlsVerifier,
): void {
  const where = `validator ${shards.publicKey.slice(0, 12)}…`;
  if (shards.publicKeyShards.length !== oracleCount || shards.exitSignatureShards.length !== oracleCount) {
    throw new OracleRejection(`${where}: expected ${oracleCount} shards, one per oracle`);
  }
  const publicKeyShares = shards.publicKeyShards.map((share) => bytes(share, 48));
  if (!bls.sharesInterpolate(publicKeyShares, threshold, bytes(shards.publicKey, 48))) {
    throw new OracleRejection(`${where}: public key shards do not interpolate to the validator public key`);
  }
  let share: Uint8Array;
  try {
    share = decryptShard(self.privateKey, bytes(shards.exitSignatureShards[self.position] as string));
  } catch {
    throw new OracleRejection(`${where}: exit signature shard does not decrypt with this oracle's key`);
  }
  const root = exitSigningRoot(network, shards.validatorIndex);
  if (!bls.verify(publicKeyShares[self.position] as Uint8Array, root, share)) {
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
  bls: BlsVerifier,
): void {
  const pubkey = bytes(publicKey, 48);
  const root = signingRoot(
    depositMessageRoot(pubkey, vaultCredentials(bytes(vault, 20)), network.validatorDepositGwei),
    depositDomain(bytes(network.genesisForkVersion, 4)),
  );
  if (!bls.verify(pubkey, root, bytes(signature, 96))) {
    throw new OracleRejection(`validator ${publicKey.slice(0, 12)}…: invalid deposit signature`);
  }
}

/** tx_validator of spec §3.1: pubkey ‖ signature ‖ deposit_data_root (vault credentials, 32 ETH). */
export function txValidatorOf(
  publicKey: `0x${string}`,
  signature: `0x${string}`,
  vault: `0x${string}`,
  network: NetworkConfig,
): Uint8Array {
  const pubkey = bytes(publicKey, 48);
  const sig = bytes(signature, 96);
  const root = depositDataRoot(pubkey, vaultCredentials(bytes(vault, 20)), network.validatorDepositGwei, sig);
  return Uint8Array.from([...pubkey, ...sig, ...root]);
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
export function checkRegistrationProof(input: ProofInput, validatorsRoot: `0x${string}`): void {
  const root = bytes(validatorsRoot, 32);
  const proof = input.proof.map((p) => bytes(p, 32));
  const count = input.txValidators.length;
  const leafOf = (depositIndex: number) => {
    const k = depositIndex - input.startIndex;
    const value = input.txValidators[k];
    if (k < 0 || k >= count || !value)
      throw new OracleRejection(`proof index ${depositIndex} is not a validator of this request`);
    return leafHash(value, depositIndex);
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
    computed = processMultiProof(indexes.map(leafOf), proof, input.proofFlags);
  } else {
    if (count !== 1)
      throw new OracleRejection("several validators need a multiproof (proof_flags and proof_indexes)");
    computed = processProof(leafOf(input.startIndex), proof);
  }
  if (!computed || !bytesEqual(computed, root)) {
    throw new OracleRejection(
      "the validators are not the vault's next ones in its deposit data (proof does not match validatorsRoot)",
    );
  }
}
