import { readFile } from "node:fs/promises";
import type { Hex } from "viem";
import { z } from "zod";
import { ObolClusterError } from "./errors.ts";

/**
 * Charon's cluster-lock.json, the fields the sidecar reads: each distributed validator's public
 * key and its nodes' public shares (node i holds share index i + 1). Lock versions before v1.2.0
 * carried `threshold_verifiers` (polynomial commitments) instead of `public_shares` and are refused.
 */

export interface ClusterLockValidator {
  /** 0x + lowercase hex, 48 bytes. */
  publicKey: Hex;
  /** public_shares[i]: node i's share public key, 0x + lowercase hex. */
  publicShares: Hex[];
}

export interface ClusterLock {
  /** cluster_definition.version, e.g. "v1.8.0" ("unknown" when absent). */
  version: string;
  validators: ClusterLockValidator[];
}

const key = z
  .string()
  .regex(/^(0x)?[0-9a-fA-F]{96}$/, "must be a 48-byte hex public key")
  .transform((text) => `0x${text.replace(/^0x/, "").toLowerCase()}` as Hex);

const LockSchema = z.object({
  cluster_definition: z.object({ version: z.string().optional() }).passthrough().optional(),
  distributed_validators: z
    .array(
      z
        .object({
          distributed_public_key: key,
          public_shares: z.array(key).min(1).optional(),
          threshold_verifiers: z.unknown().optional(),
        })
        .passthrough(),
    )
    .min(1, "lists no validators"),
});

/** Parses cluster-lock text; every problem is one line naming `file`. */
export function parseClusterLock(text: string, file: string): ClusterLock {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ObolClusterError(
      `cluster-lock ${file} is not JSON: pass charon's cluster-lock.json with --obol-cluster-lock`,
    );
  }
  const parsed = LockSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join(".") || "(root)";
    throw new ObolClusterError(`cluster-lock ${file}: field "${field}" ${issue?.message ?? "is invalid"}`);
  }
  const version = parsed.data.cluster_definition?.version ?? "unknown";
  const validators = parsed.data.distributed_validators.map((dv, i) => {
    if (dv.public_shares === undefined) {
      throw new ObolClusterError(
        `cluster-lock ${file} is version ${version}, whose validators carry no public_shares (validator ${i} has ${dv.threshold_verifiers === undefined ? "neither" : "threshold_verifiers only"}): the sidecar needs a lock of v1.2.0 or later`,
      );
    }
    return { publicKey: dv.distributed_public_key, publicShares: dv.public_shares };
  });
  const size = validators[0]?.publicShares.length ?? 0;
  validators.forEach((validator, i) => {
    if (validator.publicShares.length !== size) {
      throw new ObolClusterError(
        `cluster-lock ${file}: validator ${i} (${validator.publicKey}) has ${validator.publicShares.length} public_shares, validator 0 has ${size}`,
      );
    }
  });
  return { version, validators };
}

export async function readClusterLock(file: string): Promise<ClusterLock> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (cause) {
    throw new ObolClusterError(
      `cluster-lock ${file} cannot be read (${(cause as NodeJS.ErrnoException).code ?? "error"}): check --obol-cluster-lock`,
      { cause },
    );
  }
  return parseClusterLock(text, file);
}
