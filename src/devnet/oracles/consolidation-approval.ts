import { type Address, getAddress, type Hex } from "viem";
import { OracleRejection } from "./checks.ts";
import type { OracleChain } from "./oracle-chain.ts";

/**
 * What an oracle checks before it approves consolidation targets for a vault (spec §5.5, §7.6).
 * The v4 operator asks only for the 0x01 → 0x02 switch, where the vault consolidates a validator
 * into itself, so each key must be an active, non-exiting validator that withdraws to this vault.
 * The oracle then signs the bytes the vault will pass on: source (48) ‖ target (48) per key, the
 * key on both sides.
 */
export interface CheckedConsolidation {
  vault: Address;
  validators: Uint8Array;
}

export async function checkConsolidationRequest(
  body: { public_keys: string[]; vault_address: string },
  deps: { chain: OracleChain; batchLimit: number },
): Promise<CheckedConsolidation> {
  const vault = getAddress(body.vault_address);
  if (body.public_keys.length > deps.batchLimit)
    throw new OracleRejection(`at most ${deps.batchLimit} validators per consolidation approval`);
  const keys = body.public_keys.map((k) => k.toLowerCase() as Hex);
  if (new Set(keys).size !== keys.length) throw new OracleRejection("public_keys repeat a validator");
  if (!(await deps.chain.isVault(vault))) throw new OracleRejection(`${vault} is not a registered vault`);
  const parts: number[] = [];
  for (const publicKey of keys) {
    const where = `validator ${publicKey.slice(0, 12)}…`;
    const validator = await deps.chain.beaconValidator(publicKey);
    if (!validator) throw new OracleRejection(`${where} is not known to the beacon chain`);
    const credentials = validator.withdrawalCredentials.toLowerCase();
    const prefix = credentials.slice(0, 4);
    const ownAddress = `0x${credentials.slice(26)}`;
    if ((prefix !== "0x01" && prefix !== "0x02") || ownAddress !== vault.toLowerCase())
      throw new OracleRejection(`${where} does not withdraw to vault ${vault}`);
    if (validator.status !== "active_ongoing")
      throw new OracleRejection(`${where} is not active and not exiting (status ${validator.status})`);
    const pubkey = Buffer.from(publicKey.slice(2), "hex");
    parts.push(...pubkey, ...pubkey);
  }
  return { vault, validators: Uint8Array.from(parts) };
}
