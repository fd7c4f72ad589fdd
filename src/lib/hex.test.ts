import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { bytesEqual, parseHex, toHex, toPrefixedHex, writeHexDigits } from "./hex.ts";

describe("toHex / toPrefixedHex", () => {
  it("writes lower-case hex, with and without 0x", () => {
    const bytes = Uint8Array.of(0x00, 0xab, 0x0f, 0xff);
    assert.equal(toHex(bytes), "00ab0fff");
    assert.equal(toPrefixedHex(bytes), "0x00ab0fff");
    assert.equal(toHex(new Uint8Array(0)), "");
    assert.equal(toPrefixedHex(new Uint8Array(0)), "0x");
  });

  it("writes only the view's bytes of a subarray", () => {
    const buffer = Uint8Array.of(1, 2, 3, 4, 5);
    assert.equal(toHex(buffer.subarray(1, 3)), "0203");
  });
});

describe("parseHex", () => {
  it("parses hex with or without 0x, any case", () => {
    assert.deepEqual(parseHex("0x00abFF"), Uint8Array.of(0, 0xab, 0xff));
    assert.deepEqual(parseHex("00ABff"), Uint8Array.of(0, 0xab, 0xff));
    assert.deepEqual(parseHex("0x"), new Uint8Array(0));
    assert.deepEqual(parseHex(""), new Uint8Array(0));
  });

  it("returns a plain Uint8Array", () => {
    const parsed = parseHex("0x0102");
    assert.ok(parsed);
    assert.equal(Object.getPrototypeOf(parsed), Uint8Array.prototype);
  });

  it("checks the byte length when given", () => {
    assert.deepEqual(parseHex("0x0102", 2), Uint8Array.of(1, 2));
    assert.equal(parseHex("0x0102", 3), undefined);
    assert.equal(parseHex("0x010203", 2), undefined);
    assert.equal(parseHex("0x", 1), undefined);
  });

  it("rejects odd-length and non-hex text", () => {
    assert.equal(parseHex("0x123"), undefined);
    assert.equal(parseHex("0xzz"), undefined);
    assert.equal(parseHex("0x 12"), undefined);
    assert.equal(parseHex(" 0x12"), undefined);
    assert.equal(parseHex("0x12 "), undefined);
    assert.equal(parseHex("0xgg12", 2), undefined);
    assert.equal(parseHex("12zz", 2), undefined);
    assert.equal(parseHex("0x0x12"), undefined);
    assert.equal(parseHex("12g4"), undefined);
  });
});

describe("bytesEqual", () => {
  it("compares content and length", () => {
    assert.equal(bytesEqual(Uint8Array.of(1, 2), Uint8Array.of(1, 2)), true);
    assert.equal(bytesEqual(Uint8Array.of(1, 2), Uint8Array.of(1, 3)), false);
    assert.equal(bytesEqual(Uint8Array.of(1, 2), Uint8Array.of(1, 2, 0)), false);
    assert.equal(bytesEqual(new Uint8Array(0), new Uint8Array(0)), true);
  });
});

describe("writeHexDigits", () => {
  it("writes the same digits as Buffer's hex, in place, and returns the end", () => {
    const source = Uint8Array.from({ length: 256 }, (_, i) => i);
    const target = Buffer.alloc(2 + 512 + 1, 0x2e);
    assert.equal(writeHexDigits(source, 0, 256, target, 2), 514);
    assert.equal(target.toString("latin1", 2, 514), Buffer.from(source).toString("hex"));
    assert.equal(target.toString("latin1", 0, 2) + target.toString("latin1", 514), "...");
    assert.equal(writeHexDigits(source, 254, 2, target, 0), 4);
    assert.equal(target.toString("latin1", 0, 4), "feff");
  });
});
