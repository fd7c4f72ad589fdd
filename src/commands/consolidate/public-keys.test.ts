import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { UserInputError } from "../../lib/errors.ts";
import { publicKeysValue, publicKeyValue, readPublicKeysFile } from "./public-keys.ts";

const A = "ab".repeat(48);
const B = "CD".repeat(48);

describe("public key inputs", () => {
  it("accepts keys with or without 0x and lower-cases them", () => {
    assert.equal(publicKeyValue(A), `0x${A}`);
    assert.deepEqual(publicKeysValue(`0x${A}, ${B}`), [`0x${A}`, `0x${B.toLowerCase()}`]);
  });

  it("refuses a key of the wrong length and an empty list", () => {
    assert.throws(() => publicKeyValue(`0x${A}00`), /not a validator public key/);
    assert.throws(() => publicKeysValue(`0x${A},0x12`), /0x12…, not a validator public key/);
    assert.throws(() => publicKeysValue(" , "), /is empty/);
  });

  it("reads a file of one key a line, skipping blank lines, naming a bad line", async () => {
    const dir = await mkdtemp(join(tmpdir(), "consolidate-keys-"));
    try {
      const file = join(dir, "keys.txt");
      await writeFile(file, `0x${A}\n\n${B}\r\n`);
      assert.deepEqual(await readPublicKeysFile(file, "--source-public-keys-file"), [
        `0x${A}`,
        `0x${B.toLowerCase()}`,
      ]);
      await writeFile(file, `0x${A}\nnot a key\n`);
      await assert.rejects(readPublicKeysFile(file, "--source-public-keys-file"), (error: unknown) => {
        assert.ok(error instanceof UserInputError);
        assert.match(error.message, /keys\.txt line 2 is not a validator public key/);
        return true;
      });
      await assert.rejects(
        readPublicKeysFile(join(dir, "missing"), "--source-public-keys-file"),
        /cannot be read/,
      );
    } finally {
      await rm(dir, { recursive: true });
    }
  });
});
