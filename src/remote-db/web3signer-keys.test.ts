import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { UserInputError } from "../lib/errors.ts";
import { SortedSecretKeys } from "./secret-key-set.ts";
import { writeWeb3signerKeys } from "./web3signer-keys.ts";

const key = (i: number) => `0x${i.toString(16).padStart(64, "0")}`;
const keys = (...hex: string[]) => SortedSecretKeys.fromHex(hex);

describe("writeWeb3signerKeys", () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "vault-operator-w3s-"));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("creates a missing output dir with 0600 key files and no leftovers", async () => {
    const out = join(dir, "fresh", "web3signer");
    await writeWeb3signerKeys(out, keys(key(1), key(2)));
    assert.deepEqual((await readdir(out)).sort(), ["key_0.yaml", "key_1.yaml"]);
    assert.equal((await stat(join(out, "key_1.yaml"))).mode & 0o777, 0o600);
    assert.equal(
      await readFile(join(out, "key_1.yaml"), "utf8"),
      `keyType: BLS\nprivateKey: '${key(2)}'\ntype: file-raw\n`,
    );
    assert.deepEqual(await readdir(join(dir, "fresh")), ["web3signer"]);
  });

  it("fills an empty output dir", async () => {
    const out = join(dir, "empty");
    await mkdir(out);
    await writeWeb3signerKeys(out, keys(key(3)));
    assert.deepEqual(await readdir(out), ["key_0.yaml"]);
  });

  it("keeps an existing output dir with its mode, staging inside it", async () => {
    const out = join(dir, "mounted");
    await mkdir(out, { mode: 0o755 });
    await chmod(out, 0o755);
    await writeWeb3signerKeys(out, keys(key(5), key(6)));
    assert.deepEqual((await readdir(out)).sort(), ["key_0.yaml", "key_1.yaml"]);
    assert.equal((await stat(out)).mode & 0o777, 0o755);
  });

  it("writes through a symlink to a directory on another filesystem", async (t) => {
    if (!existsSync("/dev/shm")) {
      t.skip("no tmpfs at /dev/shm");
      return;
    }
    const elsewhere = await mkdtemp("/dev/shm/vault-operator-w3s-");
    try {
      const out = join(dir, "linked");
      await symlink(elsewhere, out);
      await writeWeb3signerKeys(out, keys(key(7)));
      assert.deepEqual(await readdir(elsewhere), ["key_0.yaml"]);
    } finally {
      await rm(elsewhere, { recursive: true, force: true });
    }
  });

  it("a file in place of the output dir is one line naming --output-dir", async () => {
    const out = join(dir, "a-file");
    await writeFile(out, "not a dir");
    await assert.rejects(writeWeb3signerKeys(join(out, "keys"), keys(key(1))), (error: Error) => {
      assert.ok(error instanceof UserInputError);
      assert.match(
        error.message,
        /cannot write the web3signer key files to .*a-file\/keys \((ENOTDIR|EEXIST)/,
      );
      return true;
    });
  });

  it("replaces an earlier run's key files and keeps other files", async () => {
    const out = join(dir, "rerun");
    await writeWeb3signerKeys(out, keys(key(1), key(2), key(3)));
    await writeFile(join(out, "config.yaml"), "keep me");
    await writeWeb3signerKeys(out, keys(key(4)));
    assert.deepEqual((await readdir(out)).sort(), ["config.yaml", "key_0.yaml"]);
    assert.match(await readFile(join(out, "key_0.yaml"), "utf8"), new RegExp(key(4)));
    assert.deepEqual(
      (await readdir(dir)).filter((n) => n.startsWith(".")),
      [],
      "no staging dir left",
    );
  });
});
