import { z } from "zod";

/**
 * The bodies a devnet oracle accepts, as the oracle reads them (spec §5.1 old flow, §5.4); its
 * own schema, not the operator's, so a field the operator misnames or misformats is refused.
 */

const bytesHex = (length: number) =>
  z
    .string()
    .regex(new RegExp(`^0x[0-9a-fA-F]{${2 * length}}$`), `must be 0x-prefixed hex of ${length} bytes`);
const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, "must be an address");
const someHex = z.string().regex(/^0x(?:[0-9a-fA-F]{2})+$/, "must be 0x-prefixed hex");
const perValidator = <T extends z.ZodType>(item: T) => z.array(item).min(1);
const shardLists = {
  /** Per validator, one compressed G1 share per oracle. */
  public_key_shards: perValidator(perValidator(bytesHex(48))),
  /** Per validator, one ECIES ciphertext per oracle. */
  exit_signature_shards: perValidator(perValidator(someHex)),
};

/** `POST {endpoint}`: approve registering validators (with the deposit-data proof). */
export const RegistrationRequestBody = z.object({
  validator_index: z.number().int().min(0),
  vault_address: address,
  validators_root: bytesHex(32),
  public_keys: perValidator(bytesHex(48)),
  deposit_signatures: perValidator(bytesHex(96)),
  ...shardLists,
  deadline: z.number().int().min(1),
  proof: z.array(bytesHex(32)).nullable(),
  proof_flags: z.array(z.boolean()).nullable(),
  proof_indexes: z.array(z.number().int().min(0)).nullable(),
});

/** `POST {endpoint}/signatures`: approve new exit-signature shards for a vault's validators. */
export const ExitSignaturesRequestBody = z.object({
  vault_address: address,
  public_keys: perValidator(bytesHex(48)),
  ...shardLists,
  deadline: z.number().int().min(1),
});

/**
 * `POST {endpoint}` of v4 operators (spec §5.1 v4+): no proof fields; the validators manager's
 * signature instead; `amounts` in gwei for 0x02 validators, null for 0x01.
 */
export const RegistrationRequestV4Body = z.object({
  validator_index: z.number().int().min(0),
  vault_address: address,
  validators_root: bytesHex(32),
  public_keys: perValidator(bytesHex(48)),
  deposit_signatures: perValidator(bytesHex(96)),
  ...shardLists,
  validators_manager_signature: z.string().regex(/^0x(?:[0-9a-fA-F]{2})*$/, "must be 0x-prefixed hex"),
  deadline: z.number().int().min(1),
  amounts: z.array(z.number().int().min(1)).nullable(),
});

/** `POST {endpoint}/consolidate-validators/` (spec §5.5): the target keys to approve for a vault. */
export const ConsolidationRequestBody = z.object({
  public_keys: perValidator(bytesHex(48)),
  vault_address: address,
});
