import { readFile } from "node:fs/promises";
import { getAddress, isAddress } from "viem";
import { z } from "zod";
import { writeFileAtomic } from "../../lib/atomic-file.ts";
import { OperatorError } from "../../lib/errors.ts";
import { bytesEqual, parseHex, toPrefixedHex } from "../../lib/hex.ts";
import { KeysharesFileError } from "./errors.ts";
import { checkClusterOperatorIds } from "./operator-ids.ts";
import { parseOperatorPublicKey } from "./operator-public-key.ts";
import { verifyOwnershipProof } from "./ownership-proof.ts";
import { parseSharesData, type SsvSharesData, sharesDataLength } from "./shares-data.ts";

/**
 * The `keyshares.json` of ssv-keys v1.1/v1.2 and the SSV web app:
 *   { version: "v1.1.0", createdAt: ISO-8601, shares: [{
 *       data: { ownerNonce: number, ownerAddress, publicKey: 0x…48 bytes,
 *               operators: [{ id: number, operatorKey: base64 PEM }] },
 *       payload: { publicKey, operatorIds: number[], sharesData: 0x… } }] }
 * ssv-keys 1.1 reads files of its own major.minor only, ssv-sdk reads v1.1.0 and v1.2.0: we write
 * "v1.1.0", which both accept, and read v1.1.x and v1.2.x.
 */

export const KEYSHARES_VERSION = "v1.1.0";
const READABLE_VERSION = /^v?1\.[12]\.\d+$/;

export interface KeysharesOperator {
  id: bigint;
  /** The operator's public key in the registry form (base64 PEM). */
  operatorKey: string;
}

export interface KeysharesItem {
  /** EIP-55 checksummed. */
  ownerAddress: `0x${string}`;
  ownerNonce: bigint;
  /** The validator's BLS public key, 48 bytes. */
  publicKey: Uint8Array;
  /** In ascending id order. */
  operators: KeysharesOperator[];
  sharesData: Uint8Array;
}

export interface KeysharesFile {
  version: string;
  createdAt: string;
  items: KeysharesItem[];
}

/** JSON numbers stop being exact above 2^53 − 1; ssv-keys reads ids and nonces as numbers. */
function jsonInteger(value: bigint, what: string): number {
  if (value < 0n || value > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new OperatorError(`${what} ${value} does not fit a keyshares.json number (0 … 2^53 − 1)`);
  }
  return Number(value);
}

/** The file's text: 2-space JSON, fields in ssv-keys' order. */
export function formatKeysharesJson(items: readonly KeysharesItem[], createdAt: Date = new Date()): string {
  const shares = items.map((item) => {
    const publicKey = toPrefixedHex(item.publicKey);
    const operatorIds = item.operators.map((operator) => jsonInteger(operator.id, "SSV operator id"));
    return {
      data: {
        ownerNonce: jsonInteger(item.ownerNonce, "SSV owner nonce"),
        ownerAddress: getAddress(item.ownerAddress.toLowerCase()),
        publicKey,
        operators: item.operators.map((operator, i) => ({
          id: operatorIds[i],
          operatorKey: operator.operatorKey,
        })),
      },
      payload: { publicKey, operatorIds, sharesData: toPrefixedHex(item.sharesData) },
    };
  });
  return `${JSON.stringify({ version: KEYSHARES_VERSION, createdAt: createdAt.toISOString(), shares }, null, 2)}\n`;
}

/** The file entry for one validator built with buildSharesData, `operators` in the cluster's order. */
export function keysharesItem(
  built: Pick<SsvSharesData, "publicKey" | "operatorIds" | "sharesData">,
  owner: string,
  nonce: bigint | number,
  operatorKeys: readonly string[],
): KeysharesItem {
  if (operatorKeys.length !== built.operatorIds.length) {
    throw new OperatorError(`${operatorKeys.length} operator keys for ${built.operatorIds.length} operators`);
  }
  return {
    ownerAddress: getAddress(owner.toLowerCase()),
    ownerNonce: BigInt(nonce),
    publicKey: built.publicKey,
    operators: built.operatorIds.map((id, i) => ({ id, operatorKey: operatorKeys[i] as string })),
    sharesData: built.sharesData,
  };
}

/** Writes keyshares.json atomically (readers never see half a file). */
export async function writeKeysharesFile(
  path: string,
  items: readonly KeysharesItem[],
  createdAt: Date = new Date(),
): Promise<void> {
  await writeFileAtomic(path, formatKeysharesJson(items, createdAt));
}

