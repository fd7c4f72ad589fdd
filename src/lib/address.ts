import { getAddress, isAddress } from "viem";
import { UserInputError } from "./errors.ts";

/**
 * Parses an Ethereum address typed by a user. All-lower-case and all-upper-case addresses are
 * accepted; a mixed-case address must carry a valid EIP-55 checksum (a typo guard).
 * Returns the checksummed address.
 */
export function parseAddress(input: string, inputName: string): `0x${string}` {
  const value = input.trim();
  if (!isAddress(value, { strict: false })) {
    throw new UserInputError(
      `${inputName} "${value}" is not an Ethereum address: expected 0x followed by 40 hex characters`,
    );
  }
  const hex = value.slice(2);
  const mixedCase = hex !== hex.toLowerCase() && hex !== hex.toUpperCase();
  if (mixedCase && !isAddress(value, { strict: true })) {
    throw new UserInputError(
      `${inputName} "${value}" fails its EIP-55 checksum (a character is mistyped): copy the address again, or type it all in lower case`,
    );
  }
  return getAddress(value.toLowerCase());
}
