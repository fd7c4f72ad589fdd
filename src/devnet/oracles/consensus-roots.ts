import { createHash } from "node:crypto";

/**
 * The devnet oracles' own SSZ roots of the few consensus containers they check (consensus specs
 * phase0 / capella; operator spec §2.4, §3.1, §4.1), written out field by field with SHA-256 so
 * that they share no code with the operator's SSZ types and signing helpers.
 */

const ZERO_CHUNK = new Uint8Array(32);
const DOMAIN_DEPOSIT = Uint8Array.of(3, 0, 0, 0);
const DOMAIN_VOLUNTARY_EXIT = Uint8Array.of(4, 0, 0, 0);

function sha256(...parts: Uint8Array[]): Uint8Array {
  const hash = createHash("sha256");
  for (const part of parts) hash.update(part);
  return new Uint8Array(hash.digest());
}

/** A uint64 as its SSZ chunk: 8 bytes little-endian, zero-padded to 32. */
function uint64Chunk(value: bigint | number): Uint8Array {
  const chunk = new Uint8Array(32);
  new DataView(chunk.buffer).setBigUint64(0, BigInt(value), true);
  return chunk;
}

/** Bytes4 (a fork version or domain type) as its chunk. */
function bytes4Chunk(bytes: Uint8Array): Uint8Array {
  const chunk = new Uint8Array(32);
  chunk.set(bytes.subarray(0, 4));
  return chunk;
}

/** hash_tree_root of a fixed byte vector longer than 32 bytes: its chunks merkleized (48 → 2, 96 → 4). */
function byteVectorRoot(bytes: Uint8Array): Uint8Array {
  const chunks: Uint8Array[] = [];
  for (let offset = 0; offset < bytes.length; offset += 32) {
    const chunk = new Uint8Array(32);
    chunk.set(bytes.subarray(offset, offset + 32));
    chunks.push(chunk);
  }
  let width = 1;
  while (width < chunks.length) width *= 2;
  while (chunks.length < width) chunks.push(ZERO_CHUNK);
  let level = chunks;
  while (level.length > 1) {
    level = Array.from({ length: level.length / 2 }, (_, i) =>
      sha256(level[2 * i] as Uint8Array, level[2 * i + 1] as Uint8Array),
    );
  }
  return level[0] as Uint8Array;
}

/** 0x01 (or 0x02, compounding) ‖ 11 zero bytes ‖ the vault address (spec §2.3). */
export function vaultCredentials(vault: Uint8Array, prefix: 0x01 | 0x02 = 0x01): Uint8Array {
  const credentials = new Uint8Array(32);
  credentials[0] = prefix;
  credentials.set(vault, 12);
  return credentials;
}

/** hash_tree_root(DepositMessage{pubkey: Bytes48, withdrawal_credentials: Bytes32, amount: uint64}). */
export function depositMessageRoot(
  pubkey: Uint8Array,
  credentials: Uint8Array,
  amountGwei: number,
): Uint8Array {
  return sha256(sha256(byteVectorRoot(pubkey), credentials), sha256(uint64Chunk(amountGwei), ZERO_CHUNK));
}

/** hash_tree_root(DepositData{pubkey, withdrawal_credentials, amount, signature: Bytes96}). */
export function depositDataRoot(
  pubkey: Uint8Array,
  credentials: Uint8Array,
  amountGwei: number,
  signature: Uint8Array,
): Uint8Array {
  return sha256(
    sha256(byteVectorRoot(pubkey), credentials),
    sha256(uint64Chunk(amountGwei), byteVectorRoot(signature)),
  );
}

/** hash_tree_root(VoluntaryExit{epoch: uint64, validator_index: uint64}). */
export function voluntaryExitRoot(epoch: number, validatorIndex: number): Uint8Array {
  return sha256(uint64Chunk(epoch), uint64Chunk(validatorIndex));
}

/** compute_domain: domain type ‖ hash_tree_root(ForkData{fork_version, genesis_validators_root})[0:28]. */
function domain(type: Uint8Array, forkVersion: Uint8Array, genesisValidatorsRoot: Uint8Array): Uint8Array {
  const forkDataRoot = sha256(bytes4Chunk(forkVersion), genesisValidatorsRoot);
  const result = new Uint8Array(32);
  result.set(type);
  result.set(forkDataRoot.subarray(0, 28), 4);
  return result;
}

/** Deposits sign under the genesis fork version and a zero genesis validators root. */
export function depositDomain(genesisForkVersion: Uint8Array): Uint8Array {
  return domain(DOMAIN_DEPOSIT, genesisForkVersion, ZERO_CHUNK);
}

/** Exits sign under the Capella fork version (EIP-7044, spec §4.1). */
export function voluntaryExitDomain(
  capellaForkVersion: Uint8Array,
  genesisValidatorsRoot: Uint8Array,
): Uint8Array {
  return domain(DOMAIN_VOLUNTARY_EXIT, capellaForkVersion, genesisValidatorsRoot);
}

/** hash_tree_root(SigningData{object_root, domain}). */
export function signingRoot(objectRoot: Uint8Array, signingDomain: Uint8Array): Uint8Array {
  return sha256(objectRoot, signingDomain);
}
