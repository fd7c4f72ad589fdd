import { z } from "zod";
import { OperatorError } from "../lib/errors.ts";

/**
 * The protocol config the Keeper points at (`ConfigUpdated(configIpfsHash)` → IPFS JSON, spec
 * §4.5): the oracle set with each oracle's replica endpoints, and the limits the operator obeys.
 */
const OracleSchema = z.object({
  /** 64-byte uncompressed secp256k1 public key, hex without the 04 prefix (0x optional). */
  public_key: z
    .string()
    .regex(/^(0x)?[0-9a-fA-F]{128}$/, "must be a 64-byte uncompressed secp256k1 key in hex"),
  endpoints: z.array(z.string().url()).min(1),
});

export const ProtocolConfigJsonSchema = z.object({
  oracles: z.array(OracleSchema).min(1),
  exit_signature_recover_threshold: z.number().int().positive(),
  signature_validity_period: z.number().int().positive(),
  validators_approval_batch_limit: z.number().int().positive(),
  validators_exit_rotation_batch_limit: z.number().int().positive(),
  exit_signature_epoch: z.number().int().nonnegative().optional(),
  supported_relays: z.array(z.unknown()).optional(),
  vault_max_fee: z.number().optional(),
  validator_min_active_epochs: z.number().int().optional(),
  validators_exit_queued_assets_bps: z.number().optional(),
  inactive_validator_balance: z.number().optional(),
  until_force_exit_epochs: z.number().int().optional(),
});

export type ProtocolConfigJson = z.infer<typeof ProtocolConfigJsonSchema>;

export interface OracleInfo {
  /** 0x + 128 hex: the key exit signature shards are encrypted to. */
  publicKey: `0x${string}`;
  endpoints: string[];
}

export interface ProtocolConfig {
  oracles: OracleInfo[];
  exitSignatureRecoverThreshold: number;
  signatureValidityPeriod: number;
  validatorsApprovalBatchLimit: number;
  validatorsExitRotationBatchLimit: number;
  /** validator_min_active_epochs (v4 configs): epochs a validator is kept before it may be exited. */
  validatorMinActiveEpochs?: number;
}

/**
 * Parses and validates the config (with the Keeper's validators threshold): 1 ≤ recover threshold
 * ≤ validators threshold ≤ number of oracles, no oracle twice.
 */
export function parseProtocolConfig(
  json: unknown,
  validatorsMinOracles: number,
  source: string,
): ProtocolConfig {
  const parsed = ProtocolConfigJsonSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new OperatorError(
      `protocol config ${source}: field "${issue?.path.join(".") || "(root)"}" ${issue?.message ?? "is invalid"}`,
    );
  }
  const data = parsed.data;
  const oracles = data.oracles.map((o) => ({
    publicKey: `0x${o.public_key.replace(/^0x/, "").toLowerCase()}` as `0x${string}`,
    endpoints: o.endpoints,
  }));
  if (new Set(oracles.map((o) => o.publicKey)).size !== oracles.length) {
    throw new OperatorError(`protocol config ${source}: an oracle public key appears twice`);
  }
  const recover = data.exit_signature_recover_threshold;
  if (validatorsMinOracles < 1 || validatorsMinOracles > oracles.length) {
    throw new OperatorError(
      `protocol config ${source}: the Keeper's validatorsMinOracles (${validatorsMinOracles}) must be between 1 and the ${oracles.length} oracles`,
    );
  }
  if (recover > validatorsMinOracles) {
    throw new OperatorError(
      `protocol config ${source}: exit_signature_recover_threshold (${recover}) exceeds validatorsMinOracles (${validatorsMinOracles})`,
    );
  }
  return {
    oracles,
    exitSignatureRecoverThreshold: recover,
    signatureValidityPeriod: data.signature_validity_period,
    validatorsApprovalBatchLimit: data.validators_approval_batch_limit,
    validatorsExitRotationBatchLimit: data.validators_exit_rotation_batch_limit,
    ...(data.validator_min_active_epochs === undefined
      ? {}
      : { validatorMinActiveEpochs: data.validator_min_active_epochs }),
  };
}
