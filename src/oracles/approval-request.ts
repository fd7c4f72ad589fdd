import { z } from "zod";

const hex = (bytes: number) =>
  z.string().regex(new RegExp(`^0x[0-9a-fA-F]{${bytes * 2}}$`), `must be 0x-prefixed hex of ${bytes} bytes`);
const anyHex = z.string().regex(/^0x([0-9a-fA-F]{2})*$/, "must be 0x-prefixed hex");
const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, "must be an address");

/**
 * Body of `POST {oracle endpoint}` asking an oracle to approve validator registration (spec §5.1,
 * first-generation vault flow). Validators are listed in registration order; `public_key_shards`
 * and `exit_signature_shards` hold one entry per oracle, in the config's oracle order.
 */
export const ApprovalRequestSchema = z.object({
  validator_index: z.number().int().nonnegative(),
  vault_address: address,
  validators_root: hex(32),
  public_keys: z.array(hex(48)).min(1),
  deposit_signatures: z.array(hex(96)).min(1),
  public_key_shards: z.array(z.array(hex(48)).min(1)).min(1),
  exit_signature_shards: z.array(z.array(anyHex).min(1)).min(1),
  deadline: z.number().int().positive(),
  proof: z.array(hex(32)).nullable(),
  proof_flags: z.array(z.boolean()).nullable(),
  proof_indexes: z.array(z.number().int().nonnegative()).nullable(),
  /** v2–v3 operators (vault version 2+): null when the deposit data proof authorizes. */
  validators_manager_signature: z.null().optional(),
});
export type ApprovalRequest = z.infer<typeof ApprovalRequestSchema>;

/**
 * The same request for a vault whose validators manager signs (vault version 2+, the Python
 * operator v4's body): no proof fields, the manager's EIP-712 signature, and for 0x02 validators
 * their amounts in gwei (null for 0x01 validators of 32 each).
 */
export const ManagerApprovalRequestSchema = ApprovalRequestSchema.omit({
  proof: true,
  proof_flags: true,
  proof_indexes: true,
  validators_manager_signature: true,
}).extend({
  validators_manager_signature: anyHex,
  amounts: z.array(z.number().int().positive()).nullable(),
});
export type ManagerApprovalRequest = z.infer<typeof ManagerApprovalRequestSchema>;

/** Body of `POST {oracle endpoint}/signatures` (exit-signature rotation, spec §5.4). */
export const ExitSignaturesUpdateRequestSchema = z.object({
  vault_address: address,
  public_keys: z.array(hex(48)).min(1),
  public_key_shards: z.array(z.array(hex(48)).min(1)).min(1),
  exit_signature_shards: z.array(z.array(anyHex).min(1)).min(1),
  deadline: z.number().int().positive(),
});
export type ExitSignaturesUpdateRequest = z.infer<typeof ExitSignaturesUpdateRequestSchema>;

/** An oracle's answer to either request: its EIP-712 signature and where the shards are stored. */
export const OracleApprovalSchema = z.object({
  signature: hex(65),
  ipfs_hash: z.string().min(1),
  deadline: z.number().int().positive(),
});
export type OracleApproval = z.infer<typeof OracleApprovalSchema>;

/**
 * Body of `POST {oracle endpoint}/consolidate-validators/` (spec §5.5): the keys whose
 * consolidation the oracles approve for the vault (the v4 operator sends the switched key).
 */
export const ConsolidationApprovalRequestSchema = z.object({
  public_keys: z.array(hex(48)).min(1),
  vault_address: address,
});
export type ConsolidationApprovalRequest = z.infer<typeof ConsolidationApprovalRequestSchema>;

/** An oracle's answer to a consolidation request: its EIP-712 ConsolidationsChecker signature. */
export const ConsolidationApprovalSchema = z.object({ signature: hex(65) });

/** `GET {oracle endpoint}/signatures/{vault}`: validators whose exit signatures are outdated. */
export const OutdatedSignaturesSchema = z.object({
  exit_signature_block_number: z.number().int().nonnegative().nullable(),
  validators: z.array(z.object({ index: z.number().int().nonnegative() })),
});
export type OutdatedSignatures = z.infer<typeof OutdatedSignaturesSchema>;

/** `GET {oracle endpoint}/exits/` (spec §5.5): the validators this oracle is force-exiting. */
export const ForcedExitsSchema = z.array(z.object({ index: z.number().int().nonnegative() }));
