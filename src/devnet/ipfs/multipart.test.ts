import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { IpfsContentError } from "./errors.ts";
import { multipartBoundary, parseMultipart } from "./multipart.ts";

describe("multipartBoundary", () => {
  it("reads the boundary of multipart/form-data only", () => {
    assert.equal(multipartBoundary("multipart/form-data; boundary=abc"), "abc");
    assert.equal(multipartBoundary('multipart/form-data; boundary="a b"'), "a b");
    assert.equal(multipartBoundary("application/json"), undefined);
    assert.equal(multipartBoundary(undefined), undefined);
  });
});

describe("parseMultipart", () => {
  it("splits what fetch's FormData sends, binary content intact", async () => {
    const bytes = Uint8Array.from([0, 13, 10, 45, 45, 255]);
    const form = new FormData();
    form.append("file", new Blob([bytes]), "a%20b.bin");
    form.append("other", "plain value");
    const request = new Request("http://x/", { method: "POST", body: form });
    const boundary = multipartBoundary(request.headers.get("content-type") ?? undefined);
    assert.ok(boundary);
    const parts = parseMultipart(new Uint8Array(await request.arrayBuffer()), boundary);
    assert.equal(parts.length, 2);
    assert.equal(parts[0]?.fieldName, "file");
    assert.equal(parts[0]?.fileName, "a b.bin");
    assert.deepEqual(parts[0]?.data, bytes);
    assert.equal(parts[1]?.fieldName, "other");
    assert.equal(parts[1]?.fileName, undefined);
    assert.equal(new TextDecoder().decode(parts[1]?.data), "plain value");
  });

  it("rejects bodies without delimiters or a closing boundary", () => {
    const enc = (s: string) => new TextEncoder().encode(s);
    assert.throws(() => parseMultipart(enc("no parts"), "b"), IpfsContentError);
    assert.throws(() => parseMultipart(enc("--b\r\nx: y\r\n\r\ndata"), "b"), IpfsContentError);
    assert.deepEqual(parseMultipart(enc("--b--\r\n"), "b"), []);
  });
});
