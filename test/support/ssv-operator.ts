import {
  constants,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  privateDecrypt,
} from "node:crypto";
import { readFile } from "node:fs/promises";
import { bls12_381 } from "@noble/curves/bls12-381.js";
import { keccak_256 } from "@noble/hashes/sha3.js";
import { getAddress } from "viem";

/**
 * An SSV operator for tests and the devnet, written apart from src/ssv/keyshares: it holds an
 * RSA private key and accepts a validator's sharesData the way an SSV node would, with its own
 * parsing, its own PKCS#1 v1.5 unpadding and pure-JS BLS (@noble/curves, not blst), so a mistake
 * in our builder shows up as a refusal here instead of agreeing with itself.
 */

const POP_DST = "BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_";
const { longSignatures, G1 } = bls12_381;
const { Fr } = bls12_381.fields;
const RSA_BYTES = 256;
const SHARE_TEXT = /^0x[0-9a-f]{64}$/;

export interface SsvOperatorDouble {
  id: bigint;
  privateKey: KeyObject;
  /** Base64 of the PEM labelled RSA PUBLIC KEY holding SPKI, as the SSV registry and API carry it. */
  registryPublicKey: string;
  /** The share secret in `encryptedKey`; throws when padding or plaintext are not what SSV nodes accept. */
  decryptShare(encryptedKey: Uint8Array): bigint;
  /** Reads its own share from a cluster's sharesData and checks it as an SSV node does; returns the share. */
  acceptShares(registration: SsvRegistration): bigint;
}

export interface SsvRegistration {
  /** The validator's BLS public key, 48 bytes. */
  publicKey: Uint8Array;
  operatorIds: readonly bigint[];
  sharesData: Uint8Array;
  owner: string;
  nonce: bigint | number;
}

/** A double for operator `id`; a fresh 2048-bit key unless one is given (PEM, base64 PEM or KeyObject). */
export function createSsvOperatorDouble(id: bigint, privateKey?: KeyObject | string): SsvOperatorDouble {
  const key = privateKeyOf(privateKey);
  const spkiPem = createPublicKey(key).export({ type: "spki", format: "pem" }).toString();
  const registryPublicKey = Buffer.from(
    spkiPem.replaceAll("PUBLIC KEY-----", "RSA PUBLIC KEY-----"),
  ).toString("base64");
  const decryptShare = (encryptedKey: Uint8Array): bigint => {
    if (encryptedKey.length !== RSA_BYTES)
      throw new Error(`operator ${id}: ciphertext has ${encryptedKey.length} bytes`);
    // Node refuses PKCS#1 v1.5 private decryption (CVE-2023-46809): decrypt raw, unpad here.
    const block = privateDecrypt({ key, padding: constants.RSA_NO_PADDING }, encryptedKey);
    const text = pkcs1v15Unpad(block, id);
    if (!SHARE_TEXT.test(text))
      throw new Error(`operator ${id}: share plaintext is not "0x" + 64 lowercase hex`);
    const secret = BigInt(text);
    if (secret === 0n || secret >= Fr.ORDER)
      throw new Error(`operator ${id}: share secret is outside [1, r)`);
    return secret;
  };
  return {
    id,
    privateKey: key,
    registryPublicKey,
    decryptShare,
    acceptShares(registration) {
      const n = registration.operatorIds.length;
      const index = registration.operatorIds.indexOf(id);
      if (index < 0)
        throw new Error(`operator ${id} is not in the cluster ${registration.operatorIds.join(",")}`);
      const data = registration.sharesData;
      if (data.length !== 96 + 304 * n)
        throw new Error(`operator ${id}: sharesData has ${data.length} bytes`);
      const signature = data.subarray(0, 96);
      if (!ownershipValid(registration, signature))
        throw new Error(`operator ${id}: ownership signature is invalid`);
      const sharePublicKey = data.subarray(96 + 48 * index, 96 + 48 * (index + 1));
      const encryptedAt = 96 + 48 * n + RSA_BYTES * index;
      const secret = decryptShare(data.subarray(encryptedAt, encryptedAt + RSA_BYTES));
      const expected = G1.Point.BASE.multiply(secret).toBytes(true);
      if (Buffer.compare(Buffer.from(expected), Buffer.from(sharePublicKey)) !== 0) {
        throw new Error(`operator ${id}: the share's public key is not share·G1`);
      }
      return secret;
    },
  };
}

