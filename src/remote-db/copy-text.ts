import { writeHexDigits } from "../lib/hex.ts";

const CHUNK_BYTES = 64 * 1024;

/**
 * Builds PostgreSQL COPY text (tab-separated columns, one line per row) straight into buffers of
 * about 64 KiB: bulk rows cost no string per value and no string the size of the upload, so an
 * upload's memory is its source data plus the chunks in flight. `reserve` before each group of
 * writes, and hand out the chunk it returns; `end` returns the last one.
 */
export class CopyTextWriter {
  readonly #chunkBytes: number;
  #chunk: Buffer;
  #at = 0;

  constructor(chunkBytes = CHUNK_BYTES) {
    this.#chunkBytes = chunkBytes;
    this.#chunk = Buffer.allocUnsafe(chunkBytes);
  }

  /** Makes room for `bytes` more; returns the filled chunk when a new one had to be started. */
  reserve(bytes: number): Buffer | undefined {
    if (this.#at + bytes <= this.#chunk.length) return undefined;
    const full = this.#at > 0 ? this.#chunk.subarray(0, this.#at) : undefined;
    this.#chunk = Buffer.allocUnsafe(Math.max(this.#chunkBytes, bytes));
    this.#at = 0;
    return full;
  }

  /** ASCII text that needs no COPY escaping (punctuation, names, 0x-hex). */
  ascii(text: string): this {
    this.#at += this.#chunk.write(text, this.#at, "latin1");
    return this;
  }

  /** "0x" and the hex of `source[from, from + length)`. */
  prefixedHex(source: Uint8Array, from: number, length: number): this {
    this.ascii("0x");
    this.#at = writeHexDigits(source, from, length, this.#chunk, this.#at);
    return this;
  }

  /** What is left; undefined when nothing is. */
  end(): Buffer | undefined {
    return this.#at > 0 ? this.#chunk.subarray(0, this.#at) : undefined;
  }
}

const COPY_SPECIAL = /[\\\t\n\r]/g;
const COPY_ESCAPES: Record<string, string> = { "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" };

/** A text value as one COPY column, escaped, in pieces of about 64 KiB of UTF-8. */
export function* copyTextValue(text: string, pieceChars = CHUNK_BYTES / 4): Generator<Buffer> {
  for (let start = 0; start < text.length; ) {
    let end = Math.min(start + pieceChars, text.length);
    // Never split a surrogate pair.
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end--;
    yield Buffer.from(
      text.slice(start, end).replace(COPY_SPECIAL, (c) => COPY_ESCAPES[c] as string),
      "utf8",
    );
    start = end;
  }
}
