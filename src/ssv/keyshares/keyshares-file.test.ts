import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { SecretKey } from "@chainsafe/blst";
import { ssvKeysVectorOperators } from "../../../test/support/ssv-operator.ts";
import { KeysharesFileError } from "./errors.ts";
import {
  formatKeysharesJson,
  KEYSHARES_VERSION,
  keysharesItem,
  parseKeysharesJson,
  readKeysharesFile,
  writeKeysharesFile,
} from "./keyshares-file.ts";
import { buildSharesDataBatch } from "./shares-data.ts";

const OWNER = "0x81592c3de184a3e2c0dcb5a261bc107bfa91f494";
const doubles = await ssvKeysVectorOperators([123n, 456n, 777n, 789n]);
const operatorKeys = doubles.map((d) => d.registryPublicKey);
const keys = [4, 5].map((b) => SecretKey.fromKeygen(new Uint8Array(32).fill(b)));
const built = buildSharesDataBatch({
  secretKeys: keys,
  operators: doubles.map((d) => ({ id: d.id, publicKey: d.registryPublicKey })),
  owner: OWNER,
  nonce: 3,
});
const items = built.map((b, k) => keysharesItem(b, OWNER, 3 + k, operatorKeys));
const text = formatKeysharesJson(items, new Date("2025-01-02T03:04:05.000Z"));

type Json = { shares: { data: Record<string, unknown>; payload: Record<string, unknown> }[] } & Record<
  string,
  unknown
>;
function edited(edit: (json: Json) => void): string {
  const json = JSON.parse(text) as Json;
  edit(json);
  return JSON.stringify(json);
}
function rejects(source: string, pattern: RegExp): void {
  assert.throws(
    () => parseKeysharesJson(source, "ks.json"),
    (error) =>
      error instanceof KeysharesFileError &&
      error.message.startsWith("ks.json") &&
      pattern.test(error.message),
  );
}

describe("keyshares.json", () => {
  it("writes ssv-keys' layout: version v1.1.0, numbers for nonce and ids, 0x hex, EIP-55 owner", () => {
    const json = JSON.parse(text);
    assert.equal(json.version, KEYSHARES_VERSION);
    assert.equal(json.createdAt, "2025-01-02T03:04:05.000Z");
    const [first] = json.shares;
    assert.deepEqual(Object.keys(first.data), ["ownerNonce", "ownerAddress", "publicKey", "operators"]);
    assert.equal(first.data.ownerNonce, 3);
    assert.equal(first.data.ownerAddress, "0x81592c3DE184A3E2c0DCB5a261BC107Bfa91f494");
    assert.deepEqual(first.data.operators[0], { id: 123, operatorKey: operatorKeys[0] });
    assert.deepEqual(first.payload.operatorIds, [123, 456, 777, 789]);
    assert.match(first.payload.publicKey, /^0x[0-9a-f]{96}$/);
    assert.equal(first.payload.sharesData.length, 2 + 2 * 1312);
    assert.equal(json.shares[1].data.ownerNonce, 4);
  });

  it("reads back what it writes, through an atomic file", async () => {
    const dir = await mkdtemp(join(tmpdir(), "keyshares-"));
    after(() => rm(dir, { recursive: true, force: true }));
    const path = join(dir, "keyshares.json");
    await writeKeysharesFile(path, items, new Date("2025-01-02T03:04:05.000Z"));
    assert.equal(await readFile(path, "utf8"), text);
    const file = await readKeysharesFile(path);
    assert.equal(file.version, "v1.1.0");
    assert.deepEqual(file.items, items);
    await assert.rejects(readKeysharesFile(join(dir, "missing.json")), /cannot read keyshares file .*ENOENT/);
  });

  it("reads v1.2.x files, string ids and operators listed out of order", () => {
    const file = parseKeysharesJson(
      edited((json) => {
        json.version = "v1.2.0";
        const data = json.shares[0]?.data as { operators: { id: unknown }[] };
        data.operators.reverse();
        for (const operator of data.operators) operator.id = String(operator.id);
      }),
      "ks.json",
    );
    assert.deepEqual(file.items[0]?.operators, items[0]?.operators);
  });

  it("names the file and the field of what is wrong", () => {
    rejects("{", /not valid JSON/);
    rejects(
      edited((json) => {
        json.version = "v1.0.8";
      }),
      /field "version" must be ssv-keys v1\.1\.x or v1\.2\.x/,
    );
    rejects(
      edited((json) => {
        json.shares = [];
      }),
      /field "shares" has no validators/,
    );
    rejects(
      edited((json) => {
        (json.shares[0] as Json["shares"][0]).data.ownerNonce = -1;
      }),
      /"shares\.0\.data\.ownerNonce"/,
    );
    rejects(
      edited((json) => {
        (json.shares[0] as Json["shares"][0]).data.ownerAddress = "0x12";
      }),
      /"shares\.0\.data\.ownerAddress" is not an address/,
    );
    rejects(
      edited((json) => {
        (json.shares[1] as Json["shares"][0]).payload.publicKey =
          items[0] && `0x${Buffer.from(items[0].publicKey).toString("hex")}`;
      }),
      /shares\.1\.payload\.publicKey: differs from data\.publicKey/,
    );
    rejects(
      edited((json) => {
        (json.shares[0] as Json["shares"][0]).payload.operatorIds = [123, 456, 789, 777];
      }),
      /shares\.0\.payload\.operatorIds: \[123,456,789,777\] must be/,
    );
    rejects(
      edited((json) => {
        ((json.shares[0] as Json["shares"][0]).data.operators as unknown[]).pop();
      }),
      /shares\.0\.data\.operators: an SSV cluster has 4, 7, 10, 13 operators, not 3/,
    );
    rejects(
      edited((json) => {
        ((json.shares[0] as Json["shares"][0]).data.operators as { operatorKey: string }[])[2] = {
          id: 777,
          operatorKey: "bm90IGEga2V5",
        } as never;
      }),
      /shares\.0\.data\.operators\.2\.operatorKey: SSV operator 777: its public key/,
    );
    rejects(
      edited((json) => {
        const p = (json.shares[0] as Json["shares"][0]).payload;
        p.sharesData = (p.sharesData as string).slice(0, -2);
      }),
      /shares\.0\.payload\.sharesData: must be 1312 bytes for 4 operators, not 1311/,
    );
    rejects(
      edited((json) => {
        (json.shares[0] as Json["shares"][0]).data.ownerNonce = 4;
      }),
      /shares\.0\.payload\.sharesData: has no valid ownership signature for owner 0x81592c3DE184A3E2c0DCB5a261BC107Bfa91f494 and nonce 4/,
    );
  });
});
