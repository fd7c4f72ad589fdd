import { createHash } from "node:crypto";
import { BeaconApiError } from "./errors.ts";

/**
 * Block and state roots of the simulated chain: 24 bytes that tag the kind, then the slot as
 * 8 bytes big-endian. Stateless yet unique, and a root given back as an id names its slot.
 */
type RootKind = "block" | "state";
const TAGS: Record<RootKind, string> = {
  block: createHash("sha256").update("vault-operator beacon simulator block").digest("hex").slice(0, 48),
  state: createHash("sha256").update("vault-operator beacon simulator state").digest("hex").slice(0, 48),
};

export const ZERO_ROOT: `0x${string}` = `0x${"00".repeat(32)}`;

export function rootOf(kind: RootKind, slot: number): `0x${string}` {
  return `0x${TAGS[kind]}${BigInt(slot).toString(16).padStart(16, "0")}`;
}

function slotOfRoot(kind: RootKind, root: string): number | undefined {
  const hex = root.slice(2).toLowerCase();
  if (!hex.startsWith(TAGS[kind])) return undefined;
  const slot = Number.parseInt(hex.slice(48), 16);
  return Number.isSafeInteger(slot) ? slot : undefined;
}

/** The slots the named ids point at, as of the head. */
export interface NamedSlots {
  head: number;
  finalized: number;
  justified: number;
}

/**
 * Resolves a Beacon API state_id or block_id ("head", "genesis", "finalized", "justified", a slot,
 * or a 0x root) to a slot. Malformed → 400 "Invalid … ID"; a slot after the head or a root the
 * chain never had → 404 "… not found".
 */
export function resolveSlotId(id: string, kind: RootKind, named: NamedSlots): number {
  const label = kind === "state" ? "State" : "Block";
  let slot: number | undefined;
  if (id === "head") slot = named.head;
  else if (id === "genesis") slot = 0;
  else if (id === "finalized") slot = named.finalized;
  else if (id === "justified") slot = named.justified;
  else if (/^\d+$/.test(id)) slot = Number(id);
  else if (/^0x[0-9a-fA-F]{64}$/.test(id)) {
    slot = slotOfRoot(kind, id);
    if (slot === undefined) throw new BeaconApiError(404, `${label} not found`);
  } else throw new BeaconApiError(400, `Invalid ${kind} ID: ${id}`);
  if (!Number.isSafeInteger(slot) || slot > named.head) throw new BeaconApiError(404, `${label} not found`);
  return slot;
}

/** A validator id of the Beacon API: a decimal index or a 0x-prefixed 48-byte public key. */
export type ValidatorId = { index: number } | { pubkey: `0x${string}` };

export function parseValidatorId(id: string): ValidatorId {
  if (/^\d+$/.test(id)) {
    const index = Number(id);
    // An index beyond 2^53 cannot name a validator of ours; it is valid input all the same.
    return { index: Number.isSafeInteger(index) ? index : Number.MAX_SAFE_INTEGER };
  }
  if (/^0x[0-9a-fA-F]{96}$/.test(id)) return { pubkey: id.toLowerCase() as `0x${string}` };
  throw new BeaconApiError(400, `Invalid validator ID: ${id}`);
}
