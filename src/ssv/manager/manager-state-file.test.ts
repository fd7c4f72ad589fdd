import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { ManagerStateFileError, readManagerMemory, writeManagerMemory } from "./manager-state-file.ts";

describe("manager state file", async () => {
  const dir = await mkdtemp(join(tmpdir(), "ssv-manager-state-"));
  after(() => rm(dir, { recursive: true, force: true }));

  it("is empty when absent, and keeps inactivity times and the owner state across a write", async () => {
    const file = join(dir, "a.json");
    assert.deepEqual(await readManagerMemory(file), { inactiveSince: new Map(), ownerState: undefined });
    await writeManagerMemory(file, {
      inactiveSince: new Map([[18446744073709551615n, 42]]),
      ownerState: { x: "1" },
    });
    assert.deepEqual(await readManagerMemory(file), {
      inactiveSince: new Map([[18446744073709551615n, 42]]),
      ownerState: { x: "1" },
    });
  });

  it("refuses a file that is not its own, naming it", async () => {
    const file = join(dir, "b.json");
    await writeFile(file, '{"version":2}');
    await assert.rejects(readManagerMemory(file), (error: unknown) => {
      assert.ok(error instanceof ManagerStateFileError);
      assert.match(error.message, /b\.json is not an ssv-manager state file: delete it/);
      return true;
    });
  });
});
