import { PublicKey, type Signature } from "@chainsafe/blst";
import { type EciesRecipient, eciesEncrypt, eciesRecipient } from "../crypto/ecies.ts";
import { InvalidKeyError } from "../crypto/errors.ts";
import { type ExitNetwork, exitSigningRoot } from "../crypto/exit-message.ts";
import { splitSignature } from "../crypto/shamir.ts";
import type { OracleExitSignature } from "../keys/sources/exit-signer.ts";
import { parseHex, toPrefixedHex } from "../lib/hex.ts";

/**
 * The exit-signature part of an approval request (spec §4.3–4.4, §5.1 `public_key_shards` and
 * `exit_signature_shards`): the validator's exit signature split into one share per oracle,
 * each share encrypted to its oracle, plus the matching public-key shares. Oracle j (0-based, in
 * the order of the protocol config's `oracles`) gets x = j + 1.
 */
export interface ExitShards {
  /** P_j, compressed G1, 0x-hex; n of them. */
  publicKeyShards: `0x${string}`[];
  /** ECIES(oracle_j, σ_j), 0x-hex (193 bytes each); n of them. */
  exitSignatureShards: `0x${string}`[];
}

/** An oracle as the protocol config lists it: `public_key` is 64-byte x ‖ y hex (33/65 bytes work too). */
export interface OracleKey {
  publicKey: string | Uint8Array;
}

function bytesOf(value: string | Uint8Array, what: string): Uint8Array {
  if (value instanceof Uint8Array) return value;
  const bytes = parseHex(value);
  if (!bytes) throw new InvalidKeyError(`${what} is not hex`);
  return bytes;
}

/**
 * Parses the oracles' keys and builds their multiplication tables (≈ 70 ms each): do it once per
 * oracle set, then build shards for any number of validators with the result.
 */
export function prepareOracleRecipients(oracles: readonly OracleKey[]): EciesRecipient[] {
  return oracles.map((oracle, j) => eciesRecipient(bytesOf(oracle.publicKey, `oracle ${j} public key`)));
}

export interface BuildExitShardsParameters {
  /** The validator's full exit signature (96 bytes or a blst point), e.g. from `signExit`. */
  exitSignature: Uint8Array | Signature;
  validatorPublicKey: Uint8Array | PublicKey;
  /** The beacon index the exit is signed for. */
  validatorIndex: number;
  network: ExitNetwork;
  /** `exit_signature_recover_threshold` of the protocol config. */
  threshold: number;
  /** From `prepareOracleRecipients`, in protocol config order. */
  oracles: readonly EciesRecipient[];
  /** Fixed polynomial coefficients, for test vectors only; random otherwise. */
  coefficients?: readonly bigint[];
}

export function buildExitShards(params: BuildExitShardsParameters): ExitShards {
  const shares = splitSignature({
    signature: params.exitSignature,
    publicKey: params.validatorPublicKey,
    message: exitSigningRoot(params.network, params.validatorIndex),
    threshold: params.threshold,
    shares: params.oracles.length,
    ...(params.coefficients ? { coefficients: params.coefficients } : {}),
  });
  const publicKeyShards: `0x${string}`[] = [];
  const exitSignatureShards: `0x${string}`[] = [];
  shares.forEach((share, j) => {
    const oracle = params.oracles[j];
    if (!oracle) throw new InvalidKeyError(`no oracle for share ${j}`);
    publicKeyShards.push(toPrefixedHex(share.publicKey));
    exitSignatureShards.push(toPrefixedHex(eciesEncrypt(oracle, share.signature)));
  });
  return { publicKeyShards, exitSignatureShards };
}

/** ECIES of a 96-byte share: ephemeral key (65) ‖ nonce (16) ‖ tag (16) ‖ ciphertext (96). */
const ENCRYPTED_SHARD_LENGTH = 65 + 16 + 16 + 96;

/**
 * Shards someone else made and encrypted (a legacy DVT relayer, spec A.6): passed through once
 * there is one per oracle, every public key share is a G1 point and every ciphertext has the
 * length of an encrypted share. The oracles check the rest (each share against its key share).
 */
function encryptedShards(
  signed: Extract<OracleExitSignature, { kind: "encrypted" }>,
  oracles: number,
): ExitShards {
  const { publicKeys, encryptedExitSignatures } = signed;
  if (publicKeys.length !== oracles || encryptedExitSignatures.length !== oracles) {
    throw new InvalidKeyError(
      `${publicKeys.length} public key shares and ${encryptedExitSignatures.length} encrypted exit signatures for ${oracles} oracles`,
    );
  }
  publicKeys.forEach((key, j) => {
    const bytes = parseHex(key, 48);
    let valid = false;
    try {
      valid = bytes !== undefined && PublicKey.fromBytes(bytes, true) !== undefined;
    } catch {
      valid = false;
    }
    if (!valid) throw new InvalidKeyError(`public key share ${j} is not a compressed G1 point`);
  });
  encryptedExitSignatures.forEach((shard, j) => {
    if (parseHex(shard, ENCRYPTED_SHARD_LENGTH) === undefined) {
      throw new InvalidKeyError(
        `encrypted exit signature ${j} is not ${ENCRYPTED_SHARD_LENGTH} bytes of hex`,
      );
    }
  });
  return {
    publicKeyShards: publicKeys.map((k) => k.toLowerCase() as `0x${string}`),
    exitSignatureShards: encryptedExitSignatures.map((s) => s.toLowerCase() as `0x${string}`),
  };
}

/**
 * The shards of an exit signature as a key source produced it: a full signature is split here;
 * shares signed by key shares elsewhere (a remote signer, spec §4.2) are only encrypted, one to
 * each oracle in config order; shards already encrypted (a legacy DVT relayer) pass through.
 * Either way the oracles get the same (P_j, ECIES(σ_j)) pairs.
 */
export function exitShardsFor(
  signed: OracleExitSignature,
  params: Omit<BuildExitShardsParameters, "exitSignature">,
): ExitShards {
  if (signed.kind === "full") return buildExitShards({ ...params, exitSignature: signed.signature });
  if (signed.kind === "encrypted") return encryptedShards(signed, params.oracles.length);
  if (signed.shares.length !== params.oracles.length) {
    throw new InvalidKeyError(
      `${signed.shares.length} exit signature shares for ${params.oracles.length} oracles`,
    );
  }
  const ordered = [...signed.shares].sort((a, b) => a.x - b.x);
  return {
    publicKeyShards: ordered.map((share) => toPrefixedHex(share.publicKey)),
    exitSignatureShards: ordered.map((share, j) => {
      const oracle = params.oracles[j];
      if (!oracle || share.x !== j + 1) throw new InvalidKeyError(`no exit signature share for oracle ${j}`);
      return toPrefixedHex(eciesEncrypt(oracle, share.signature));
    }),
  };
}
