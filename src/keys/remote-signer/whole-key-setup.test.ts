import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, afterEach, before, beforeEach, describe, it } from "node:test";
import { writeSeededKeystore } from "../../../test/support/cheap-key-files.ts";
import { startWeb3Signer, type Web3SignerDouble } from "../../../test/support/web3signer.ts";
import { InterruptedError, OperatorError } from "../../lib/errors.ts";
import { indexKeystores } from "../sources/keystore-index.ts";
import { SignerApi } from "./signer-api.ts";
import { runWholeKeySetup, type WholeKeySetupParameters } from "./whole-key-setup.ts";

const PASSWORD = "correct-horse-battery";

describe("runWholeKeySetup", () => {
  let signer: Web3SignerDouble;
  let dir: string;
  let keystoresDir: string;
  let configFile: string;
  let lines: string[];

  before(async () => {
    signer = await startWeb3Signer();
  });
  after(async () => {
    await signer.close();
  });
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "whole-key-setup-"));
    keystoresDir = join(dir, "keystores");
    configFile = join(dir, "remote_signer_config.json");
    lines = [];
    signer.setFault(null);
    await mkdir(keystoresDir);
    await writeFile(join(keystoresDir, "password.txt"), `${PASSWORD}\n`);
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** Keystores of keys `seeds` (index = position), the signer's keys as the test knows them. */
  async function writeKeystores(seeds: readonly number[]): Promise<`0x${string}`[]> {
    const publicKeys: `0x${string}`[] = [];
    for (const [index, seed] of seeds.entries()) {
      publicKeys.push(await writeSeededKeystore(keystoresDir, seed, index, PASSWORD));
    }
    return publicKeys;
  }

  async function setup(overrides: Partial<WholeKeySetupParameters> = {}) {
    const index = await indexKeystores({ keystoresDir, passwordFile: join(keystoresDir, "password.txt") });
    return runWholeKeySetup({
      api: new SignerApi({ url: signer.url }),
      keystores: index.entries,
      configFile,
      sharedPasswordFile: join(keystoresDir, "password.txt"),
      removeKeystores: async () => false,
      report: (line) => lines.push(line),
      ...overrides,
    });
  }

  it("imports the keystores as they are, five to a request; a second run finds them all held", async () => {
    const publicKeys = await writeKeystores([41, 42, 43, 44, 45, 46, 47]);
    const before = signer.requests.length;
    const result = await setup();
    assert.deepEqual(result, { imported: 7, duplicate: 0, keystoresRemoved: false });
    for (const key of publicKeys) assert.ok(signer.keys().includes(key));
    const imports = signer.requests.slice(before).filter((r) => r.method === "POST");
    assert.deepEqual(
      imports.map((r) => (r.body as { keystores: string[] }).keystores.length),
      [5, 2],
    );
    assert.deepEqual(lines, [
      "Successfully imported 7 keys into remote signer.",
      "Done. Successfully configured operator to use remote signer for 7 public key(s)!",
    ]);
    lines = [];
    assert.deepEqual(await setup(), { imported: 0, duplicate: 7, keystoresRemoved: false });
    assert.equal(lines[1], "(7 of them it held already.)");
    assert.equal((await readdir(keystoresDir)).length, 8, "the keystores stay unless the user says so");
  });

  it("removes a key-share config (start would ask for shares) and, when confirmed, the keystores", async () => {
    await writeKeystores([51, 52]);
    await writeFile(configFile, '{"pubkeys_to_shares": {}}');
    const result = await setup({ removeKeystores: async () => true });
    assert.equal(result.keystoresRemoved, true);
    assert.equal(existsSync(configFile), false);
    assert.deepEqual(await readdir(keystoresDir), ["password.txt"], "the shared password file stays");
    assert.deepEqual(lines.slice(1, 3), [
      `Removed ${configFile}: the remote signer holds whole validator keys, and start signs with them.`,
      "Removed keystores from local filesystem.",
    ]);
  });

  it("a keystore the signer refuses: one line naming the file and its password file; nothing removed", async () => {
    await writeKeystores([61, 62, 63, 64, 65, 66]);
    await writeFile(join(keystoresDir, "keystore-m_12381_3600_5_0_0-1.txt"), "not-the-password");
    await writeFile(configFile, '{"pubkeys_to_shares": {}}');
    await assert.rejects(
      setup({ removeKeystores: async () => assert.fail("not asked") }),
      (error: Error) =>
        error instanceof OperatorError &&
        /did not import keystore-m_12381_3600_5_0_0-1\.json \(0x[0-9a-f]{96}\): error \(Invalid keystore password\); check its password file .*keystore-m_12381_3600_5_0_0-1\.txt; the remote signer holds 5 of the 6 keys and no local file was removed: run the command again/.test(
          error.message,
        ),
    );
    assert.ok(existsSync(configFile), "nothing local changed");
    assert.equal((await readdir(keystoresDir)).length, 8);
  });

  it("a signer that accepts but does not keep the keys: refused before anything local changes", async () => {
    await writeKeystores([71]);
    signer.setFault("lose-imports");
    await assert.rejects(setup({ removeKeystores: async () => true }), /does not list 1 of their keys/);
    assert.equal((await readdir(keystoresDir)).length, 2);
  });

  it("an abort between requests says how far it got", async () => {
    await writeKeystores([81, 82, 83, 84, 85, 86]);
    const controller = new AbortController();
    await assert.rejects(
      setup({
        signal: controller.signal,
        debug: (line) => {
          if (line.startsWith("imported keystores 1..5")) controller.abort();
        },
      }),
      (error: Error) =>
        error instanceof InterruptedError && /the remote signer holds 5 of the 6 keys/.test(error.message),
    );
  });
});
