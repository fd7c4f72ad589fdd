import { wholeNumber } from "../../lib/values.ts";

/** More keys than this in one run is almost certainly a typo (10,000 keys take ~1 h of scrypt). */
export const MAX_KEYS_PER_RUN = 100_000;

/** --count / COUNT and its prompt (a ValueParser). */
export const keyCountValue = wholeNumber("a number of keys", 1, MAX_KEYS_PER_RUN);
