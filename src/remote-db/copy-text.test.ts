import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CopyTextWriter, copyTextValue } from "./copy-text.ts";

describe("CopyTextWriter", () => {
  it("hands out full chunks at reserve and keeps every byte in order", () => {
    const writer = new CopyTextWriter(16);
    const chunks: Buffer[] = [];
    for (let i = 0; i < 10; i++) {
      const full = writer.reserve(7);
      if (full) chunks.push(full);
      writer
        .ascii("a\t")
        .prefixedHex(Uint8Array.of(0, i, 0xff), 1, 1)
        .ascii("\n");
    }
    const last = writer.end();
    if (last) chunks.push(last);
    assert.ok(chunks.length > 1);
    assert.ok(chunks.every((c) => c.length <= 16));
    const expected = Array.from({ length: 10 }, (_, i) => `a\t0x0${i}\n`).join("");
    assert.equal(Buffer.concat(chunks).toString("latin1"), expected);
  });

  it("grows a chunk for a group larger than the chunk size", () => {
    const writer = new CopyTextWriter(4);
    assert.equal(writer.reserve(10), undefined);
    writer.ascii("0123456789");
    assert.equal(writer.end()?.toString("latin1"), "0123456789");
  });

  it("has nothing to end with when nothing was written", () => {
    assert.equal(new CopyTextWriter().end(), undefined);
  });
});

describe("copyTextValue", () => {
  const joined = (text: string, piece?: number) =>
    Buffer.concat([...copyTextValue(text, piece)]).toString("utf8");

  it("escapes what COPY's text format reads specially", () => {
    assert.equal(joined('{"a": "b\\\\c"}\tx\ny\r'), '{"a": "b\\\\\\\\c"}\\tx\\ny\\r');
  });

  it("cuts long text into pieces without splitting a surrogate pair", () => {
    const text = `ab\u{1f511}cd`.repeat(5);
    const pieces = [...copyTextValue(text, 3)];
    assert.ok(pieces.length > 5);
    assert.equal(Buffer.concat(pieces).toString("utf8"), text);
    for (const piece of pieces) assert.ok(!piece.toString("utf8").includes("\ufffd"));
  });

  it("gives nothing for empty text", () => {
    assert.deepEqual([...copyTextValue("")], []);
  });
});
