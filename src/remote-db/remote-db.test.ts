import assert from "node:assert/strict";
import { createServer } from "node:net";
import { describe, it } from "node:test";
import { OperatorError, UserInputError } from "../lib/errors.ts";
import { databaseError } from "./database-error.ts";
import { assertDbUrl } from "./db-url.ts";
import { RemoteDb } from "./remote-db.ts";

const VAULT = "0x8189aF89A7718C1baB5628399FC0ba50C6949bCc";

async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return typeof address === "object" && address ? address.port : 1;
}

describe("remote database connection", () => {
  it("checks the URL the way the Python operator does, without echoing the password", () => {
    assert.equal(assertDbUrl(" postgresql://user:pass@host/db "), "postgresql://user:pass@host/db");
    assert.equal(
      assertDbUrl("postgresql://postgres:@127.0.0.1:5432/operator"),
      "postgresql://postgres:@127.0.0.1:5432/operator",
    );
    // No password: trust, peer or .pgpass authentication (the README's own form).
    assert.equal(assertDbUrl("postgresql://postgres@host/db"), "postgresql://postgres@host/db");
    assert.equal(
      assertDbUrl("postgres://postgres@127.0.0.1:5432/db"),
      "postgres://postgres@127.0.0.1:5432/db",
    );
    // No user (the driver would pick PGUSER or the OS account), no database, another scheme.
    for (const url of [
      "postgresql://host/db",
      "postgresql://:hunter2@host/db",
      "postgresql://user:hunter2@host",
      "mysql://user:hunter2@host/db",
      "user:hunter2@host/db",
    ]) {
      assert.throws(
        () => assertDbUrl(url),
        (error: Error) =>
          error instanceof UserInputError &&
          /^--db-url is not a database connection URL \(.*\): use postgresql:\/\/ followed by username\[:password\]@hostname\[:port\]\/dbname$/.test(
            error.message,
          ) &&
          !error.message.includes("hunter2"),
        url,
      );
    }
    assert.throws(
      () => assertDbUrl("postgresql://host/db", "DB_URL"),
      /: DB_URL is not a database connection URL \(postgresql:\/\/host\/\*\*\*\)/,
    );
    assert.throws(
      () => assertDbUrl("postgresql://user:hunter2@host"),
      (error: Error) => !error.message.includes("hunter2"),
    );
    for (const url of [
      "postgresql://u:pa/hunter2@host/db",
      "postgresql://u:pa#hunter2@host/db",
      "postgresql://u:hunter2@host:99999/db",
      "postgresql://u:hunter2%zz@host/db",
    ]) {
      assert.throws(
        () => assertDbUrl(url),
        (error: Error) =>
          error instanceof UserInputError &&
          /percent-encode special characters/.test(error.message) &&
          !error.message.includes("hunter2"),
        url,
      );
    }
    assert.equal(assertDbUrl("postgresql://u:pa%2Fss@host/db"), "postgresql://u:pa%2Fss@host/db");
  });

  it("an unreachable server is one retryable line without credentials", async () => {
    const port = await deadPort();
    await assert.rejects(
      RemoteDb.connect({
        url: `postgresql://user:hunter2@127.0.0.1:${port}/operator`,
        network: "mainnet",
        vault: VAULT,
      }),
      (error: Error) =>
        error instanceof OperatorError &&
        error.retryable &&
        /^cannot reach the database at postgresql:\/\/\*\*\*@127\.0\.0\.1:\d+\/\*\*\* \(ECONNREFUSED\)/.test(
          error.message,
        ) &&
        !error.message.includes("hunter2"),
    );
  });

  it("maps server errors to clear messages", () => {
    const url = "postgresql://u:secret@db/operator";
    const auth = databaseError(
      Object.assign(new Error("password authentication failed"), { code: "28P01" }),
      url,
      "connect",
    );
    assert.ok(auth instanceof UserInputError);
    assert.match(auth.message, /refused the user or password of --db-url/);
    const missing = databaseError(
      Object.assign(new Error('database "operator" does not exist'), { code: "3D000" }),
      url,
      "connect",
    );
    assert.match(missing.message, /does not exist at postgresql:\/\/\*\*\*@db\/\*\*\*: create it/);
    for (const error of [auth, missing]) assert.doesNotMatch(error.message, /secret/);
  });
});
