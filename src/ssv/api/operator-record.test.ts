import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { parseSsvApiOperator, type SsvApiOperator } from "./operator-record.ts";

const page = JSON.parse(
  readFileSync(new URL("../../../test/vectors/ssv/operators-page.json", import.meta.url), "utf8"),
) as { operators: Array<Record<string, unknown>> };
const [verified, idle, privateOp] = page.operators as [
  Record<string, unknown>,
  Record<string, unknown>,
  Record<string, unknown>,
];

function parse(json: unknown): SsvApiOperator {
  const parsed = parseSsvApiOperator(json);
  assert.ok(parsed.ok, parsed.ok ? "" : parsed.reason);
  return parsed.operator;
}

describe("SSV API operator record", () => {
  it("reads a recorded record: fee string to bigint, is_active 0/1, performance, provider fields", () => {
    assert.deepEqual(parse(verified), {
      id: 3n,
      name: "Alpha Staking",
      fee: 382640000000n,
      publicKey: verified.public_key,
      owner: "0x1a2B3c4d5E6f708192a3B4c5D6E7F8091A2b3C4d",
      setupProvider: "AWS",
      location: "Frankfurt, Germany",
      eth1NodeClient: "Geth",
      eth2NodeClient: "Lighthouse",
      performance24h: 99.81,
      performance30d: 99.62,
      status: "Active",
      isActive: true,
      isPrivate: false,
      isDeleted: false,
      validatorsCount: 512,
      type: "verified_operator",
    });
  });

  it("leaves out empty and null fields, and takes an owner whose case is not a checksum", () => {
    const operator = parse(idle);
    assert.equal(operator.isActive, false);
    assert.equal(operator.owner, "0xabCDeF0123456789AbcdEf0123456789aBCDEF01");
    for (const key of ["location", "setupProvider", "eth1NodeClient", "eth2NodeClient"]) {
      assert.equal(key in operator, false, key);
    }
    assert.equal(operator.status, "No validators");
  });

  it("ignores fields it does not use and reads a private operator", () => {
    const operator = parse(privateOp);
    assert.equal(operator.isPrivate, true);
    assert.equal(operator.fee, 1_000_000_000_000n);
    assert.equal(operator.type, "dapp_node");
  });

  it("accepts the older forms: numeric fee and id as a string, boolean is_active, no performance", () => {
    const operator = parse({
      ...verified,
      id: "3",
      fee: 382640000000,
      is_active: true,
      performance: null,
      is_private: undefined,
    });
    assert.equal(operator.id, 3n);
    assert.equal(operator.fee, 382640000000n);
    assert.equal(operator.isActive, true);
    assert.equal("performance30d" in operator, false);
    assert.equal("isPrivate" in operator, false);
  });

  it("names the operator and the first wrong field", () => {
    const reason = (json: unknown) => {
      const parsed = parseSsvApiOperator(json);
      assert.equal(parsed.ok, false);
      return parsed.ok ? "" : parsed.reason;
    };
    assert.equal(reason({ ...verified, fee: "12.5" }), 'operator 3: field "fee" must be a decimal integer');
    assert.equal(
      reason({ ...verified, fee: 2 ** 60 }),
      'operator 3: field "fee" must be an integer (a decimal string above 2^53)',
    );
    assert.equal(
      reason({ ...verified, owner_address: "0x12" }),
      'operator 3: field "owner_address" must be an address',
    );
    assert.equal(
      reason({ ...verified, is_active: 2 }),
      'operator 3: field "is_active" must be 0, 1 or a boolean',
    );
    assert.match(reason({ ...verified, public_key: undefined }), /^operator 3: field "public_key" /);
    assert.match(reason({ ...verified, id: undefined }), /^an operator: field "id" /);
    assert.match(reason({ ...verified, id: 0 }), /^operator 0: field "id" must be a positive operator id$/);
    assert.match(reason({ ...verified, performance: { "30d": 101 } }), /field "performance.30d" /);
    assert.match(reason("x"), /^an operator: field "\(root\)" /);
  });
});
