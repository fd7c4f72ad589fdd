import assert from "node:assert/strict";
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
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
