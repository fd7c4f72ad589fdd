import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { UserInputError } from "../lib/errors.ts";
import { keypairsTableShape, layoutLine, NEW_DATABASE_LAYOUT, storedLayout } from "./layout.ts";

const V1_0 = new Set(["vault", "parent_public_key", "public_key", "private_key", "nonce"]);
const V1_1 = new Set(["vault", "public_key", "private_key", "nonce"]);
const V4 = new Set(["public_key", "private_key", "nonce"]);

describe("remote database layouts", () => {
  it("are told apart by the keypairs table's parent_public_key and vault columns", () => {
    assert.deepEqual(keypairsTableShape(V1_0, "mainnet_keypairs"), { parentColumn: true, vaultColumn: true });
    assert.deepEqual(keypairsTableShape(V1_1, "mainnet_keypairs"), {
      parentColumn: false,
      vaultColumn: true,
    });
    assert.deepEqual(keypairsTableShape(V4, "hoodi_keypairs"), { parentColumn: false, vaultColumn: false });
    assert.deepEqual(storedLayout({ parentColumn: false, vaultColumn: false }), {
      version: "v4",
      parentColumn: false,
    });
  });

  it("refuse tables of no layout in one line: key shares without a vault, no key columns", () => {
    assert.throws(
      () => keypairsTableShape(new Set(["parent_public_key", ...V4]), "hoodi_keypairs"),
      (error: Error) =>
        error instanceof UserInputError &&
        /^the table hoodi_keypairs has parent_public_key but no vault column: no Python operator release wrote it/.test(
          error.message,
        ),
    );
    assert.throws(
      () => keypairsTableShape(new Set(["vault", "name", "data"]), "hoodi_keypairs"),
      /has no public_key, private_key, nonce column: it is not the Python operator's keypairs table/,
    );
  });

  it("read a vault's keys-only rows in a v1.0.x table as v1.1+ (a Python operator upgraded to v1.1+)", () => {
    const withColumn = { parentColumn: true, vaultColumn: true };
    assert.deepEqual(storedLayout({ parentColumn: false, vaultColumn: true }), {
      version: "v1.1",
      parentColumn: false,
    });
    assert.equal(storedLayout(withColumn).version, "v1.0");
    assert.equal(storedLayout(withColumn, { rows: 0, shares: 0, signerConfig: false }).version, "v1.0");
    assert.equal(storedLayout(withColumn, { rows: 4, shares: 3, signerConfig: true }).version, "v1.0");
    assert.equal(storedLayout(withColumn, { rows: 1, shares: 0, signerConfig: true }).version, "v1.0");
    assert.deepEqual(storedLayout(withColumn, { rows: 2, shares: 0, signerConfig: false }), {
      version: "v1.1",
      parentColumn: true,
    });
  });

  it("are named in one line; new databases get v1.1+", () => {
    assert.equal(NEW_DATABASE_LAYOUT, "v1.1");
    assert.equal(
      layoutLine({ version: "v1.0", parentColumn: true }, "devnet_keypairs"),
      "Remote database layout: v1.0.x (devnet_keypairs with parent_public_key: validator keys and one key share per oracle)",
    );
    assert.equal(
      layoutLine({ version: "v1.1", parentColumn: false }, "devnet_keypairs", true),
      "Remote database layout: v1.1+ (created devnet_keypairs without parent_public_key: whole validator keys, no key shares)",
    );
    assert.match(
      layoutLine({ version: "v1.1", parentColumn: true }, "t"),
      /in t of v1\.0\.x: parent_public_key stays empty/,
    );
    assert.equal(
      layoutLine({ version: "v4", parentColumn: false }, "hoodi_keypairs", true),
      "Remote database layout: v4 (created hoodi_keypairs without vault: the network's whole validator keys, for every vault; no configs)",
    );
  });
});
