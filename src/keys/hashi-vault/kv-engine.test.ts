import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { kvListPath, kvReadPath, kvSecretData } from "./kv-engine.ts";

describe("KV engine paths", () => {
  it("KV v2 reads data/ and lists metadata/, below the base", () => {
    const v2 = { mount: "secret", base: "", version: 2 as const };
    assert.equal(kvReadPath(v2, "validators/a"), "secret/data/validators/a");
    assert.equal(kvListPath(v2, "validators"), "secret/metadata/validators");
    const nested = { mount: "kv", base: "team/a", version: 2 as const };
    assert.equal(kvReadPath(nested, "keys"), "kv/data/team/a/keys");
    assert.equal(kvListPath(nested, "p"), "kv/metadata/team/a/p");
    assert.deepEqual(kvSecretData(v2, { data: { a: "b" }, metadata: {} }), { a: "b" });
  });

  it("KV v1 reads and lists the path itself", () => {
    const v1 = { mount: "kv", base: "", version: 1 as const };
    assert.equal(kvReadPath(v1, "validators/a"), "kv/validators/a");
    assert.equal(kvListPath(v1, "validators"), "kv/validators");
    assert.deepEqual(kvSecretData(v1, { a: "b" }), { a: "b" });
  });
});
