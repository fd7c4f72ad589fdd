import { keccak_256 } from "@noble/hashes/sha3.js";
import { InvalidValueError, parseValue } from "./values.ts";

const HEX_ADDRESS = /^0x[0-9a-fA-F]{40}$/;

/**
 * An Ethereum address typed by a user (a ValueParser). All-lower-case and all-upper-case
 * addresses are accepted; a mixed-case address must carry a valid EIP-55 checksum (a typo
 * guard). Returns the checksummed address. Written with a bare keccak rather than viem: every
 * command's --vault is parsed with it, and a usage error should not have to load viem.
 */
export function addressValue(input: string): `0x${string}` {
  const value = input.trim();
  if (!HEX_ADDRESS.test(value)) {
    throw new InvalidValueError("is not an Ethereum address: use 0x followed by 40 hex characters");
  }
  const hex = value.slice(2);
  const checksummed = checksumAddress(hex.toLowerCase());
  const mixedCase = hex !== hex.toLowerCase() && hex !== hex.toUpperCase();
  if (mixedCase && value !== checksummed) {
    throw new InvalidValueError(
      "fails its EIP-55 checksum (a character is mistyped): copy the address again, or type it all in lower case",
    );
  }
  return checksummed;
}

/** {@link addressValue}, refusing a bad address with a UserInputError naming `inputName`. */
export function parseAddress(input: string, inputName: string): `0x${string}` {
  return parseValue(addressValue, input, { flag: inputName });
}

/**
 * EIP-55: a letter is upper case where the matching nibble of keccak256(the lower-case hex, as
 * ASCII) is 8 or more.
 */
function checksumAddress(lowerHex: string): `0x${string}` {
  const hash = keccak_256(new TextEncoder().encode(lowerHex));
  let out = "0x";
  for (let i = 0; i < lowerHex.length; i++) {
    const byte = hash[i >> 1] ?? 0;
    const nibble = i % 2 === 0 ? byte >> 4 : byte & 0x0f;
    const char = lowerHex[i] as string;
    out += nibble >= 8 ? char.toUpperCase() : char;
  }
  return out as `0x${string}`;
}
