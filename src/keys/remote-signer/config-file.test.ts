import assert from "node:assert/strict";
import { mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { UserInputError } from "../../lib/errors.ts";
import {
  parseRemoteSignerConfig,
  readRemoteSignerConfig,
  readRemoteSignerConfigIfExists,
  serializeRemoteSignerConfig,
  writeRemoteSignerConfig,
} from "./config-file.ts";

const KEY = `0x${"a".repeat(96)}`;
const SHARE_1 = `0x${"b".repeat(96)}`;
const SHARE_2 = `0x${"c".repeat(96)}`;
const FILE = "/data/0xvault/remote_signer_config.json";

function rejects(text: string, pattern: RegExp): void {
  assert.throws(
    () => parseRemoteSignerConfig(text, FILE),
    (error: Error) => {
      assert.ok(error instanceof UserInputError);
      assert.ok(error.message.includes(FILE), error.message);
      assert.match(error.message, pattern);
      assert.match(error.message, /remote-signer-setup/);
      return true;
    },
  );
}

describe("remote_signer_config.json", () => {
  it("parses the Python operator's format, normalizing hex to 0x + lower case", () => {
    const text = JSON.stringify({
      pubkeys_to_shares: { [KEY.toUpperCase().replace("0X", "")]: [SHARE_1, SHARE_2] },
    });
    const config = parseRemoteSignerConfig(text, FILE);
    assert.deepEqual([...config], [[KEY, [SHARE_1, SHARE_2]]]);
  });

  it("round-trips through the file, written as json.dumps does", async () => {
    const dir = await mkdtemp(join(tmpdir(), "rs-config-"));
    try {
      const file = join(dir, "remote_signer_config.json");
      const config = new Map([[KEY as `0x${string}`, [SHARE_1, SHARE_2] as `0x${string}`[]]]);
      await writeRemoteSignerConfig(file, config);
      assert.equal(
        await readFile(file, "utf8"),
        `{"pubkeys_to_shares": {"${KEY}": ["${SHARE_1}", "${SHARE_2}"]}}`,
      );
      assert.deepEqual(await readRemoteSignerConfig(file), config);
      assert.equal(serializeRemoteSignerConfig(config), await readFile(file, "utf8"));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("names the file and the field of every error", () => {
    rejects("{not json", /not valid JSON/);
    rejects("[]", /field "\(root\)"/);
    rejects("{}", /field "pubkeys_to_shares"/);
    rejects(JSON.stringify({ pubkeys_to_shares: {} }), /field "pubkeys_to_shares" is empty/);
    rejects(JSON.stringify({ pubkeys_to_shares: { "0x12": [SHARE_1] } }), /field "pubkeys_to_shares.0x12"/);
    rejects(JSON.stringify({ pubkeys_to_shares: { [KEY]: [] } }), /non-empty list/);
    rejects(
      JSON.stringify({ pubkeys_to_shares: { [KEY]: [SHARE_1, "0xzz"] } }),
      new RegExp(`field "pubkeys_to_shares.${KEY}\\[1\\]"`),
    );
    rejects(JSON.stringify({ pubkeys_to_shares: { [KEY]: [SHARE_1, SHARE_1] } }), /twice/);
  });

  it("a missing file says to run remote-signer-setup", async () => {
    await assert.rejects(readRemoteSignerConfig("/nonexistent/remote_signer_config.json"), (error: Error) => {
      assert.ok(error instanceof UserInputError);
      assert.match(error.message, /does not exist: run "operator remote-signer-setup" first/);
      return true;
    });
  });

  it("readRemoteSignerConfigIfExists: a missing file is an empty map", async () => {
    const config = await readRemoteSignerConfigIfExists("/nonexistent/remote_signer_config.json");
    assert.equal(config.size, 0);
  });

  it("readRemoteSignerConfigIfExists: a file it cannot read is a user error naming the file", async () => {
    const dir = await mkdtemp(join(tmpdir(), "remote-signer-config-"));
    try {
      // A directory in its place: EISDIR, like EACCES a read error other than "missing" (and
      // one that root, who ignores permissions, gets too).
      const file = join(dir, "remote_signer_config.json");
      await mkdir(file);
      await assert.rejects(readRemoteSignerConfigIfExists(file), (error: Error) => {
        assert.ok(error instanceof UserInputError);
        assert.equal(
          error.message,
          `cannot read remote signer config ${file} (EISDIR): check its permissions, or move it away to start a new one`,
        );
        return true;
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
