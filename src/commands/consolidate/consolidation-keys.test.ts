import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { UserInputError } from "../../lib/errors.ts";
import { consolidationKeys } from "./consolidation-keys.ts";

const key = (n: number) => `0x${n.toString(16).padStart(2, "0").repeat(48)}` as `0x${string}`;

describe("consolidationKeys", () => {
  it("no key flag: the command chooses, minus --exclude-public-keys-file", async () => {
    assert.deepEqual(await consolidationKeys({}), { kind: "auto", exclude: new Set() });
    const dir = await mkdtemp(join(tmpdir(), "consolidation-keys-"));
    try {
      const file = join(dir, "exclude.txt");
      await writeFile(file, `${key(1).toUpperCase().replace("0X", "0x")}\n\n${key(2).slice(2)}\n`);
      assert.deepEqual(await consolidationKeys({ excludePublicKeysFile: file }), {
        kind: "auto",
        exclude: new Set([key(1), key(2)]),
      });
    } finally {
      await rm(dir, { recursive: true });
    }
  });

  it("keys given: both sides needed; an exclusion file with them is refused in one line", async () => {
    assert.deepEqual(await consolidationKeys({ sourcePublicKeys: [key(1)], targetPublicKey: key(2) }), {
      kind: "given",
      sources: [key(1)],
      target: key(2),
    });
    const refused = (options: Parameters<typeof consolidationKeys>[0], pattern: RegExp) =>
      assert.rejects(
        consolidationKeys(options),
        (error: Error) => error instanceof UserInputError && pattern.test(error.message),
      );
    await refused({ sourcePublicKeys: [key(1)] }, /^missing --target-public-key/);
    await refused({ targetPublicKey: key(2) }, /^no source validators: pass --source-public-keys/);
    await refused(
      { sourcePublicKeys: [key(1)], targetPublicKey: key(2), excludePublicKeysFile: "x.txt" },
      /^--exclude-public-keys-file narrows the command's own choice: drop it, or drop --source-public-keys/,
    );
  });
});
