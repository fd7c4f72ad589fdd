import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { CID } from "multiformats/cid";
import * as raw from "multiformats/codecs/raw";
import { identity } from "multiformats/hashes/identity";
import { sha256 } from "multiformats/hashes/sha2";
import { type ScriptedServer, startScriptedServer, unusedUrl } from "../../test/support/scripted-server.ts";
import {
  fetchIpfsBytes,
  fetchIpfsJson,
  InvalidCidError,
  IpfsContentError,
  IpfsFetchError,
  parseCid,
} from "./ipfs-client.ts";

const encode = (text: string) => new TextEncoder().encode(text);
const rawCid = async (bytes: Uint8Array) => CID.createV1(raw.code, await sha256.digest(bytes)).toString();

const CONFIG = encode('{"oracles":[],"validators_approval_batch_limit":10}');
const NOT_JSON = encode("plain text");
/** A CIDv0 (dag-pb): the content cannot be checked against it. */
const CID_V0 = "QmawUdo17Fvo7xa6ARCUSMV1eoVwPtVuzx8L8Crj2xozWm";

describe("fetchIpfsJson", () => {
  let configCid: string;
  let notJsonCid: string;
  let honest: ScriptedServer;
  let liar: ScriptedServer;
  let missing: ScriptedServer;

  before(async () => {
    configCid = await rawCid(CONFIG);
    notJsonCid = await rawCid(NOT_JSON);
    const files = new Map<string, Uint8Array>([
      [`/ipfs/${configCid}`, CONFIG],
      [`/ipfs/${notJsonCid}`, NOT_JSON],
      [`/ipfs/${CID_V0}`, encode('{"v0":true}')],
    ]);
    honest = await startScriptedServer((request) => {
      const file = files.get(request.url);
      return file ? { body: file } : { status: 404, body: "not found" };
    });
    liar = await startScriptedServer(() => ({ body: encode('{"oracles":["evil"]}') }));
    missing = await startScriptedServer(() => ({ status: 404, body: "not found" }));
  });
  after(async () => {
    await Promise.all([honest, liar, missing].map((s) => s?.close()));
  });

  it("reads a file from the first gateway that has it", async () => {
    const json = await fetchIpfsJson(configCid, { gateways: [missing.url, await unusedUrl(), honest.url] });
    assert.deepEqual(json, { oracles: [], validators_approval_batch_limit: 10 });
  });

  it("skips a gateway whose content does not hash to the CID", async () => {
    const warnings: string[] = [];
    const json = await fetchIpfsJson(configCid, {
      gateways: [liar.url, honest.url],
      logger: { warn: (_m, _c, error) => warnings.push(String(error)) },
    });
    assert.deepEqual(json, { oracles: [], validators_approval_batch_limit: 10 });
    assert.match(warnings[0] ?? "", /content of another hash/);
  });

  it("trusts the gateway for a CID it cannot check (CIDv0), and moves on when that content is not JSON", async () => {
    assert.deepEqual(await fetchIpfsJson(CID_V0, { gateways: [honest.url] }), { v0: true });
    const text = await startScriptedServer(() => ({ body: "not json" }));
    try {
      assert.deepEqual(await fetchIpfsJson(CID_V0, { gateways: [text.url, honest.url] }), { v0: true });
    } finally {
      await text.close();
    }
  });

  it("a verified file that is not JSON is an IpfsContentError, without asking other gateways", async () => {
    const before = missing.requests.length;
    await assert.rejects(
      fetchIpfsJson(notJsonCid, { gateways: [honest.url, missing.url] }),
      IpfsContentError,
    );
    assert.equal(missing.requests.length, before);
    assert.deepEqual(await fetchIpfsBytes(notJsonCid, { gateways: [honest.url] }), NOT_JSON);
  });

  it("when every gateway fails, one retryable IpfsFetchError lists each", async () => {
    await assert.rejects(
      fetchIpfsJson(configCid, { gateways: [missing.url, liar.url] }),
      (error: unknown) => {
        assert.ok(error instanceof IpfsFetchError);
        assert.equal(error.retryable, true);
        assert.equal(error.failures.length, 2);
        assert.match(
          error.message,
          new RegExp(`cannot fetch ${configCid} from IPFS \\(.*HTTP 404.*another hash\\)`),
        );
        return true;
      },
    );
  });

  it("names what it fetched and each gateway tried with its reason, in one line", async () => {
    const dead = await unusedUrl("/KEY");
    const silent = await startScriptedServer(() => ({ delayMs: 500, body: "late" }));
    const text = await startScriptedServer(() => ({ body: "not json" }));
    try {
      await assert.rejects(
        fetchIpfsJson(CID_V0, {
          what: "the oracle config",
          gateways: [missing.url, dead, silent.url, text.url.replace("http://", "http://u:p@")],
          timeoutMs: 100,
        }),
        (error: unknown) => {
          assert.ok(error instanceof IpfsFetchError);
          assert.equal(error.shortMessage, `cannot fetch the oracle config ${CID_V0} from IPFS`);
          assert.equal(
            error.message,
            `cannot fetch the oracle config ${CID_V0} from IPFS (` +
              `${missing.url} answered HTTP 404: not found; ` +
              `${dead.replace("/KEY", "/***")} refused the connection; ` +
              `${silent.url} timed out after 100 ms; ` +
              `${text.url.replace("http://", "http://***@")} answered ${CID_V0} with a file that is not JSON)`,
          );
          return true;
        },
      );
    } finally {
      await Promise.all([silent.close(), text.close()]);
    }
  });

  it("refuses text that is not a CID, and answers an identity CID from the CID itself", async () => {
    await assert.rejects(fetchIpfsJson("not-a-cid", { gateways: [honest.url] }), InvalidCidError);
    const inline = CID.createV1(raw.code, identity.digest(encode('{"inline":1}'))).toString();
    assert.deepEqual(await fetchIpfsJson(inline, { gateways: [await unusedUrl()] }), { inline: 1 });
  });

  it("parseCid reads CIDv0 and CIDv1 in any multibase", async () => {
    assert.equal(parseCid(CID_V0)?.version, 0);
    const cid = CID.parse(configCid);
    assert.equal(parseCid(cid.toString())?.equals(cid), true);
    const { base58btc } = await import("multiformats/bases/base58");
    assert.equal(parseCid(cid.toString(base58btc))?.equals(cid), true);
    assert.equal(parseCid("bafy-nope"), undefined);
  });
});
