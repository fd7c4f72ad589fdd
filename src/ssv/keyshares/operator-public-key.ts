import { createPublicKey, type KeyObject } from "node:crypto";
import { InvalidOperatorKeyError } from "./errors.ts";

/**
 * SSV operator public keys (RSA) as the registry, the SSV API and OperatorAdded events carry them:
 * base64 of a PEM labelled "RSA PUBLIC KEY" whose body is, despite the label, an X.509
 * SubjectPublicKeyInfo (spec B.5). Node would read that label as PKCS#1 and fail, so the body is
 * decoded here and tried as SPKI first, then as PKCS#1 (what the label promises). A plain PEM of
 * either label and a bare base64 DER key are accepted too.
 */

/** Shares are RSA-encrypted for the operator: below this a key is too weak to hold one. */
export const MIN_OPERATOR_KEY_BITS = 2048;

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const PEM = /^-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\s]*)-----END \1-----\s*$/;
const PEM_LABELS = new Set(["RSA PUBLIC KEY", "PUBLIC KEY"]);
const PEM_START = "-----BEGIN";

function decodeBase64(text: string): Buffer | undefined {
  const compact = text.replace(/\s+/g, "");
  if (compact.length === 0 || !BASE64.test(compact)) return undefined;
  return Buffer.from(compact, "base64");
}

/** The DER bytes inside `text` (a PEM, base64 of a PEM, or base64 of DER), or a problem. */
function derOf(text: string): Buffer | string {
  let pem = text;
  if (!text.startsWith(PEM_START)) {
    const decoded = decodeBase64(text);
    if (decoded === undefined) return "is neither a PEM nor base64";
    const decodedText = decoded.toString("latin1").trim();
    if (!decodedText.startsWith(PEM_START)) return decoded;
    pem = decodedText;
  }
  const match = PEM.exec(pem);
  if (!match) return "is not a well-formed PEM (no matching BEGIN/END lines)";
  const label = match[1] as string;
  if (!PEM_LABELS.has(label)) return `is a PEM labelled "${label}", not an RSA public key`;
  const der = decodeBase64(match[2] as string);
  return der ?? "has a PEM body that is not base64";
}

function keyFromDer(der: Buffer): KeyObject | undefined {
  for (const type of ["spki", "pkcs1"] as const) {
    try {
      return createPublicKey({ key: der, format: "der", type });
    } catch {
      // Not this encoding; try the next.
    }
  }
  return undefined;
}

/**
 * The RSA public key of SSV operator `operatorId` from its registry/API/event form. Throws
 * InvalidOperatorKeyError naming the operator and the problem.
 */
export function parseOperatorPublicKey(text: string, operatorId: bigint | number): KeyObject {
  const id = BigInt(operatorId);
  const der = derOf(text.trim());
  if (typeof der === "string") throw new InvalidOperatorKeyError(id, der);
  const key = keyFromDer(der);
  if (key === undefined) {
    throw new InvalidOperatorKeyError(id, "is not an RSA public key in SubjectPublicKeyInfo or PKCS#1 DER");
  }
  if (key.asymmetricKeyType !== "rsa") {
    throw new InvalidOperatorKeyError(id, `is a ${key.asymmetricKeyType} key, not RSA`);
  }
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < MIN_OPERATOR_KEY_BITS) {
    throw new InvalidOperatorKeyError(id, `has ${bits} bits; at least ${MIN_OPERATOR_KEY_BITS} are needed`);
  }
  return key;
}

/**
 * The registry form of an RSA public key: base64 of the SPKI PEM relabelled "RSA PUBLIC KEY",
 * byte for byte what SSV operators register (for the devnet and tests).
 */
export function operatorPublicKeyRegistryForm(key: KeyObject): string {
  const pem = key.export({ type: "spki", format: "pem" }).toString();
  const relabelled = pem.replace(/-----(BEGIN|END) PUBLIC KEY-----/g, "-----$1 RSA PUBLIC KEY-----");
  return Buffer.from(relabelled, "latin1").toString("base64");
}
