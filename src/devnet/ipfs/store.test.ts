import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { base58btc } from "multiformats/bases/base58";
import { CID } from "multiformats/cid";
import * as raw from "multiformats/codecs/raw";
import { identity } from "multiformats/hashes/identity";
import { sha256 } from "multiformats/hashes/sha2";
import { parseCid } from "../../chain/ipfs-client.ts";
import { rawCid } from "./cid.ts";
import { IpfsContentError } from "./errors.ts";
import { createIpfsStore, MAX_RAW_BLOCK_BYTES } from "./store.ts";

const text = (s: string) => new TextEncoder().encode(s);

// Published vectors: `ipfs add --cid-version 1 --raw-leaves` of "hello world" (no newline) and of
// an empty file, as pinned by Kubo's and other IPFS implementations' own tests.
const HELLO_WORLD_CID = "bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e";
const EMPTY_CID = "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku";

describe("rawCid", () => {
  it("matches the published CIDv1 raw vectors", async () => {
    assert.equal(await rawCid(text("hello world")), HELLO_WORLD_CID);
    assert.equal(await rawCid(new Uint8Array(0)), EMPTY_CID);
  });

  it("equals CID.create(1, raw, sha256) from multiformats", async () => {
    for (const bytes of [
      text("hello world\n"),
      text('{"a":1}'),
      Uint8Array.from({ length: 5000 }, (_, i) => i),
    ]) {
      const expected = CID.create(1, raw.code, await sha256.digest(bytes)).toString();
      assert.equal(await rawCid(bytes), expected);
      assert.match(expected, /^bafkrei[a-z2-7]{52}$/);
    }
  });
});

describe("parseCid", () => {
  it("parses base32, base58btc and CIDv0; rejects junk", () => {
    assert.equal(parseCid(HELLO_WORLD_CID)?.toString(), HELLO_WORLD_CID);
    const cid = CID.parse(HELLO_WORLD_CID);
    assert.equal(parseCid(cid.toString(base58btc))?.toString(), HELLO_WORLD_CID);
    assert.equal(parseCid("QmWATWQ7fVPP2EFGu71UkfnqhYXDYH566qy47CnJDgvs8u")?.version, 0);
    for (const junk of ["", "hello", "bafkreinotacid", "0x1234", "Qm123"])
      assert.equal(parseCid(junk), undefined);
  });
});

describe("createIpfsStore", () => {
  it("puts bytes verbatim and JSON as its UTF-8 text", async () => {
    const store = createIpfsStore();
    assert.equal(await store.put(text("hello world")), HELLO_WORLD_CID);
    const value = { vault: "0xabc", validators: [1, 2] };
    const cid = await store.put(value);
    assert.equal(cid, await rawCid(text(JSON.stringify(value))));
    assert.deepEqual(store.get(cid), text(JSON.stringify(value)));
    assert.equal(store.size, 2);
    // A string is JSON: bytes are the way to store text verbatim.
    assert.equal(await store.put("hi"), await rawCid(text('"hi"')));
  });

  it("finds a block by any spelling of its CID and copies on the way in and out", async () => {
    const store = createIpfsStore();
    const bytes = text("hello world");
    const cid = await store.put(bytes);
    bytes[0] = 0;
    const base58 = CID.parse(cid).toString(base58btc);
    assert.deepEqual(store.get(base58), text("hello world"));
    const out = store.get(cid);
    assert.ok(out);
    out[0] = 0;
    assert.deepEqual(store.get(cid), text("hello world"));
  });

  it("returns undefined for unknown, non-raw and malformed CIDs; serves identity CIDs inline", async () => {
    const store = createIpfsStore();
    await store.put(text("hello world"));
    assert.equal(store.get(EMPTY_CID), undefined);
    assert.equal(store.get("QmWATWQ7fVPP2EFGu71UkfnqhYXDYH566qy47CnJDgvs8u"), undefined);
    assert.equal(store.get("not a cid"), undefined);
    assert.equal(store.has(HELLO_WORLD_CID), true);
    const inline = CID.createV1(raw.code, identity.digest(text("tiny"))).toString();
    assert.deepEqual(store.get(inline), text("tiny"));
  });

  it("refuses files that would not be a single raw block", async () => {
    const store = createIpfsStore();
    await assert.rejects(store.put(new Uint8Array(MAX_RAW_BLOCK_BYTES + 1)), IpfsContentError);
    await assert.rejects(store.put(undefined), IpfsContentError);
    assert.match(await store.put(new Uint8Array(MAX_RAW_BLOCK_BYTES)), /^bafkrei/);
  });
});
