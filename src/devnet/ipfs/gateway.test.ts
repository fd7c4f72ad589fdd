import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { CID } from "multiformats/cid";
import * as raw from "multiformats/codecs/raw";
import { sha256 } from "multiformats/hashes/sha2";
import { type IpfsGateway, startIpfsGateway } from "./gateway.ts";
import { createIpfsStore, type IpfsStore } from "./store.ts";

const HELLO_WORLD_CID = "bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e";
const text = (s: string) => new TextEncoder().encode(s);

function addForm(files: Array<[Uint8Array, string]>): FormData {
  const form = new FormData();
  for (const [bytes, name] of files) form.append("file", new Blob([bytes]), name);
  return form;
}

describe("IPFS gateway", () => {
  let store: IpfsStore;
  let gateway: IpfsGateway;
  before(async () => {
    store = createIpfsStore();
    gateway = await startIpfsGateway({ store, slowMs: 200 });
  });
  after(async () => gateway.close());

  it("binds 127.0.0.1 only, and refuses other hosts", async () => {
    assert.match(gateway.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    await assert.rejects(startIpfsGateway({ store, host: "0.0.0.0" }), /loopback only/);
  });

  it("adds a multipart file like Kubo with cid-version=1 and serves it back", async () => {
    const bytes = text('{"hello":"world"}');
    const response = await fetch(`${gateway.url}/api/v0/add?cid-version=1&pin=true`, {
      method: "POST",
      body: addForm([[bytes, "deposit-data.json"]]),
    });
    assert.equal(response.status, 200);
    const expected = CID.create(1, raw.code, await sha256.digest(bytes)).toString();
    assert.equal(
      await response.text(),
      `${JSON.stringify({ Name: "deposit-data.json", Hash: expected, Size: String(bytes.length) })}\n`,
    );

    const got = await fetch(`${gateway.url}/ipfs/${expected}`);
    assert.equal(got.status, 200);
    assert.equal(got.headers.get("content-type"), "application/json");
    assert.equal(got.headers.get("etag"), `"${expected}"`);
    assert.equal(got.headers.get("x-ipfs-path"), `/ipfs/${expected}`);
    assert.deepEqual(new Uint8Array(await got.arrayBuffer()), bytes);
  });

  it("answers one NDJSON line per file and honours only-hash", async () => {
    const response = await fetch(`${gateway.url}/api/v0/add?cid-version=1&raw-leaves=true&only-hash=true`, {
      method: "POST",
      body: addForm([
        [text("hello world"), "a.txt"],
        [text("other"), "b.txt"],
      ]),
    });
    const lines = (await response.text())
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { Hash: string });
    assert.equal(lines.length, 2);
    assert.equal(lines[0]?.Hash, HELLO_WORLD_CID);
    assert.equal(store.has(HELLO_WORLD_CID), false);
  });

  it("accepts a raw body as a devnet convenience", async () => {
    const response = await fetch(`${gateway.url}/api/v0/add?cid-version=1`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: '{"a": 1}',
    });
    const added = (await response.json()) as { Hash: string; Size: string; Name: string };
    assert.equal(added.Size, "8");
    assert.equal(added.Name, added.Hash);
    assert.equal(new TextDecoder().decode(store.get(added.Hash)), '{"a": 1}');
  });

  it("refuses requests Kubo would answer with another kind of CID", async () => {
    const cases = [
      "",
      "?cid-version=0",
      "?cid-version=1&raw-leaves=false",
      "?cid-version=1&hash=blake2b-256",
      "?cid-version=1&inline=true",
      "?cid-version=1&wrap-with-directory=true",
      "?cid-version=1&chunker=rabin",
    ];
    for (const query of cases) {
      const response = await fetch(`${gateway.url}/api/v0/add${query}`, {
        method: "POST",
        body: addForm([[text("x"), "x"]]),
      });
      assert.equal(response.status, 400, query);
      assert.deepEqual(Object.keys((await response.json()) as object), ["Message", "Code", "Type"]);
    }
    const big = new Uint8Array(262_145);
    const tooBig = await fetch(`${gateway.url}/api/v0/add?cid-version=1`, {
      method: "POST",
      body: addForm([[big, "big"]]),
    });
    assert.equal(tooBig.status, 400);
    const chunked = await fetch(`${gateway.url}/api/v0/add?cid-version=1&chunker=size-1048576`, {
      method: "POST",
      body: addForm([[big, "big"]]),
    });
    assert.equal(chunked.status, 200);
    assert.equal((await fetch(`${gateway.url}/api/v0/add?cid-version=1`)).status, 405);
  });

  it("answers 400 for a malformed CID, 404 for an unknown one, raw blocks on request", async () => {
    await store.put(text("hello world"));
    assert.equal((await fetch(`${gateway.url}/ipfs/not-a-cid`)).status, 400);
    const unknown = CID.create(1, raw.code, await sha256.digest(text("unknown"))).toString();
    assert.equal((await fetch(`${gateway.url}/ipfs/${unknown}`)).status, 404);
    const plain = await fetch(`${gateway.url}/ipfs/${HELLO_WORLD_CID}`);
    assert.equal(plain.headers.get("content-type"), "text/plain; charset=utf-8");
    assert.equal(await plain.text(), "hello world");
    const block = await fetch(`${gateway.url}/ipfs/${HELLO_WORLD_CID}?format=raw`);
    assert.equal(block.headers.get("content-type"), "application/vnd.ipld.raw");
    const head = await fetch(`${gateway.url}/ipfs/${HELLO_WORLD_CID}`, { method: "HEAD" });
    assert.equal(head.status, 200);
    const cached = await fetch(`${gateway.url}/ipfs/${HELLO_WORLD_CID}`, {
      headers: { "if-none-match": `"${HELLO_WORLD_CID}"` },
    });
    assert.equal(cached.status, 304);
  });

  it("injects faults per request until cleared", async () => {
    await store.put(text("hello world"));
    gateway.setFault("down");
    assert.equal((await fetch(`${gateway.url}/ipfs/${HELLO_WORLD_CID}`)).status, 503);
    gateway.setFault("refuse");
    await assert.rejects(fetch(`${gateway.url}/ipfs/${HELLO_WORLD_CID}`), TypeError);
    gateway.setFault("slow");
    const started = performance.now();
    assert.equal((await fetch(`${gateway.url}/ipfs/${HELLO_WORLD_CID}`)).status, 200);
    assert.ok(performance.now() - started >= 190);
    gateway.setFault(null);
    assert.equal((await fetch(`${gateway.url}/ipfs/${HELLO_WORLD_CID}`)).status, 200);
  });

  it("closes when its signal aborts", async () => {
    const controller = new AbortController();
    const other = await startIpfsGateway({ store, signal: controller.signal });
    assert.equal((await fetch(`${other.url}/ipfs/${HELLO_WORLD_CID}`)).status, 200);
    controller.abort();
    await new Promise((resolve) => setTimeout(resolve, 50));
    await assert.rejects(fetch(`${other.url}/ipfs/${HELLO_WORLD_CID}`), TypeError);
  });
});
