/**
 * One operator as the SSV API (`/api/v4/{network}/operators…`) describes it, validated at the
 * boundary (STYLE practice 8) and mapped to our camel-case type. Only the fields we use are read;
 * the API's many others (description, logo, urls, dkg_address, …) pass unchecked. Where the API
 * has sent a number as a string (fees, id_str) or changed one over the years (`fee` was a number
 * in older answers, `is_active` is 0/1), both forms are accepted.
 */
import { type Address, getAddress } from "viem";
import { z } from "zod";

/** What the rest of the code sees of an SSV API operator record. */
export interface SsvApiOperator {
  id: bigint;
  name: string;
  /** Wei (or SSV wei, by fee era) per block, as the API gives it (not shrunk). */
  fee: bigint;
  /** Base64 of the PEM of the operator's RSA key, as registered on chain. */
  publicKey: string;
  owner: Address;
  setupProvider?: string;
  location?: string;
  eth1NodeClient?: string;
  eth2NodeClient?: string;
  /** Percent, 0-100. */
  performance24h?: number;
  performance30d?: number;
  /** "Active", "Inactive", "No validators", … */
  status?: string;
  isActive: boolean;
  isPrivate?: boolean;
  isDeleted?: boolean;
  validatorsCount: number;
  /** "operator", "verified_operator", "dapp_node". */
  type?: string;
}

const digits = z.string().regex(/^[0-9]+$/, "must be a decimal integer");
/** A non-negative integer sent as a JSON number (exact only up to 2^53) or a decimal string. */
const bigIntLike = z
  .union([
    z.number().nonnegative().refine(Number.isSafeInteger, "must be an integer (a decimal string above 2^53)"),
    digits,
  ])
  .transform((v) => BigInt(v));
const optionalText = z
  .string()
  .nullish()
  .transform((v) => (v === null || v === undefined || v.trim() === "" ? undefined : v));
const percent = z.number().min(0).max(100).nullish();

export const SsvApiOperatorRecordSchema = z.looseObject({
  id: bigIntLike.refine((id) => id > 0n, "must be a positive operator id"),
  name: z.string(),
  fee: bigIntLike,
  public_key: z.string().min(1, "must not be empty"),
  owner_address: z.string().regex(/^0x[0-9a-fA-F]{40}$/, "must be an address"),
  setup_provider: optionalText,
  location: optionalText,
  eth1_node_client: optionalText,
  eth2_node_client: optionalText,
  performance: z.looseObject({ "24h": percent, "30d": percent }).nullish(),
  status: optionalText,
  is_active: z.union([z.literal(0), z.literal(1), z.boolean()], { error: "must be 0, 1 or a boolean" }),
  is_private: z.boolean().nullish(),
  is_deleted: z.boolean().nullish(),
  validators_count: z.number().int().nonnegative(),
  type: optionalText,
});
export type SsvApiOperatorRecord = z.output<typeof SsvApiOperatorRecordSchema>;

/** The record in our type; absent or empty optional fields are left out. */
export function toSsvApiOperator(record: SsvApiOperatorRecord): SsvApiOperator {
  const operator: SsvApiOperator = {
    id: record.id,
    name: record.name,
    fee: record.fee,
    publicKey: record.public_key,
    owner: getAddress(record.owner_address.toLowerCase()),
    isActive: record.is_active === 1 || record.is_active === true,
    validatorsCount: record.validators_count,
  };
  const optional = {
    setupProvider: record.setup_provider,
    location: record.location,
    eth1NodeClient: record.eth1_node_client,
    eth2NodeClient: record.eth2_node_client,
    performance24h: record.performance?.["24h"] ?? undefined,
    performance30d: record.performance?.["30d"] ?? undefined,
    status: record.status,
    isPrivate: record.is_private ?? undefined,
    isDeleted: record.is_deleted ?? undefined,
    type: record.type,
  };
  for (const [key, value] of Object.entries(optional)) {
    if (value !== undefined) Object.assign(operator, { [key]: value });
  }
  return operator;
}

/**
 * Parses one record. On failure, the reason names the operator (when its id is readable) and the
 * first wrong field: `operator 7: field "fee" must be a decimal integer`.
 */
export function parseSsvApiOperator(
  json: unknown,
): { ok: true; operator: SsvApiOperator } | { ok: false; reason: string } {
  const parsed = SsvApiOperatorRecordSchema.safeParse(json);
  if (parsed.success) return { ok: true, operator: toSsvApiOperator(parsed.data) };
  const issue = parsed.error.issues[0];
  const field = issue?.path.join(".") || "(root)";
  const id = (json as { id?: unknown } | null)?.id;
  const who = typeof id === "number" || typeof id === "string" ? `operator ${id}` : "an operator";
  return { ok: false, reason: `${who}: field "${field}" ${issue?.message ?? "is invalid"}` };
}
