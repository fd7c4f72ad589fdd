import assert from "node:assert/strict";
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, afterEach, before, beforeEach, describe, it } from "node:test";
import { syncDir, writeFileAtomic, writeFilesAtomic } from "./atomic-file.ts";

describe("writeFileAtomic", () => {
  let dir: string;
  let previousUmask: number;

  before(() => {
    previousUmask = process.umask(0o022);
  });
  after(() => {
    process.umask(previousUmask);
  });
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "atomic-file-test-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("writes string content with the given mode", async () => {
    const path = join(dir, "secret.txt");
    await writeFileAtomic(path, "top secret", { mode: 0o600 });
    assert.equal(await readFile(path, "utf8"), "top secret");
    assert.equal((await stat(path)).mode & 0o777, 0o600);
  });

  it("defaults to mode 0644", async () => {
    const path = join(dir, "plain.txt");
    await writeFileAtomic(path, "x");
    assert.equal((await stat(path)).mode & 0o777, 0o644 & ~0o022);
  });

  it("applies the umask to the requested mode", async () => {
    const path = join(dir, "open.txt");
    await writeFileAtomic(path, "x", { mode: 0o666 });
    assert.equal((await stat(path)).mode & 0o777, 0o644);
  });

  it("writes bytes", async () => {
    const path = join(dir, "bytes.bin");
    await writeFileAtomic(path, Uint8Array.of(0, 1, 2, 255));
    assert.deepEqual(new Uint8Array(await readFile(path)), Uint8Array.of(0, 1, 2, 255));
  });

  it("replaces existing content completely", async () => {
    const path = join(dir, "config.json");
    await writeFile(path, "a much longer old content than the new one");
    await writeFileAtomic(path, "new");
    assert.equal(await readFile(path, "utf8"), "new");
  });

  it("leaves no temp files behind", async () => {
    const path = join(dir, "file.json");
    await writeFileAtomic(path, "1");
    await writeFileAtomic(path, "2");
    await writeFileAtomic(join(dir, "other.json"), "3");
    assert.deepEqual((await readdir(dir)).sort(), ["file.json", "other.json"]);
  });

  it("creates missing parent dirs", async () => {
    const path = join(dir, "a", "b", "c", "file.txt");
    await writeFileAtomic(path, "deep");
    assert.equal(await readFile(path, "utf8"), "deep");
  });

  it("fails when the target is a directory and cleans up its temp file", async () => {
    const path = join(dir, "target");
    await writeFileAtomic(join(path, "inside"), "x");
    await assert.rejects(writeFileAtomic(path, "y"));
    assert.deepEqual(await readdir(dir), ["target"]);
  });
});

describe("syncDir", () => {
  it("syncs an existing dir and rejects a missing one", async () => {
    const dir = await mkdtemp(join(tmpdir(), "atomic-file-test-"));
    try {
      await syncDir(dir);
      await assert.rejects(syncDir(join(dir, "missing")), { code: "ENOENT" });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("writeFilesAtomic", () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "vault-operator-atomic-set-"));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("writes every file", async () => {
    const a = join(dir, "a.json");
    const b = join(dir, "sub", "b.yml");
    await writeFilesAtomic([
      { path: a, data: "A" },
      { path: b, data: "B" },
    ]);
    assert.equal(await readFile(a, "utf8"), "A");
    assert.equal(await readFile(b, "utf8"), "B");
  });

  it("changes none of the files when one cannot be written", async () => {
    const a = join(dir, "keep.json");
    await writeFile(a, "old");
    await assert.rejects(
      writeFilesAtomic([
        { path: a, data: "new" },
        // A file whose parent is a file: its temp file cannot be created.
        { path: join(a, "child.yml"), data: "x" },
      ]),
    );
    assert.equal(await readFile(a, "utf8"), "old");
    assert.deepEqual(
      (await readdir(dir)).filter((n) => n.endsWith(".tmp")),
      [],
    );
  });
});
