import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { after, describe, it } from "node:test";
import { openSqliteStateView } from "./sqlite-state-view.ts";
import { CHECKPOINT_NETWORK_VALIDATORS, StateStore } from "./state-store.ts";

const VAULT = "0x3320ad928c20187602a2b2c04eeaa813fa899468";
const CHAIN = { chainId: 560048, genesisHash: `0x${"ab".repeat(32)}` };
const root = mkdtempSync(join(tmpdir(), "state-view-"));
after(() => rmSync(root, { recursive: true, force: true }));
let files = 0;
const freshFile = () => join(root, `case-${files++}`, "operator.db");
const publicKey = (): `0x${string}` => `0x${randomBytes(48).toString("hex")}`;

/** Rows of a table, read with SQLite directly (not through the code under test). */
function countRows(file: string, table: string): number {
  const db = new DatabaseSync(file, { readOnly: true });
  try {
    return (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
  } finally {
    db.close();
  }
}

describe("openSqliteStateView", () => {
  it("reads a missing file as empty, says so, and creates nothing", async () => {
    const file = freshFile();
    const view = openSqliteStateView({ file, network: "hoodi", vault: VAULT, chain: CHAIN });
    assert.match(view.note ?? "", /does not exist yet/);
    assert.equal(await view.networkValidatorCount(), 0);
    assert.equal(await view.checkpoint(CHECKPOINT_NETWORK_VALIDATORS), undefined);
    assert.deepEqual(await view.openTransactions(), []);
    assert.equal(await view.lastTransaction(), undefined);
    const key = publicKey();
    assert.equal(await view.addNetworkValidators([{ publicKey: key, blockNumber: 5 }], 10), 1);
    assert.equal((await view.networkValidatorsAmong([key])).has(key), true);
    assert.equal(await view.checkpoint(CHECKPOINT_NETWORK_VALIDATORS), 10);
    await view.close();
    assert.equal(existsSync(file), false);
  });

  it("reads the service's file beside it and keeps what the scan adds in memory", async () => {
    const file = freshFile();
    const stored = publicKey();
    const store = StateStore.open({ file, network: "hoodi", vault: VAULT, chain: CHAIN });
    store.addNetworkValidators([{ publicKey: stored, blockNumber: 3 }], 20);
    const tx = store.recordSignedTransaction({
      kind: "registration",
      publicKeys: [publicKey()],
      txHash: `0x${"11".repeat(32)}`,
      rawTx: "0x02f8",
      nonce: 4,
    });
    store.markSent(tx.id);
    // The service keeps running (its lock held): the view opens anyway.
    const view = openSqliteStateView({ file, network: "hoodi", vault: VAULT, chain: CHAIN });
    assert.equal(view.note, undefined);
    assert.equal((await view.networkValidatorsAmong([stored])).has(stored), true);
    assert.equal(await view.checkpoint(CHECKPOINT_NETWORK_VALIDATORS), 20);
    assert.deepEqual(
      (await view.openTransactions()).map((t) => [t.id, t.status, t.nonce]),
      [[tx.id, "sent", 4]],
    );
    assert.equal((await view.lastTransaction())?.txHash, `0x${"11".repeat(32)}`);
    assert.equal(await view.transactionCount(), 1);

    const added = publicKey();
    assert.equal(
      await view.addNetworkValidators(
        [
          { publicKey: stored, blockNumber: 3 },
          { publicKey: added, blockNumber: 25 },
        ],
        30,
      ),
      1,
    );
    assert.equal(await view.networkValidatorCount(), 2);
    assert.equal(await view.checkpoint(CHECKPOINT_NETWORK_VALIDATORS), 30);
    await view.close();
    store.close();
    assert.equal(countRows(file, "hoodi_network_validators"), 1, "nothing was written to the file");
  });

  it("reads a file that is not the service's database as empty, and says why", async () => {
    const file = freshFile();
    mkdirSync(join(file, ".."), { recursive: true });
    writeFileSync(file, "not a database");
    const view = openSqliteStateView({ file, network: "hoodi", vault: VAULT, chain: CHAIN });
    assert.match(view.note ?? "", /^not read: /);
    assert.equal(await view.networkValidatorCount(), 0);
    assert.equal(await view.lastTransaction(), undefined);
    await view.close();
  });

  it("reads a file of another chain as empty, and says start refuses it", async () => {
    const file = freshFile();
    const store = StateStore.open({ file, network: "hoodi", vault: VAULT, chain: CHAIN });
    store.addNetworkValidators([{ publicKey: publicKey(), blockNumber: 3 }], 20);
    store.close();
    const view = openSqliteStateView({
      file,
      network: "hoodi",
      vault: VAULT,
      chain: { ...CHAIN, genesisHash: `0x${"cd".repeat(32)}` },
    });
    assert.match(view.note ?? "", /another hoodi chain/);
    assert.equal(await view.networkValidatorCount(), 0);
    await view.close();
  });
});
