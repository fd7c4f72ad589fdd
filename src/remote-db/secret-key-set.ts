import { writeHexDigits } from "../lib/hex.ts";
import { SECRET_KEY_LENGTH } from "./encryption-key.ts";

/**
 * Decrypted secret keys, packed 32 bytes each, collected batch by batch. Memory is the keys
 * themselves: no string per key (a string cannot be wiped, a buffer can), and every buffer that
 * held keys is zeroed when it is replaced or the set is wiped.
 */
export class SecretKeyCollector {
  #bytes: Buffer;
  #count = 0;

  constructor(expected = 1024) {
    this.#bytes = Buffer.alloc(Math.max(1, expected) * SECRET_KEY_LENGTH);
  }

  /** Appends `packed` (n keys back to back); the caller wipes its own copy. */
  add(packed: Uint8Array): void {
    const needed = this.#count * SECRET_KEY_LENGTH + packed.length;
    if (needed > this.#bytes.length) {
      const grown = Buffer.alloc(Math.max(needed, this.#bytes.length * 2));
      this.#bytes.copy(grown, 0, 0, this.#count * SECRET_KEY_LENGTH);
      this.#bytes.fill(0);
      this.#bytes = grown;
    }
    this.#bytes.set(packed, this.#count * SECRET_KEY_LENGTH);
    this.#count += packed.length / SECRET_KEY_LENGTH;
  }

  /** Zeroes what was collected (a failed read). */
  wipe(): void {
    this.#bytes.fill(0);
  }

  /** The distinct keys in ascending byte order, which is the order of their lowercase hex. */
  finish(): SortedSecretKeys {
    return SortedSecretKeys.fromPacked(this.#bytes, this.#count);
  }
}

/** Distinct secret keys sorted by their bytes (= by their 0x-hex, as the Python operator sorts). */
export class SortedSecretKeys {
  readonly #bytes: Buffer;
  /** Positions (key numbers in #bytes) in sorted order, duplicates left out. */
  readonly #order: Uint32Array;

  private constructor(bytes: Buffer, order: Uint32Array) {
    this.#bytes = bytes;
    this.#order = order;
  }

  /** Sorts and dedupes the first `count` keys of `bytes`, taking ownership of `bytes`. */
  static fromPacked(bytes: Buffer, count: number): SortedSecretKeys {
    // Keys are uniformly random, so their first four bytes order them almost always; the full
    // 32 bytes are compared only on a tie. Comparing integers keeps the sort of 120,000 keys at
    // tens of milliseconds, against hundreds for 0x-hex strings.
    const prefix = new Uint32Array(count);
    for (let i = 0; i < count; i++) prefix[i] = bytes.readUInt32BE(i * SECRET_KEY_LENGTH);
    const compareFull = (a: number, b: number) =>
      bytes.compare(
        bytes,
        b * SECRET_KEY_LENGTH,
        (b + 1) * SECRET_KEY_LENGTH,
        a * SECRET_KEY_LENGTH,
        (a + 1) * SECRET_KEY_LENGTH,
      );
    const sorted = new Uint32Array(count);
    for (let i = 0; i < count; i++) sorted[i] = i;
    sorted.sort((a, b) => (prefix[a] as number) - (prefix[b] as number) || compareFull(a, b));
    let distinct = 0;
    for (let i = 0; i < count; i++) {
      const at = sorted[i] as number;
      const previous = sorted[distinct - 1];
      if (previous !== undefined && prefix[previous] === prefix[at] && compareFull(previous, at) === 0)
        continue;
      sorted[distinct++] = at;
    }
    return new SortedSecretKeys(bytes, sorted.subarray(0, distinct));
  }

  /** From 0x-hex keys (tests and tools). */
  static fromHex(keys: readonly string[]): SortedSecretKeys {
    const collector = new SecretKeyCollector(keys.length);
    for (const key of keys) {
      const bytes = Buffer.from(key.replace(/^0x/i, ""), "hex");
      if (bytes.length !== SECRET_KEY_LENGTH) throw new RangeError("a secret key is 32 bytes of hex");
      collector.add(bytes);
      bytes.fill(0);
    }
    return collector.finish();
  }

  get count(): number {
    return this.#order.length;
  }

  /** Writes the lowercase hex of the `index`-th key (sorted) into `target` at `offset`: 64 bytes. */
  writeHex(index: number, target: Uint8Array, offset: number): void {
    writeHexDigits(
      this.#bytes,
      (this.#order[index] as number) * SECRET_KEY_LENGTH,
      SECRET_KEY_LENGTH,
      target,
      offset,
    );
  }

  /** The `index`-th key as 0x-hex (a string cannot be wiped: for tests). */
  hex(index: number): string {
    const text = Buffer.alloc(2 * SECRET_KEY_LENGTH);
    this.writeHex(index, text, 0);
    return `0x${text.toString("latin1")}`;
  }

  /** Zeroes the keys. */
  wipe(): void {
    this.#bytes.fill(0);
  }
}
