import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createConfigsTableSql, createKeypairsTableSql, remoteDbTables } from "./tables.ts";

describe("remote database tables", () => {
  it("are named after the network", () => {
    assert.deepEqual(remoteDbTables("mainnet"), { keypairs: "mainnet_keypairs", configs: "mainnet_configs" });
    assert.throws(() => remoteDbTables("main-net; DROP TABLE x"), RangeError);
    assert.throws(() => remoteDbTables("Mainnet"), RangeError);
  });

  it("have the Python operator v1.0.x columns", () => {
    const tables = remoteDbTables("hoodi");
    assert.equal(
      createKeypairsTableSql(tables),
      `CREATE TABLE IF NOT EXISTS hoodi_keypairs (
    vault VARCHAR(42) NOT NULL,
    parent_public_key VARCHAR(98),
    public_key VARCHAR(98) UNIQUE NOT NULL,
    private_key VARCHAR(66) UNIQUE NOT NULL,
    nonce VARCHAR(34) UNIQUE NOT NULL
)`,
    );
    assert.equal(
      createConfigsTableSql(tables),
      `CREATE TABLE IF NOT EXISTS hoodi_configs (
    vault VARCHAR(42) NOT NULL,
    name VARCHAR(25) NOT NULL,
    data TEXT NOT NULL,
    UNIQUE(vault, name)
)`,
    );
  });

  it("have the Python operator v1.1+ columns in that layout: no parent_public_key", () => {
    assert.equal(
      createKeypairsTableSql(remoteDbTables("mainnet"), "v1.1"),
      `CREATE TABLE IF NOT EXISTS mainnet_keypairs (
    vault VARCHAR(42) NOT NULL,
    public_key VARCHAR(98) UNIQUE NOT NULL,
    private_key VARCHAR(66) UNIQUE NOT NULL,
    nonce VARCHAR(34) UNIQUE NOT NULL
)`,
    );
  });

  it("have the Python operator v4 columns in that layout: no vault either", () => {
    // stakewise/v3-operator v4.1.9 src/remote_db/database.py create_table.
    assert.equal(
      createKeypairsTableSql(remoteDbTables("hoodi"), "v4"),
      `CREATE TABLE IF NOT EXISTS hoodi_keypairs (
    public_key VARCHAR(98) UNIQUE NOT NULL,
    private_key VARCHAR(66) UNIQUE NOT NULL,
    nonce VARCHAR(34) UNIQUE NOT NULL
)`,
    );
  });
});
