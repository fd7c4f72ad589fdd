/**
 * `--execution-jwt-secret` (spec §1.3): execution endpoints behind JWT authentication get
 * `Authorization: Bearer <token>` on every request, an HS256 JSON Web Token (RFC 7519) signed with
 * the shared secret. The Python operator makes one token valid for 8760 hours; a node that checks
 * `iat` (geth's and the other clients' authenticated RPC allow ±60 s) refuses it after a minute, so
 * a fresh token is made for each request, with the same claims: iat and nbf now, exp in 8760 hours.
 */
import { createHmac } from "node:crypto";
import { InvalidValueError, type ValueParser } from "../lib/values.ts";

/** JWT_EXPIRATION_HOURS of the Python operator's execution client. */
const EXPIRY_SECONDS = 8760 * 3600;
/** The JOSE header of every token: HS256, typ JWT (RFC 7519 §5.1). */
const HEADER = base64url(Buffer.from(JSON.stringify({ alg: "HS256", typ: "JWT" })));

function base64url(bytes: Buffer): string {
  return bytes.toString("base64url");
}

/** The base64url HMAC-SHA256 of a JWS signing input (RFC 7515 §5.1, alg HS256). */
export function hs256Signature(signingInput: string, secret: Uint8Array): string {
  return base64url(createHmac("sha256", secret).update(signingInput, "ascii").digest());
}

/** A token for one request: iat and nbf `nowSeconds`, exp 8760 hours later. */
export function executionJwt(secret: Uint8Array, nowSeconds = Math.floor(Date.now() / 1000)): string {
  const claims = { iat: nowSeconds, nbf: nowSeconds, exp: nowSeconds + EXPIRY_SECONDS };
  const signingInput = `${HEADER}.${base64url(Buffer.from(JSON.stringify(claims)))}`;
  return `${signingInput}.${hs256Signature(signingInput, secret)}`;
}

/**
 * The secret as the execution clients write it (a `jwt.hex` file's text): hex, with or without
 * 0x, surrounding whitespace ignored (a ValueParser).
 */
export const jwtSecretValue: ValueParser<Uint8Array> = (text) => {
  const digits = text.trim().replace(/^0x/i, "");
  if (digits.length === 0 || digits.length % 2 !== 0 || !/^[0-9a-fA-F]+$/.test(digits)) {
    throw new InvalidValueError(
      "is not a JWT secret: use the hex text of the node's jwt.hex file (64 hex digits, 0x optional)",
    );
  }
  return Uint8Array.from(Buffer.from(digits, "hex"));
};
