import { readFile } from "node:fs/promises";
import { z } from "zod";
import { UserInputError } from "../../lib/errors.ts";
import { parseHex } from "../../lib/hex.ts";
import type { PublicKeyShareSource, PublicKeyShares } from "./public-key-shares.ts";
import { normalizeKey } from "./store.ts";

const HEX_KEY = z.string().regex(/^0x[0-9a-fA-F]{96}$/, "a 48-byte 0x-hex key");

/** The parts of charon's cluster-lock.json the relayer reads (unknown fields ignored). */
const ClusterLockSchema = z.object({
  cluster_definition: z.object({ threshold: z.number().int().positive() }).optional(),
  distributed_validators: z
    .array(z.object({ distributed_public_key: HEX_KEY, public_shares: z.array(HEX_KEY).min(1) }))
    .min(1),
});

/**
 * Public key shares from an Obol cluster-lock.json: validator `distributed_public_key` has share i+1
 * = `public_shares[i]` (charon's share index is the node index + 1). When the lock states a
 * threshold it must be the relayer's `--signature-threshold`.
 */
export function obolShareSource(
  lockJson: unknown,
  options: { file: string; threshold: number },
): PublicKeyShareSource {
  const parsed = ClusterLockSchema.safeParse(lockJson);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UserInputError(
      `${options.file} is not an Obol cluster-lock: ${issue?.path.join(".") ?? "?"}: ${issue?.message ?? "invalid"}`,
    );
  }
  const lockThreshold = parsed.data.cluster_definition?.threshold;
  if (lockThreshold !== undefined && lockThreshold !== options.threshold) {
    throw new UserInputError(
      `${options.file} has threshold ${lockThreshold} but --signature-threshold is ${options.threshold}: make them equal`,
    );
  }
  const byKey = new Map<string, PublicKeyShares>();
  for (const validator of parsed.data.distributed_validators) {
    if (validator.public_shares.length < options.threshold) {
      throw new UserInputError(
        `${options.file}: validator ${validator.distributed_public_key} has ${validator.public_shares.length} public shares, fewer than the threshold ${options.threshold}`,
      );
    }
    byKey.set(
      normalizeKey(validator.distributed_public_key),
      new Map(validator.public_shares.map((share, i) => [BigInt(i + 1), parseHex(share, 48) as Uint8Array])),
    );
  }
  return { name: "obol", sharesOf: async (publicKey) => byKey.get(normalizeKey(publicKey)) };
}

export async function readObolShareSource(file: string, threshold: number): Promise<PublicKeyShareSource> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, "utf8"));
  } catch (error) {
    throw new UserInputError(`cannot read --obol-cluster-lock ${file}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return obolShareSource(json, { file, threshold });
}
