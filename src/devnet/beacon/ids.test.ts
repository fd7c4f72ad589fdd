import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { BeaconApiError } from "./errors.ts";
import { parseValidatorId, resolveSlotId, rootOf } from "./ids.ts";

const NAMED = { head: 20, finalized: 8, justified: 12 };

describe("resolveSlotId", () => {
  it("resolves named ids, slots and the chain's own roots", () => {
    assert.equal(resolveSlotId("head", "state", NAMED), 20);
    assert.equal(resolveSlotId("genesis", "state", NAMED), 0);
    assert.equal(resolveSlotId("finalized", "block", NAMED), 8);
    assert.equal(resolveSlotId("justified", "state", NAMED), 12);
    assert.equal(resolveSlotId("17", "state", NAMED), 17);
    assert.equal(resolveSlotId(rootOf("state", 5), "state", NAMED), 5);
    assert.equal(resolveSlotId(rootOf("block", 5).toUpperCase().replace("0X", "0x"), "block", NAMED), 5);
  });

  it("answers 400 for malformed ids and 404 for unknown states", () => {
    const status = (id: string, kind: "state" | "block") => {
      try {
        resolveSlotId(id, kind, NAMED);
      } catch (error) {
        assert.ok(error instanceof BeaconApiError);
        return error.statusCode;
      }
      return 200;
    };
    assert.equal(status("current", "state"), 400);
    assert.equal(status("-1", "state"), 400);
    assert.equal(status("0x1234", "state"), 400);
    assert.equal(status("21", "state"), 404);
    assert.equal(status("99999999999999999999", "state"), 404);
    assert.equal(status(`0x${"ab".repeat(32)}`, "state"), 404);
    // A block root is not a state root, and roots after the head do not exist yet.
    assert.equal(status(rootOf("block", 5), "state"), 404);
    assert.equal(status(rootOf("state", 21), "state"), 404);
  });

  it("makes distinct roots per slot and kind", () => {
    assert.notEqual(rootOf("block", 1), rootOf("block", 2));
    assert.notEqual(rootOf("block", 1), rootOf("state", 1));
    assert.match(rootOf("state", 2 ** 40), /^0x[0-9a-f]{64}$/);
  });
});

describe("parseValidatorId", () => {
  it("takes decimal indexes and 0x 48-byte public keys", () => {
    assert.deepEqual(parseValidatorId("12"), { index: 12 });
    assert.deepEqual(parseValidatorId(`0x${"AB".repeat(48)}`), { pubkey: `0x${"ab".repeat(48)}` });
    for (const bad of ["", "-1", "1.5", "0x12", "ab".repeat(48), "head"]) {
      assert.throws(() => parseValidatorId(bad), BeaconApiError, bad);
    }
  });
});
