import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { describe, it } from "node:test";
import { bytesToHex, getAddress } from "viem";
import { addressValue, parseAddress } from "./address.ts";
import { UserInputError } from "./errors.ts";

// EIP-55 test vector.
const CHECKSUMMED = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed";

function assertUserError(fn: () => unknown, ...fragments: string[]): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof UserInputError, `expected a UserInputError, got ${String(error)}`);
    for (const fragment of fragments) assert.match(error.message, new RegExp(escapeRegExp(fragment)));
    return true;
  });
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

describe("parseAddress", () => {
  it("accepts an all-lower-case address and returns it checksummed", () => {
    assert.equal(parseAddress(CHECKSUMMED.toLowerCase(), "--vault"), CHECKSUMMED);
  });

  it("accepts an all-upper-case address and returns it checksummed", () => {
    assert.equal(parseAddress(`0x${CHECKSUMMED.slice(2).toUpperCase()}`, "--vault"), CHECKSUMMED);
  });

  it("accepts a valid EIP-55 mixed-case address", () => {
    assert.equal(parseAddress(CHECKSUMMED, "--vault"), CHECKSUMMED);
  });

  it("trims surrounding white space", () => {
    assert.equal(parseAddress(`  ${CHECKSUMMED}\n`, "--vault"), CHECKSUMMED);
  });

  it("rejects a mixed-case address with a bad checksum, naming EIP-55 and the input", () => {
    // Flip the case of one letter: still mixed case, checksum now wrong.
    const bad = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD";
    assertUserError(() => parseAddress(bad, "--vault"), "EIP-55", "--vault", bad);
  });

  it("rejects a too-short address, naming the input", () => {
    assertUserError(() => parseAddress("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeA", "--vault"), "--vault");
  });

  it("rejects a too-long address", () => {
    assertUserError(() => parseAddress(`${CHECKSUMMED}00`, "VAULT"), "VAULT");
  });

  it("rejects non-hex characters and a missing 0x", () => {
    assertUserError(() => parseAddress("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeg", "--vault"), "--vault");
    assertUserError(() => parseAddress(CHECKSUMMED.slice(2), "--vault"), "--vault");
    assertUserError(() => parseAddress("", "--vault"), "--vault");
  });
});

describe("addressValue", () => {
  it("checksums as viem's getAddress does (EIP-55), for random addresses in any case", () => {
    for (let i = 0; i < 200; i++) {
      const lower = bytesToHex(randomBytes(20));
      const expected = getAddress(lower);
      assert.equal(addressValue(lower), expected);
      assert.equal(addressValue(`0x${lower.slice(2).toUpperCase()}`), expected);
      assert.equal(addressValue(expected), expected);
    }
  });
});
