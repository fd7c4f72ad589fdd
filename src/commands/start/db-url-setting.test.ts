import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { UserInputError } from "../../lib/errors.ts";
import { dbUrlSetting, warnUnusedDatabaseDir } from "./db-url-setting.ts";

describe("start's --db-url / --db-url-file", () => {
  const dir = mkdtempSync(join(tmpdir(), "db-url-"));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("is undefined (operator.db) without either, and the URL as given with --db-url", () => {
    assert.equal(dbUrlSetting({}), undefined);
    assert.equal(dbUrlSetting({ dbUrl: "postgresql://u@h/d" }), "postgresql://u@h/d");
  });

  it("reads --db-url-file (a mounted secret), trimmed", () => {
    const file = join(dir, "db-url");
    writeFileSync(file, "postgresql://operator:s3cret@db:5432/vault\n", { mode: 0o600 });
    assert.equal(dbUrlSetting({ dbUrlFile: file }), "postgresql://operator:s3cret@db:5432/vault");
  });

  it("warns once that --database-dir is not used with --db-url, and only then", () => {
    const said: Array<[string, unknown]> = [];
    const logger = { warn: (message: string, context?: unknown) => void said.push([message, context]) };
    warnUnusedDatabaseDir({ databaseDir: "/var/lib/operator" }, undefined, logger);
    warnUnusedDatabaseDir({}, "postgresql://u@h/d", logger);
    assert.deepEqual(said, []);
    warnUnusedDatabaseDir({ databaseDir: "/var/lib/operator" }, "postgresql://u@h/d", logger);
    assert.equal(said.length, 1);
    assert.match(String(said[0]?.[0]), /--database-dir is not used with --db-url/);
    assert.doesNotMatch(JSON.stringify(said), /postgresql:/, "the URL is not repeated");
  });

  it("refuses both at once, a missing file and a file without a URL, in one line without the password", () => {
    assert.throws(() => dbUrlSetting({ dbUrl: "postgresql://u@h/d", dbUrlFile: "/x" }), /give one of them/);
    assert.throws(
      () => dbUrlSetting({ dbUrlFile: join(dir, "missing") }),
      (e: unknown) => e instanceof UserInputError && /cannot read --db-url-file .*ENOENT/.test(e.message),
    );
    const bad = join(dir, "bad");
    writeFileSync(bad, "mysql://root:s3cret@db/vault");
    assert.throws(
      () => dbUrlSetting({ dbUrlFile: bad }),
      (e: unknown) =>
        e instanceof UserInputError &&
        /--db-url-file/.test(e.message) &&
        !e.message.includes("s3cret") &&
        !e.message.includes("\n"),
    );
  });
});
