import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { toPythonJson } from "./python-json.ts";

describe("toPythonJson", () => {
  it("writes nested objects and arrays with Python's ', ' and ': ' separators", () => {
    // json.dumps({"a": [1, 2, {"b": None, "c": True}], "d": {}, "e": []})
    assert.equal(
      toPythonJson({ a: [1, 2, { b: null, c: true }], d: {}, e: [] }),
      '{"a": [1, 2, {"b": null, "c": true}], "d": {}, "e": []}',
    );
  });

  it("keeps the object's insertion order", () => {
    assert.equal(toPythonJson({ z: 1, a: 2, m: 3 }), '{"z": 1, "a": 2, "m": 3}');
  });

  it("writes scalars like Python", () => {
    assert.equal(toPythonJson(null), "null");
    assert.equal(toPythonJson(true), "true");
    assert.equal(toPythonJson(false), "false");
    assert.equal(toPythonJson(0), "0");
    assert.equal(toPythonJson(-17), "-17");
    assert.equal(toPythonJson(32000000000), "32000000000");
    assert.equal(toPythonJson(1.5), "1.5");
    assert.equal(toPythonJson("text"), '"text"');
    assert.equal(toPythonJson([]), "[]");
    assert.equal(toPythonJson({}), "{}");
  });

  it("writes a bigint as a plain integer, beyond the safe range too", () => {
    assert.equal(toPythonJson(30_000_000_000_000_000n), "30000000000000000");
    assert.equal(toPythonJson({ v: 2n ** 70n }), '{"v": 1180591620717411303424}');
  });

  it("escapes non-ASCII as \\uXXXX, in values and keys", () => {
    // json.dumps({"é": "é"}) == '{"\\u00e9": "\\u00e9"}'
    assert.equal(toPythonJson({ é: "é" }), '{"\\u00e9": "\\u00e9"}');
    assert.equal(toPythonJson("日本"), '"\\u65e5\\u672c"');
  });

  it("escapes an astral character as a surrogate pair like Python", () => {
    // json.dumps("😀") == '"\\ud83d\\ude00"'
    assert.equal(toPythonJson("😀"), '"\\ud83d\\ude00"');
  });

  it("escapes DEL, control characters, quotes and backslashes like Python", () => {
    // json.dumps('\x7f\x01\n\t"\\/') == '"\\u007f\\u0001\\n\\t\\"\\\\/"'
    assert.equal(toPythonJson('\x7f\x01\n\t"\\/'), '"\\u007f\\u0001\\n\\t\\"\\\\/"');
  });

  it("drops undefined object fields", () => {
    assert.equal(toPythonJson({ a: 1, b: undefined, c: 3 }), '{"a": 1, "c": 3}');
    assert.equal(toPythonJson({ only: undefined }), "{}");
  });

  it("throws on non-finite numbers", () => {
    assert.throws(() => toPythonJson(Number.NaN), TypeError);
    assert.throws(() => toPythonJson(Number.POSITIVE_INFINITY), TypeError);
    assert.throws(() => toPythonJson({ nested: [Number.NEGATIVE_INFINITY] }), TypeError);
  });

  it("throws on values JSON cannot hold", () => {
    assert.throws(() => toPythonJson(() => 1), TypeError);
    assert.throws(() => toPythonJson(Symbol("s")), TypeError);
  });

  it("produces text that JSON.parse reads back to the same value", () => {
    const value = { name: "café ☕ 😀", list: [1, "two", null, false], nested: { deep: { x: -0.25 } } };
    assert.deepEqual(JSON.parse(toPythonJson(value)), value);
  });
});