const id = z.union([z.number().int().min(1).max(Number.MAX_SAFE_INTEGER), z.string().regex(/^[1-9]\d*$/)]);
const hex = z.string().regex(/^0x[0-9a-fA-F]*$/, "must be 0x-prefixed hex");
const KeysharesSchema = z.object({
  version: z
    .string()
    .regex(READABLE_VERSION, `must be ssv-keys v1.1.x or v1.2.x (we write ${KEYSHARES_VERSION})`),
  createdAt: z.string().optional(),
  shares: z
    .array(
      z.object({
        data: z.object({
          ownerNonce: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
          ownerAddress: z
            .string()
            .refine((value) => isAddress(value, { strict: false }), "is not an address"),
          publicKey: hex,
          operators: z.array(z.object({ id, operatorKey: z.string().min(1) })),
        }),
        payload: z.object({ publicKey: hex, operatorIds: z.array(id), sharesData: hex }),
      }),
    )
    .min(1, "has no validators"),
});
type RawItem = z.infer<typeof KeysharesSchema>["shares"][number];

/**
 * Parses and checks a keyshares.json: the format, the cluster's ids, each operator key, the
 * sharesData length and the ownership signature for (ownerAddress, ownerNonce), so that a file
 * that reads here is one SSV nodes accept. `source` names the file in errors.
 */
export function parseKeysharesJson(text: string, source: string): KeysharesFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new KeysharesFileError(`${source} is not valid JSON: export the keyshares again`);
  }
  const parsed = KeysharesSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new KeysharesFileError(
      `${source}: field "${issue?.path.join(".") || "(root)"}" ${issue?.message ?? "is invalid"}`,
    );
  }
  const { version, createdAt, shares } = parsed.data;
  return {
    version,
    createdAt: createdAt ?? "",
    items: shares.map((raw, i) => checkItem(raw, `${source}: shares.${i}`)),
  };
}

function checkItem(raw: RawItem, where: string): KeysharesItem {
  const fail = (field: string, problem: string) => new KeysharesFileError(`${where}.${field}: ${problem}`);
  const publicKey = parseHex(raw.data.publicKey, 48);
  if (!publicKey) throw fail("data.publicKey", "must be a 48-byte BLS public key");
  const payloadKey = parseHex(raw.payload.publicKey, 48);
  if (!payloadKey || !bytesEqual(payloadKey, publicKey))
    throw fail("payload.publicKey", "differs from data.publicKey");

  const operators = raw.data.operators
    .map((operator) => ({ id: BigInt(operator.id), operatorKey: operator.operatorKey }))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const ids = operators.map((operator) => operator.id);
  try {
    checkClusterOperatorIds(ids);
  } catch (error) {
    throw fail("data.operators", (error as Error).message);
  }
  const payloadIds = raw.payload.operatorIds.map(BigInt);
  if (payloadIds.join(",") !== ids.join(",")) {
    throw fail(
      "payload.operatorIds",
      `[${payloadIds.join(",")}] must be the operators' ids in ascending order [${ids.join(",")}]`,
    );
  }
  operators.forEach((operator, j) => {
    try {
      parseOperatorPublicKey(operator.operatorKey, operator.id);
    } catch (error) {
      throw fail(`data.operators.${j}.operatorKey`, (error as Error).message);
    }
  });

  const sharesData = parseHex(raw.payload.sharesData);
  if (!sharesData || sharesData.length !== sharesDataLength(ids.length)) {
    throw fail(
      "payload.sharesData",
      `must be ${sharesDataLength(ids.length)} bytes for ${ids.length} operators, not ${sharesData?.length ?? "odd-length hex"}`,
    );
  }
  const ownerAddress = getAddress(raw.data.ownerAddress.toLowerCase());
  const ownerNonce = BigInt(raw.data.ownerNonce);
  const { signature } = parseSharesData(sharesData, ids.length);
  if (!verifyOwnershipProof(signature, publicKey, ownerAddress, ownerNonce)) {
    throw fail(
      "payload.sharesData",
      `has no valid ownership signature for owner ${ownerAddress} and nonce ${ownerNonce}: build the shares again for this owner and nonce`,
    );
  }
  return { ownerAddress, ownerNonce, publicKey, operators, sharesData };
}

/** Reads and checks a keyshares.json (parseKeysharesJson). */
export async function readKeysharesFile(path: string): Promise<KeysharesFile> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new KeysharesFileError(
      `cannot read keyshares file ${path}: ${(error as NodeJS.ErrnoException).code ?? "error"}`,
    );
  }
  return parseKeysharesJson(text, path);
}
