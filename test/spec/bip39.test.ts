/**
 * BIP-39 against the Trezor English vectors (test/vectors/bip39-trezor-english.json), and the
 * mnemonic parser's behaviour on bad input.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { entropyToMnemonic, mnemonicToEntropy, mnemonicToSeedSync } from "@scure/bip39";
import { wordlist as english } from "@scure/bip39/wordlists/english.js";
import { wordlist as chineseSimplified } from "@scure/bip39/wordlists/simplified-chinese.js";
import { wordlist as chineseTraditional } from "@scure/bip39/wordlists/traditional-chinese.js";
import {
  createMnemonic,
  MNEMONIC_LANGUAGES,
  mnemonicToSeed,
  parseMnemonic,
} from "../../src/crypto/mnemonic.ts";
import { UserInputError } from "../../src/lib/errors.ts";
import { bytesHex, hexBytes, readVectorJson } from "./vectors.ts";

interface TrezorVector {
  entropy: string;
  mnemonic: string;
  passphrase: string;
  seed: string;
  bip32_xprv: string;
}

const vectors = readVectorJson<{ english: TrezorVector[] }>("bip39-trezor-english.json").english;

/** The parser must fail with a UserInputError whose message repeats none of the words. */
function assertRejectsWithoutLeaking(input: string, words: readonly string[]): void {
  assert.throws(
    () => parseMnemonic(input),
    (error: unknown) => {
      assert.ok(error instanceof UserInputError, `expected UserInputError, got ${String(error)}`);
      // Whole-token comparison: the messages' own wording ("word 6", "check") is not a leak.
      const tokens = new Set(error.message.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []);
      for (const word of words) {
        assert.ok(
          !tokens.has(word.toLowerCase()),
          `error message repeats the word "${word}": ${error.message}`,
        );
      }
      return true;
    },
  );
}

describe("BIP-39 Trezor English vectors", () => {
  it("has the 24 vectors, all with passphrase TREZOR", () => {
    assert.equal(vectors.length, 24);
    for (const v of vectors) assert.equal(v.passphrase, "TREZOR");
  });

  for (const [i, v] of vectors.entries()) {
    const words = v.mnemonic.split(" ").length;
    describe(`vector ${i} (${words} words)`, () => {
      it("entropy → mnemonic and back", () => {
        assert.equal(entropyToMnemonic(hexBytes(v.entropy), english), v.mnemonic);
        assert.equal(bytesHex(mnemonicToEntropy(v.mnemonic, english)), v.entropy);
      });

      it("mnemonic → seed with passphrase TREZOR", () => {
        assert.equal(bytesHex(mnemonicToSeedSync(v.mnemonic, v.passphrase)), v.seed);
      });

      it("parseMnemonic accepts it as english and keeps the phrase", () => {
        const parsed = parseMnemonic(v.mnemonic);
        assert.equal(parsed.language, "english");
        assert.equal(parsed.phrase, v.mnemonic);
        // mnemonicToSeed uses the empty passphrase (deposit CLI): it must differ from the TREZOR seed
        // and equal the BIP-39 seed with "".
        const seed = mnemonicToSeed(parsed);
        assert.equal(bytesHex(seed), bytesHex(mnemonicToSeedSync(v.mnemonic, "")));
        assert.notEqual(bytesHex(seed), v.seed);
      });
    });
  }

  it("parseMnemonic tolerates quotes, extra white space and upper case", () => {
    const v = vectors[1] as TrezorVector;
    const messy = `  "${v.mnemonic.toUpperCase().split(" ").join("  \t ")}"\n`;
    assert.deepEqual(parseMnemonic(messy), { phrase: v.mnemonic, language: "english" });
  });
});

describe("parseMnemonic rejects bad mnemonics without repeating them", () => {
  // A 24-word vector with 24 distinct words (vector 17 "beyond stage sleep clip ...").
  const v24 = vectors.find((v) => new Set(v.mnemonic.split(" ")).size === 24);
  assert.ok(v24, "a 24-word vector with distinct words");
  const words = v24.mnemonic.split(" ");

  it("bad checksum (two words swapped)", () => {
    const swapped = [...words];
    // Swap the first two distinct words; the checksum no longer matches.
    const j = swapped.findIndex((w) => w !== swapped[0]);
    [swapped[0], swapped[j]] = [swapped[j] as string, swapped[0] as string];
    const phrase = swapped.join(" ");
    assert.throws(() => parseMnemonic(phrase), /checksum/);
    assertRejectsWithoutLeaking(phrase, words);
  });

  it("unknown word", () => {
    const typo = [...words];
    typo[5] = "notabip39word";
    assertRejectsWithoutLeaking(typo.join(" "), [...words, "notabip39word"]);
    assert.throws(() => parseMnemonic(typo.join(" ")), /word 6 is not in any supported BIP-39 word list/);
  });

  it("wrong word count", () => {
    for (const count of [1, 11, 13, 23, 25]) {
      const phrase = Array.from({ length: count }, (_, i) => words[i % words.length]).join(" ");
      assertRejectsWithoutLeaking(phrase, words);
    }
  });

  it("empty input", () => {
    for (const input of ["", "   ", "\n\t", '""']) assertRejectsWithoutLeaking(input, words);
  });

  it("names the input in the message", () => {
    assert.throws(() => parseMnemonic("", "MNEMONIC_FILE"), /MNEMONIC_FILE/);
  });
});

describe("createMnemonic round-trips in every language", () => {
  for (const language of MNEMONIC_LANGUAGES) {
    it(language, () => {
      const phrase = createMnemonic(language);
      assert.equal(phrase.normalize("NFKD").split(" ").length, 24);
      const parsed = parseMnemonic(phrase);
      assert.equal(parsed.phrase, phrase.normalize("NFKD"));
      if (language === "chinese_simplified" || language === "chinese_traditional") {
        // The two Chinese lists share most characters (at the same indexes); a phrase made only of
        // shared characters is valid in both, and the parser reports the first list it matches.
        if (parsed.language !== language) {
          assert.equal(parsed.language, "chinese_simplified");
          for (const word of phrase.split(" ")) {
            assert.ok(chineseSimplified.includes(word) && chineseTraditional.includes(word));
          }
        }
      } else {
        assert.equal(parsed.language, language);
      }
      assert.equal(mnemonicToSeed(parsed).length, 64);
    });
  }
});
