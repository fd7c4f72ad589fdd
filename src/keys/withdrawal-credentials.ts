import { parseHex } from "../lib/hex.ts";

/**
 * 0x01 withdrawal credentials for the vault: 0x01 ‖ 11 zero bytes ‖ vault address. Every
 * validator of a first-generation vault withdraws to the vault itself.
 */
export function vaultWithdrawalCredentials(vault: string, prefix: 0x01 | 0x02 = 0x01): Uint8Array {
  const address = parseHex(vault, 20);
  if (!address) throw new Error(`not a 20-byte address: ${vault}`);
  const credentials = new Uint8Array(32);
  credentials[0] = prefix;
  credentials.set(address, 12);
  return credentials;
}
