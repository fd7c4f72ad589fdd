import { MNEMONIC_LANGUAGES } from "../../crypto/mnemonic.ts";
import { oneOf } from "../../lib/values.ts";

/** --language / LANGUAGE and the language prompt (a ValueParser). */
export const mnemonicLanguageValue = oneOf("a mnemonic language", MNEMONIC_LANGUAGES);
