/**
 * RSA keys of the devnet's SSV operators, encoded as the SSV registry and API carry them: the
 * public key is base64 of a PEM labelled "RSA PUBLIC KEY" whose body is an X.509
 * SubjectPublicKeyInfo (not PKCS#1, despite the label), and registerOperator takes that base64
 * string ABI-encoded as a `string` inside its `bytes publicKey`.
 */
import { generateKeyPair } from "node:crypto";
import { promisify } from "node:util";
import { encodeAbiParameters, type Hex } from "viem";

const generateKeyPairAsync = promisify(generateKeyPair);

export interface SsvOperatorKey {
  /** PKCS#8 PEM of the private key (what a DVT sidecar decrypts its shares with). */
  privateKeyPem: string;
  /** Base64 of the "RSA PUBLIC KEY"-labelled SPKI PEM: the registry's and the API's form. */
  publicKey: string;
}

/** A fresh 2048-bit RSA key (generated off the main thread, so several can run at once). */
export async function generateSsvOperatorKey(): Promise<SsvOperatorKey> {
  const { publicKey, privateKey } = await generateKeyPairAsync("rsa", {
    modulusLength: 2048,
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
  });
  return { privateKeyPem: privateKey, publicKey: ssvPublicKeyOf(publicKey) };
}

/** The registry's base64 form of an SPKI PEM ("-----BEGIN PUBLIC KEY-----" relabelled). */
export function ssvPublicKeyOf(spkiPem: string): string {
  const relabelled = spkiPem
    .replace("-----BEGIN PUBLIC KEY-----", "-----BEGIN RSA PUBLIC KEY-----")
    .replace("-----END PUBLIC KEY-----", "-----END RSA PUBLIC KEY-----");
  return Buffer.from(relabelled, "utf8").toString("base64");
}

/** The `bytes publicKey` argument of registerOperator (and OperatorAdded): abi.encode(string). */
export function ssvOperatorKeyBytes(publicKey: string): Hex {
  return encodeAbiParameters([{ type: "string" }], [publicKey]);
}
