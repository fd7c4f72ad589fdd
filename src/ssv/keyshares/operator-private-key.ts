import { createPrivateKey, createPublicKey, type KeyObject } from "node:crypto";
import { readFile } from "node:fs/promises";
import { decryptKeystore, type Keystore } from "../../crypto/keystore.ts";
import { OperatorPrivateKeyError } from "./errors.ts";
import { MIN_OPERATOR_KEY_BITS, parseOperatorPublicKey } from "./operator-public-key.ts";

/**
 * An SSV operator's RSA private key as SSV nodes keep it: either a PEM (or base64 of a PEM, the
 * node's OperatorPrivateKey setting), or the node's encrypted key file — EIP-2335's `crypto`
 * object (kdf, checksum, cipher) at the top level plus `pubKey` (the registry form of the public
 * key), whose secret is the PEM text — with the password in a file of its own.
 */

export interface ReadOperatorPrivateKeyParameters {
  keyFile: string;
  /** Needed when `keyFile` is the encrypted form. */
  passwordFile?: string;
}

interface EncryptedOperatorKey {
  crypto: Keystore["crypto"];
  pubKey?: string;
}

function encryptedForm(json: unknown): EncryptedOperatorKey | undefined {
  if (typeof json !== "object" || json === null) return undefined;
  const record = json as Record<string, unknown>;
  const crypto = (
    typeof record.crypto === "object" && record.crypto !== null ? record.crypto : record
  ) as Record<string, unknown>;
  if (!crypto.kdf || !crypto.checksum || !crypto.cipher) return undefined;
  return {
    crypto: crypto as unknown as Keystore["crypto"],
    ...(typeof record.pubKey === "string" ? { pubKey: record.pubKey } : {}),
  };
}

/** A PEM private key, or base64 of one; undefined when `text` is neither. */
function privateKeyFromText(text: string): KeyObject | undefined {
  const trimmed = text.trim();
  const pem = trimmed.startsWith("-----BEGIN")
    ? trimmed
    : Buffer.from(trimmed.replace(/\s+/g, ""), "base64").toString("latin1").trim();
  if (!pem.startsWith("-----BEGIN")) return undefined;
  try {
    return createPrivateKey(pem);
  } catch {
    return undefined;
  }
}

async function readText(file: string, what: string, flag: string): Promise<string> {
  try {
    return await readFile(file, "utf8");
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    throw new OperatorPrivateKeyError(`${what} ${file} cannot be read (${code ?? "error"}): check ${flag}`, {
      cause,
    });
  }
}

/** Reads, decrypts and checks the operator's RSA private key; every failure is one line naming the file. */
export async function readOperatorPrivateKey(params: ReadOperatorPrivateKeyParameters): Promise<KeyObject> {
  const { keyFile } = params;
  const text = await readText(keyFile, "SSV operator key file", "--ssv-operator-key-file");
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const encrypted = encryptedForm(json);
  let key: KeyObject | undefined;
  if (encrypted) {
    if (params.passwordFile === undefined) {
      throw new OperatorPrivateKeyError(
        `SSV operator key file ${keyFile} is encrypted: pass its password file with --ssv-operator-password-file`,
      );
    }
    const password = (
      await readText(params.passwordFile, "SSV operator password file", "--ssv-operator-password-file")
    ).trim();
    let secret: Uint8Array;
    try {
      secret = await decryptKeystore(encrypted as Keystore, password);
    } catch (cause) {
      throw new OperatorPrivateKeyError(
        `SSV operator key file ${keyFile} does not decrypt with ${params.passwordFile}: wrong password file?`,
        { cause },
      );
    }
    const secretText = Buffer.from(secret).toString("latin1");
    secret.fill(0);
    key = privateKeyFromText(secretText);
    if (key === undefined) {
      throw new OperatorPrivateKeyError(
        `SSV operator key file ${keyFile} decrypts to something that is not a PEM private key`,
      );
    }
    if (encrypted.pubKey !== undefined) checkPubKey(key, encrypted.pubKey, keyFile);
  } else {
    key = privateKeyFromText(text);
    if (key === undefined) {
      throw new OperatorPrivateKeyError(
        `SSV operator key file ${keyFile} is neither a PEM RSA private key (or its base64) nor an SSV node's encrypted key file`,
      );
    }
  }
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (key.asymmetricKeyType !== "rsa" || bits < MIN_OPERATOR_KEY_BITS) {
    throw new OperatorPrivateKeyError(
      `SSV operator key file ${keyFile} holds a ${bits}-bit ${key.asymmetricKeyType} key; SSV operators have RSA keys of ${MIN_OPERATOR_KEY_BITS} bits or more`,
    );
  }
  return key;
}

/** The RSA public key of a private key, in SPKI DER (for comparing keys). */
function spki(key: KeyObject): Buffer {
  return createPublicKey(key).export({ type: "spki", format: "der" });
}

function checkPubKey(key: KeyObject, pubKey: string, keyFile: string): void {
  let stated: KeyObject;
  try {
    stated = parseOperatorPublicKey(pubKey, 0n);
  } catch (cause) {
    throw new OperatorPrivateKeyError(
      `SSV operator key file ${keyFile}: its pubKey is not an RSA public key`,
      {
        cause,
      },
    );
  }
  if (!spki(key).equals(stated.export({ type: "spki", format: "der" }))) {
    throw new OperatorPrivateKeyError(
      `SSV operator key file ${keyFile}: the decrypted private key does not match its pubKey`,
    );
  }
}

/** Whether the private key belongs to the public key in registry form (an OperatorAdded event, the SSV API). */
export function operatorKeyMatches(
  privateKey: KeyObject,
  registryPublicKey: string,
  operatorId: bigint,
): boolean {
  return spki(privateKey).equals(
    parseOperatorPublicKey(registryPublicKey, operatorId).export({ type: "spki", format: "der" }),
  );
}
