import { randomInt } from "node:crypto";

const UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const LOWER = "abcdefghijklmnopqrstuvwxyz";
const DIGITS = "0123456789";
const SPECIAL = "!@#$%^&*()_";
const ALPHABET = UPPER + LOWER + DIGITS + SPECIAL;

/**
 * A random keystore/wallet password: 20 characters from [A-Za-z0-9!@#$%^&*()_] with at least
 * one upper-case letter, lower-case letter, digit and special character (the Python operator's rule).
 */
export function generatePassword(length = 20): string {
  for (;;) {
    let password = "";
    for (let i = 0; i < length; i++) password += ALPHABET[randomInt(ALPHABET.length)];
    if ([UPPER, LOWER, DIGITS, SPECIAL].every((set) => [...password].some((c) => set.includes(c)))) {
      return password;
    }
  }
}
