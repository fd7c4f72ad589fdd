import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { fsErrorReason, MakeDirError, makeDirs, makeDirsSync } from "./fs.ts";

describe("fsErrorReason", () => {
  it("names the errno code and what it means", () => {
    assert.equal(
      fsErrorReason(Object.assign(new Error("x"), { code: "EXDEV" })),
      "EXDEV: crosses filesystems",
    );
    assert.equal(fsErrorReason(Object.assign(new Error("x"), { code: "EIO" })), "EIO: a filesystem error");
  });

  it("is undefined for an error that is not a filesystem error", () => {
    assert.equal(fsErrorReason(new Error("x")), undefined);
    assert.equal(fsErrorReason(undefined), undefined);
  });
});

describe("makeDirs", () => {
  const root = mkdtempSync(join(tmpdir(), "make-dirs-"));
  after(() => rmSync(root, { recursive: true, force: true }));

  it("creates the missing components, outermost first, each with the mode", async () => {
    const path = join(root, "a", "b", "c");
    assert.deepEqual(await makeDirs(path, { mode: 0o700 }), [join(root, "a"), join(root, "a", "b"), path]);
    for (const dir of ["a", "a/b", "a/b/c"]) assert.equal(statSync(join(root, dir)).mode & 0o777, 0o700);
  });

  it("creates nothing when the directory exists", () => {
    assert.deepEqual(makeDirsSync(root), []);
    assert.deepEqual(makeDirsSync(`${root}/`), []);
  });

  it("fails with EEXIST when a file is the path, ENOTDIR when a file is an ancestor", () => {
    const file = join(root, "file");
    writeFileSync(file, "x");
    assert.throws(
      () => makeDirsSync(file),
      (error: unknown) =>
        error instanceof MakeDirError &&
        error.code === "EEXIST" &&
        error.message === `cannot create the directory ${file} (EEXIST: a file is in the way)`,
    );
    assert.throws(
      () => makeDirsSync(join(file, "x", "y")),
      (error: unknown) =>
        error instanceof MakeDirError &&
        error.code === "ENOTDIR" &&
        fsErrorReason(error) === "ENOTDIR: a path component is not a directory",
    );
    assert.equal(existsSync(join(file, "x")), false);
  });

  it("fails at once on a filesystem that refuses new directories (/proc), where mkdir -p loops", {
    skip: existsSync("/proc/self") ? false : "no /proc",
  }, () => {
    const started = Date.now();
    assert.throws(
      () => makeDirsSync("/proc/vault-operator-test/x"),
      (error: unknown) =>
        error instanceof MakeDirError &&
        error.code === "ENOENT" &&
        error.path === "/proc/vault-operator-test",
    );
    assert.ok(Date.now() - started < 1000);
  });
});
