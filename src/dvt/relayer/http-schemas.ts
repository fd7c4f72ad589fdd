import { getAddress } from "viem";
import { z } from "zod";
import { VALIDATOR_TYPES } from "../../keys/validator-types.ts";

/** Request bodies of both generations (spec A.1, A.2). Unknown fields are ignored, as in the original. */

const hexBytes = (bytes: number, what: string) =>
  z
    .string()
    .regex(new RegExp(`^(0x)?[0-9a-fA-F]{${bytes * 2}}$`), `${what} must be ${bytes} bytes of hex`)
    .transform((value) => (value.startsWith("0x") ? value : `0x${value}`).toLowerCase() as `0x${string}`);

export const PublicKeyHex = hexBytes(48, "a public key");
export const SignatureHex = hexBytes(96, "a signature");
const Address = z
  .string()
  .regex(/^0x[0-9a-fA-F]{40}$/, "must be a 20-byte 0x address")
  .transform((value) => getAddress(value));
const Gwei = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const ShareIndex = z
  .number()
  .int()
  .nonnegative()
  .max(Number.MAX_SAFE_INTEGER)
  .transform((value) => BigInt(value));

export const RegisterBody = z.object({
  vault: Address,
  validators_start_index: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  amounts: z.array(Gwei).min(1),
  validator_type: z.enum(VALIDATOR_TYPES).default("0x01"),
});

const keysAndAmounts = z
  .object({ vault: Address, public_keys: z.array(PublicKeyHex).min(1), amounts: z.array(Gwei).min(1) })
  .refine(
    (body) => body.public_keys.length === body.amounts.length,
    "public_keys and amounts must have one entry each",
  );

export const FundBody = keysAndAmounts;
export const WithdrawBody = keysAndAmounts;

export const ConsolidateBody = z
  .object({
    vault: Address,
    source_public_keys: z.array(PublicKeyHex).min(1),
    target_public_keys: z.array(PublicKeyHex).min(1),
  })
  .refine(
    (body) => body.source_public_keys.length === body.target_public_keys.length,
    "source_public_keys and target_public_keys must have one entry each",
  );

const PublicKeyShares = z
  .array(z.object({ share_index: ShareIndex, public_key_share: PublicKeyHex }))
  .optional();

/** An exit share (legacy sidecars send no public key shares; ours may, then no trusted source is needed). */
const ExitShareItem = z.object({
  public_key: PublicKeyHex,
  exit_signature: SignatureHex,
  public_key_shares: PublicKeyShares,
});

const sharesBody = <T extends z.ZodType>(item: T) =>
  z.object({ share_index: ShareIndex, shares: z.array(item).min(1) });

export const SignaturesBody = sharesBody(
  ExitShareItem.extend({ deposit_signature: SignatureHex.optional() }),
);

export const LegacyExitSignatureBody = sharesBody(ExitShareItem);

export const LegacyValidatorsBody = z.object({ public_keys: z.array(PublicKeyHex).min(1) });

/** One line for a failed parse: "shares.0.exit_signature: a signature must be 96 bytes of hex". */
export function issueLine(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return "invalid request body";
  const path = issue.path.join(".");
  return path ? `${path}: ${issue.message}` : issue.message;
}
