import { getAddress, isAddress } from "viem";
import { InvalidValueError, parseValue } from "./values.ts";

/**
 * An Ethereum address typed by a user (a ValueParser). All-lower-case and all-upper-case
 * addresses are accepted; a mixed-case address must carry a valid EIP-55 checksum (a typo
 * guard). Returns the checksummed address.
 */
export function addressValue(input: string): `0x${string}` {
  const value = input.trim();
  if (!isAddress(value, { strict: false })) {
    throw new InvalidValueError("is not an Ethereum address: use 0x followed by 40 hex characters");
  }
  const hex = value.slice(2);
  const mixedCase = hex !== hex.toLowerCase() && hex !== hex.toUpperCase();
  if (mixedCase && !isAddress(value, { strict: true })) {
    throw new InvalidValueError(
      "fails its EIP-55 checksum (a character is mistyped): copy the address again, or type it all in lower case",
    );
  }
  return getAddress(value.toLowerCase());
}

/** {@link addressValue}, refusing a bad address with a UserInputError naming `inputName`. */
export function parseAddress(input: string, inputName: string): `0x${string}` {
  return parseValue(addressValue, input, { flag: inputName });
}