function privateKeyOf(privateKey: KeyObject | string | undefined): KeyObject {
  if (privateKey === undefined) return generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
  if (typeof privateKey !== "string") return privateKey;
  const pem = privateKey.startsWith("-----") ? privateKey : Buffer.from(privateKey, "base64").toString();
  return createPrivateKey(pem);
}

/** EM = 00 ‖ 02 ‖ PS (≥ 8 non-zero bytes) ‖ 00 ‖ M (RFC 8017 §7.2.2). */
function pkcs1v15Unpad(block: Buffer, id: bigint): string {
  if (block.length !== RSA_BYTES || block[0] !== 0 || block[1] !== 2) {
    throw new Error(`operator ${id}: decrypted block is not PKCS#1 v1.5 type 2`);
  }
  const separator = block.indexOf(0, 2);
  if (separator < 10) throw new Error(`operator ${id}: PKCS#1 v1.5 padding is shorter than 8 bytes`);
  return block.subarray(separator + 1).toString("latin1");
}

/**
 * A pure-JS pairing costs ~40 ms and every operator of a cluster checks the same signature: the
 * verdicts are remembered (each SSV node would compute the same one), bounded.
 */
const verdicts = new Map<string, boolean>();
const MAX_VERDICTS = 4096;

/** keccak256("<EIP-55 owner>:<nonce>") signed with the POP ciphersuite, checked in pure JS. */
export function ownershipValid(
  registration: Pick<SsvRegistration, "publicKey" | "owner" | "nonce">,
  signature: Uint8Array,
): boolean {
  const message = keccak_256(
    new TextEncoder().encode(`${getAddress(registration.owner)}:${registration.nonce}`),
  );
  const key = [registration.publicKey, message, signature]
    .map((part) => Buffer.from(part).toString("hex"))
    .join(":");
  const known = verdicts.get(key);
  if (known !== undefined) return known;
  let valid: boolean;
  try {
    valid = longSignatures.verify(
      longSignatures.Signature.fromBytes(signature),
      longSignatures.hash(message, POP_DST),
      G1.Point.fromBytes(registration.publicKey),
    );
  } catch {
    valid = false;
  }
  if (verdicts.size >= MAX_VERDICTS) verdicts.clear();
  verdicts.set(key, valid);
  return valid;
}

/** The secret at x = 0 of the shares (operator id → share) by Lagrange interpolation over Fr. */
export function recombineShares(shares: ReadonlyMap<bigint, bigint>): bigint {
  const xs = [...shares.keys()];
  let secret = 0n;
  for (const xi of xs) {
    let weight = 1n;
    for (const xj of xs) {
      if (xj !== xi) weight = Fr.mul(weight, Fr.div(Fr.create(xj), Fr.sub(Fr.create(xj), Fr.create(xi))));
    }
    secret = Fr.add(secret, Fr.mul(weight, shares.get(xi) as bigint));
  }
  return secret;
}

/** The ssv-keys test operators: 4 RSA key pairs in the registry form (test/vectors/ssv/). */
export async function ssvKeysVectorOperators(ids: readonly bigint[]): Promise<SsvOperatorDouble[]> {
  const vectors = JSON.parse(
    await readFile(new URL("../vectors/ssv/ssv-keys-operator-keys.json", import.meta.url), "utf8"),
  ) as { rsaKeyPairs: { publicKey: string; privateKey: string }[] };
  return ids.map((id, i) => {
    const pair = vectors.rsaKeyPairs[i % vectors.rsaKeyPairs.length];
    if (!pair) throw new Error("no RSA key pairs in the vectors");
    return createSsvOperatorDouble(id, pair.privateKey);
  });
}
