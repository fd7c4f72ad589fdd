import { generateMnemonic, mnemonicToSeedSync, validateMnemonic } from "@scure/bip39";
import { wordlist as czech } from "@scure/bip39/wordlists/czech.js";
import { wordlist as english } from "@scure/bip39/wordlists/english.js";
import { wordlist as italian } from "@scure/bip39/wordlists/italian.js";
import { wordlist as korean } from "@scure/bip39/wordlists/korean.js";
import { wordlist as portuguese } from "@scure/bip39/wordlists/portuguese.js";
import { wordlist as chineseSimplified } from "@scure/bip39/wordlists/simplified-chinese.js";
import { wordlist as spanish } from "@scure/bip39/wordlists/spanish.js";
import { wordlist as chineseTraditional } from "@scure/bip39/wordlists/traditional-chinese.js";
import { InvalidValueError, parseValue } from "../lib/values.ts";

/** The BIP-39 word lists the staking deposit CLI (and so the Python operator) ships. */
export const MNEMONIC_LANGUAGES = [
  "chinese_simplified",
  "chinese_traditional",
  "czech",
  "english",
  "italian",
  "korean",
  "portuguese",
  "spanish",
] as const;
export type MnemonicLanguage = (typeof MNEMONIC_LANGUAGES)[number];

const WORDLISTS: Record<MnemonicLanguage, string[]> = {
  chinese_simplified: chineseSimplified,
  chinese_traditional: chineseTraditional,
  czech,
  english,
  italian,
  korean,
  portuguese,
  spanish,
};

export function isMnemonicLanguage(value: string): value is MnemonicLanguage {
  return (MNEMONIC_LANGUAGES as readonly string[]).includes(value);
}

/** A new 24-word mnemonic (256 bits of entropy), as the staking deposit CLI makes. */
export function createMnemonic(language: MnemonicLanguage): string {
  return generateMnemonic(WORDLISTS[language], 256);
}

export interface ParsedMnemonic {
  /** NFKD-normalised words joined by single spaces. */
  phrase: string;
  language: MnemonicLanguage;
}

/**
 * Validates a user-typed mnemonic against every supported word list (a ValueParser): surrounding
 * quotes and extra white space are dropped, case is folded. The reason never repeats the words.
 */
export function mnemonicValue(input: string): ParsedMnemonic {
  const words = input
    .trim()
    .replace(/^["']|["']$/g, "")
    .normalize("NFKD")
    .toLowerCase()
    .split(/\s+/u)
    .filter((w) => w.length > 0);
  if (words.length === 0) {
    throw new InvalidValueError('is empty: pass the 24-word mnemonic made by "operator init"');
  }
  if (![12, 15, 18, 21, 24].includes(words.length)) {
    throw new InvalidValueError(
      `has ${words.length} words: a mnemonic has 12, 15, 18, 21 or 24 words (the one made by "operator init" has 24)`,
    );
  }
  let knownWords = false;
  for (const language of MNEMONIC_LANGUAGES) {
    const list = WORDLISTS[language];
    const normalisedList = list.map((w) => w.normalize("NFKD"));
    if (!words.every((w) => normalisedList.includes(w))) continue;
    knownWords = true;
    const phrase = words.map((w) => list[normalisedList.indexOf(w)] as string).join(" ");
    if (validateMnemonic(phrase, list)) return { phrase: phrase.normalize("NFKD"), language };
  }
  if (knownWords) {
    throw new InvalidValueError(
      "has a bad checksum: a word is wrong or out of order; check it against your written copy",
    );
  }
  const unknown = words.findIndex((w) => !MNEMONIC_LANGUAGES.some((l) => WORDLISTS[l].includes(w)));
  throw new InvalidValueError(
    unknown >= 0
      ? `has a typo: word ${unknown + 1} is not in any supported BIP-39 word list; check its spelling`
      : "mixes BIP-39 word lists: check the words against your written copy",
  );
}

/** {@link mnemonicValue}, refusing a bad mnemonic with a UserInputError naming `inputName` only. */
export function parseMnemonic(input: string, inputName = "--mnemonic"): ParsedMnemonic {
  return parseValue(mnemonicValue, input, { flag: inputName, secret: true });
}

/** BIP-39 seed with the empty passphrase, as the staking deposit CLI derives it. */
export function mnemonicToSeed(mnemonic: ParsedMnemonic | string): Uint8Array {
  const phrase = typeof mnemonic === "string" ? mnemonic : mnemonic.phrase;
  return mnemonicToSeedSync(phrase, "");
}
