import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { after, describe, it } from "node:test";
import { vaultPaths } from "../../config/data-dir.ts";
import {
  JournalStateError,
  RegistrationConflictError,
  StateStoreChainError,
  StateStoreError,
  StateStoreLockedError,
} from "./errors.ts";
import { schemaVersion } from "./schema.ts";
import {
  CHECKPOINT_NETWORK_VALIDATORS,
  CHECKPOINT_VAULT_VALIDATORS,
  type OpenStateStoreOptions,
  StateStore,
  stateDatabaseFile,
} from "./state-store.ts";

const VAULT = "0x3320ad928c20187602a2b2c04eeaa813fa899468";
const OTHER_VAULT = "0x1111111111111111111111111111111111111111";
const root = mkdtempSync(join(tmpdir(), "state-store-"));
after(() => rmSync(root, { recursive: true, force: true }));

let fileCount = 0;
function freshFile(): string {
  return join(root, `case-${fileCount++}`, "operator.db");
}

function open(file: string, extra: Partial<OpenStateStoreOptions> = {}): StateStore {
  return StateStore.open({ file, network: "hoodi", vault: VAULT, ...extra });
}

const publicKey = (): `0x${string}` => `0x${randomBytes(48).toString("hex")}`;
const txHash = (): `0x${string}` => `0x${randomBytes(32).toString("hex")}`;

function signed(publicKeys: string[], nonce = 7) {
  return {
    kind: "registration" as const,
    publicKeys,
    firstDepositIndex: 100,
    txHash: txHash(),
    rawTx: "0x02f8b00102",
    nonce,
  };
}

const STATE_STORE_URL = new URL("./state-store.ts", import.meta.url).href;

/** Runs a Node child with an inline ES module; resolves with it once it prints `ready`. */
function child(source: string): Promise<{ process: ChildProcess; output: () => string }> {
  const proc = spawn(process.execPath, ["--input-type=module", "-e", source], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  proc.stderr?.on("data", (chunk) => {
    err += chunk;
  });
  return new Promise((resolve, reject) => {
    proc.stdout?.on("data", (chunk) => {
      out += chunk;
      if (out.includes("ready")) resolve({ process: proc, output: () => out });
    });
    proc.on("exit", (code) => reject(new Error(`child exited (${code}) before ready: ${err}`)));
  });
}

function exited(proc: ChildProcess): Promise<void> {
  return proc.exitCode !== null || proc.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => proc.once("exit", () => resolve()));
}

describe("stateDatabaseFile", () => {
  it("is operator.db in the vault dir unless a database dir is given", () => {
    const paths = vaultPaths("/data", VAULT);
    assert.equal(stateDatabaseFile(paths), join("/data", VAULT, "operator.db"));
    assert.equal(stateDatabaseFile(paths, "/db"), join("/db", "operator.db"));
  });
});

describe("StateStore schema", () => {
  it("creates the directory, the WAL database and the tables", () => {
    const file = freshFile();
    const store = open(file);
    store.close();
    const db = new DatabaseSync(file, { readOnly: true });
    try {
      assert.deepEqual({ ...db.prepare("PRAGMA journal_mode").get() }, { journal_mode: "wal" });
      const tables = (
        db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as {
          name: string;
        }[]
      ).map((row) => row.name);
      assert.deepEqual(tables, [
        "chains",
        "hoodi_checkpoints",
        "hoodi_network_validators",
        "schema_migrations",
        "transaction_keys",
        "transactions",
      ]);
      assert.equal(schemaVersion(db, "journal"), 2);
      assert.equal(schemaVersion(db, "chains"), 1);
      assert.equal(schemaVersion(db, "network:hoodi"), 1);
    } finally {
      db.close();
    }
  });

  it("runs migrations once: reopening keeps the data and the versions", () => {
    const file = freshFile();
    const key = publicKey();
    let store = open(file);
    store.addNetworkValidators([{ publicKey: key, blockNumber: 5 }], 10);
    store.close();
    for (let i = 0; i < 3; i++) {
      store = open(file);
      assert.ok(store.hasNetworkValidator(key));
      assert.equal(store.checkpoint(CHECKPOINT_NETWORK_VALIDATORS), 10);
      store.close();
    }
    // Another network on the same file gets its own tables.
    store = open(file, { network: "mainnet" });
    assert.equal(store.networkValidatorCount(), 0);
    store.close();
    const db = new DatabaseSync(file, { readOnly: true });
    assert.equal(schemaVersion(db, "network:mainnet"), 1);
    assert.equal(schemaVersion(db, "journal"), 2);
    db.close();
  });

  it("moves a version 1 registration journal into the transaction journal, ids, statuses and keys kept", () => {
    const file = freshFile();
    open(file, { lock: false }).close(); // creates the dir
    rmSync(file);
    const [a, b, c] = [publicKey(), publicKey(), publicKey()];
    const hash = txHash();
    // The journal exactly as version 1 of this schema left it: an open and a mined registration.
    const db = new DatabaseSync(file);
    db.exec(`
      CREATE TABLE schema_migrations (scope TEXT PRIMARY KEY, version INTEGER NOT NULL);
      INSERT INTO schema_migrations VALUES ('journal', 1);
      CREATE TABLE registrations (id INTEGER PRIMARY KEY, vault TEXT NOT NULL, network TEXT NOT NULL,
        public_keys TEXT NOT NULL, first_deposit_index INTEGER, tx_hash TEXT NOT NULL, raw_tx TEXT NOT NULL,
        nonce INTEGER NOT NULL, status TEXT NOT NULL CHECK (status IN ('signed', 'sent', 'mined', 'failed', 'dropped')),
        created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);
      CREATE INDEX registrations_open ON registrations (vault, network, status);
      CREATE TABLE registration_keys (public_key TEXT NOT NULL,
        registration_id INTEGER NOT NULL REFERENCES registrations (id),
        PRIMARY KEY (public_key, registration_id)) WITHOUT ROWID;
    `);
    const insert = db.prepare(
      "INSERT INTO registrations VALUES (?, ?, 'hoodi', ?, ?, ?, '0x01', ?, ?, 1000, 2000)",
    );
    insert.run(4, VAULT, JSON.stringify([a, b]), 10, hash, 7, "mined");
    insert.run(9, VAULT, JSON.stringify([c]), 12, hash, 8, "sent");
    const key = db.prepare("INSERT INTO registration_keys VALUES (?, ?)");
    for (const [k, id] of [
      [a, 4],
      [b, 4],
      [c, 9],
    ] as const)
      key.run(k, id);
    db.close();

    const store = open(file);
    try {
      assert.deepEqual(
        store.openTransactions().map((e) => [e.id, e.kind, e.publicKeys, e.status, e.nonce]),
        [[9, "registration", [c], "sent", 8]],
      );
      assert.equal(store.transactionFor(a)?.id, 4);
      assert.equal(store.transactionFor(b)?.status, "mined");
      // The moved keys still hold: no second live registration for them.
      assert.throws(() => store.recordSignedTransaction(signed([b])), RegistrationConflictError);
      const next = store.recordSignedTransaction({
        kind: "harvest",
        txHash: txHash(),
        rawTx: "0x02",
        nonce: 9,
      });
      assert.equal(next.id, 10);
      assert.deepEqual(next.publicKeys, []);
    } finally {
      store.close();
    }
  });

  it("adopts a database written by the Python operator, migrating its old checkpoints layout", () => {
    const file = freshFile();
    StateStore.open({ file, network: "hoodi", vault: VAULT, lock: false }).close(); // creates the dir
    rmSync(file);
    const db = new DatabaseSync(file);
    const key = publicKey();
    db.exec(`
      CREATE TABLE hoodi_network_validators (public_key VARCHAR(98) UNIQUE NOT NULL, block_number INTEGER NOT NULL);
      CREATE TABLE hoodi_checkpoints (checkpoint_validators INTEGER NOT NULL);
      INSERT INTO hoodi_checkpoints VALUES (1234);
    `);
    db.prepare("INSERT INTO hoodi_network_validators VALUES (?, 77)").run(key);
    db.close();

    const store = open(file);
    try {
      assert.ok(store.hasNetworkValidator(key));
      assert.equal(store.lastNetworkValidatorBlock(), 77);
      assert.equal(store.checkpoint(CHECKPOINT_VAULT_VALIDATORS), 1234);
      assert.equal(store.addNetworkValidators([{ publicKey: key, blockNumber: 90 }], 100), 0);
    } finally {
      store.close();
    }
  });

  it("refuses a schema newer than it knows, and tables with a foreign layout", () => {
    const file = freshFile();
    open(file).close();
    let db = new DatabaseSync(file);
    db.exec("UPDATE schema_migrations SET version = 99 WHERE scope = 'journal'");
    db.close();
    assert.throws(
      () => open(file),
      (error: unknown) => {
        assert.ok(error instanceof StateStoreError);
        assert.match(
          error.message,
          /schema version 99 for journal, newer than this vault-operator knows \(2\): upgrade/,
        );
        return true;
      },
    );

    const file2 = freshFile();
    open(file2, { lock: false }).close();
    rmSync(file2);
    db = new DatabaseSync(file2);
    db.exec("CREATE TABLE hoodi_checkpoints (label TEXT, height INTEGER)");
    db.close();
    assert.throws(
      () => open(file2),
      /table hoodi_checkpoints has an unexpected layout \(no name, block column\)/,
    );
  });

  it("refuses a network name that cannot name a table", () => {
    assert.throws(() => open(freshFile(), { network: "hoodi; DROP TABLE x" }), /cannot name a table/);
  });
});

describe("StateStore chain", () => {
  const chain = { chainId: 31337, genesisHash: `0x${"ab".repeat(32)}` };

  it("records the chain of a network's state and reopens on the same chain", () => {
    const file = freshFile();
    open(file, { chain }).close();
    const store = open(file, {
      chain: { ...chain, genesisHash: chain.genesisHash.toUpperCase().replace("0X", "0x") },
    });
    const key = publicKey();
    store.addNetworkValidators([{ publicKey: key, blockNumber: 5 }], 9);
    store.close();
    // Read-only tools that do not know the chain still open it, and see what was written.
    const reader = open(file, { lock: false });
    assert.ok(reader.hasNetworkValidator(key));
    assert.equal(reader.lastNetworkValidatorBlock(), 5);
    reader.close();
  });

  it("refuses state made on another chain with the same chain id (a restarted devnet), in one line with the fix", () => {
    const file = freshFile();
    open(file, { chain }).close();
    assert.throws(
      () => open(file, { chain: { ...chain, genesisHash: `0x${"cd".repeat(32)}` } }),
      (error: unknown) => {
        assert.ok(error instanceof StateStoreChainError);
        assert.match(
          error.message,
          /holds the state of another hoodi chain \(chain id 31337, genesis block 0xabab/,
        );
        assert.match(error.message, /delete .*operator\.db and start again/);
        assert.doesNotMatch(error.message, /\n/);
        return true;
      },
    );
    assert.throws(() => open(file, { chain: { ...chain, chainId: 1 } }), StateStoreChainError);
    // The refusal released the lock: the right chain still opens.
    open(file, { chain }).close();
  });

  it("keeps each network's chain apart in a shared database", () => {
    const file = freshFile();
    open(file, { chain }).close();
    StateStore.open({
      file,
      network: "mainnet",
      vault: VAULT,
      chain: { chainId: 1, genesisHash: `0x${"01".repeat(32)}` },
    }).close();
    // Each network still opens on its own chain, and only on it.
    assert.doesNotThrow(() => open(file, { chain }).close());
    assert.throws(
      () => open(file, { chain: { chainId: 1, genesisHash: `0x${"01".repeat(32)}` } }),
      StateStoreChainError,
    );
  });
});

describe("StateStore network validators", () => {
  it("stores 100,000 validators with the checkpoint in one transaction", () => {
    const store = open(freshFile());
    try {
      const rows = Array.from({ length: 100_000 }, (_, i) => ({
        publicKey: publicKey(),
        blockNumber: 1000 + i,
      }));
      const started = performance.now();
      const inserted = store.addNetworkValidators(rows, 200_000);
      const ms = performance.now() - started;
      console.log(`state store: 100000 network validators inserted in ${ms.toFixed(0)} ms`);
      assert.equal(inserted, 100_000);
      assert.equal(store.networkValidatorCount(), 100_000);
      assert.equal(store.checkpoint(CHECKPOINT_NETWORK_VALIDATORS), 200_000);
      assert.equal(store.lastNetworkValidatorBlock(), 100_999);
      const sample = rows[54_321] as { publicKey: string };
      assert.ok(store.hasNetworkValidator(sample.publicKey));
      assert.ok(store.hasNetworkValidator(sample.publicKey.slice(2).toUpperCase()));
      assert.ok(store.hasNetworkValidator(Buffer.from(sample.publicKey.slice(2), "hex")));
      assert.ok(!store.hasNetworkValidator(publicKey()));
    } finally {
      store.close();
    }
  });

  it("keeps the first block of a known key and never moves the checkpoint back", () => {
    const store = open(freshFile());
    try {
      const key = publicKey();
      assert.equal(store.addNetworkValidators([{ publicKey: key, blockNumber: 5 }], 50), 1);
      assert.equal(
        store.addNetworkValidators(
          [{ publicKey: key.toUpperCase().replace("0X", "0x"), blockNumber: 9 }],
          40,
        ),
        0,
      );
      assert.equal(store.lastNetworkValidatorBlock(), 5);
      assert.equal(store.checkpoint(CHECKPOINT_NETWORK_VALIDATORS), 50);
      store.setCheckpoint(CHECKPOINT_NETWORK_VALIDATORS, 10);
      assert.equal(store.checkpoint(CHECKPOINT_NETWORK_VALIDATORS), 10);
      assert.equal(store.checkpoint("unknown"), undefined);
    } finally {
      store.close();
    }
  });

  it("rejects malformed rows before writing anything", () => {
    const store = open(freshFile());
    try {
      assert.throws(
        () =>
          store.addNetworkValidators(
            [
              { publicKey: publicKey(), blockNumber: 1 },
              { publicKey: "0x12", blockNumber: 2 },
            ],
            3,
          ),
        /is not a 48-byte hex public key/,
      );
      assert.throws(
        () => store.addNetworkValidators([{ publicKey: publicKey(), blockNumber: -1 }], 3),
        /block number -1/,
      );
      assert.equal(store.networkValidatorCount(), 0);
      assert.equal(store.checkpoint(CHECKPOINT_NETWORK_VALIDATORS), undefined);
    } finally {
      store.close();
    }
  });
});

describe("StateStore registration journal", () => {
  it("journals a signed registration and follows it to mined", () => {
    let now = 1_700_000_000_000;
    const store = open(freshFile(), { now: () => now });
    try {
      const keys = [publicKey(), publicKey()];
      const input = signed(keys.map((k) => k.toUpperCase().replace("0X", "0x")));
      const registration = store.recordSignedTransaction(input);
      assert.deepEqual(registration, {
        id: registration.id,
        kind: "registration",
        publicKeys: keys,
        firstDepositIndex: 100,
        txHash: input.txHash,
        rawTx: "0x02f8b00102",
        nonce: 7,
        status: "signed",
        createdAt: new Date(now),
        updatedAt: new Date(now),
      });
      assert.deepEqual(store.openTransactions(), [registration]);
      assert.equal(store.transactionFor(keys[1] as string)?.id, registration.id);

      now += 1000;
      store.markSent(registration.id);
      store.markSent(registration.id); // the same status again is a no-op
      assert.equal(store.openTransactions()[0]?.status, "sent");
      store.markMined(registration.id);
      assert.deepEqual(store.openTransactions(), []);
      const mined = store.transactionFor(keys[0] as string);
      assert.equal(mined?.status, "mined");
      assert.deepEqual(mined?.updatedAt, new Date(now));
      assert.equal(store.transactionFor(publicKey()), undefined);
    } finally {
      store.close();
    }
  });

  it("never lets a key into a second live registration", () => {
    const store = open(freshFile());
    try {
      const [a, b, c] = [publicKey(), publicKey(), publicKey()];
      const first = store.recordSignedTransaction(signed([a, b]));
      assert.throws(
        () => store.recordSignedTransaction(signed([c, b])),
        (error: unknown) => {
          assert.ok(error instanceof RegistrationConflictError);
          assert.equal(error.publicKey, b);
          assert.equal(error.registrationId, first.id);
          assert.match(error.message, /is already in registration \d+ \(signed\): settle that one first/);
          return true;
        },
      );
      assert.equal(store.transactionFor(c), undefined, "a refused registration leaves nothing behind");
      store.markSent(first.id);
      assert.throws(() => store.recordSignedTransaction(signed([a])), RegistrationConflictError);
      store.markMined(first.id);
      assert.throws(() => store.recordSignedTransaction(signed([a])), /\(mined\)/);

      // Keys of failed or dropped transactions may be registered again.
      const failed = store.recordSignedTransaction(signed([c]));
      store.markFailed(failed.id);
      const dropped = store.recordSignedTransaction(signed([c]));
      store.markDropped(dropped.id);
      const retry = store.recordSignedTransaction(signed([c]));
      assert.equal(store.transactionFor(c)?.id, retry.id);
    } finally {
      store.close();
    }
  });

  it("frees an SSV key after a mined removal, so a migrated validator registers again", () => {
    const store = open(freshFile());
    try {
      const key = publicKey();
      const ssv = (kind: "ssv-register" | "ssv-remove") => ({ ...signed([key]), kind });
      const first = store.recordSignedTransaction(ssv("ssv-register"));
      store.markMined(first.id);
      assert.throws(() => store.recordSignedTransaction(ssv("ssv-register")), RegistrationConflictError);
      const removal = store.recordSignedTransaction(ssv("ssv-remove"));
      store.markMined(removal.id);
      const again = store.recordSignedTransaction(ssv("ssv-register"));
      assert.equal(store.transactionFor(key)?.id, again.id);
      assert.throws(() => store.recordSignedTransaction(ssv("ssv-register")), RegistrationConflictError);
    } finally {
      store.close();
    }
  });

  it("allows only forward status changes", () => {
    const store = open(freshFile());
    try {
      const reg = store.recordSignedTransaction(signed([publicKey()]));
      store.markMined(reg.id); // signed → mined: a crash between broadcast and markSent
      assert.throws(
        () => store.markFailed(reg.id),
        (error: unknown) => {
          assert.ok(error instanceof JournalStateError);
          assert.equal(error.message, `transaction ${reg.id} is mined; it cannot become failed`);
          return true;
        },
      );
      assert.throws(() => store.markSent(reg.id), /is mined; it cannot become sent/);

      const dropped = store.recordSignedTransaction(signed([publicKey()]));
      store.markDropped(dropped.id);
      assert.throws(() => store.markSent(dropped.id), /is dropped; it cannot become sent/);
      store.markMined(dropped.id); // seen on chain after all: the chain wins
      assert.equal(store.transaction(dropped.id)?.status, "mined");

      assert.throws(() => store.markSent(9999), /no transaction 9999 for vault/);
    } finally {
      store.close();
    }
  });

  it("validates what it journals", () => {
    const store = open(freshFile());
    try {
      const key = publicKey();
      assert.throws(() => store.recordSignedTransaction(signed([])), /needs public keys/);
      assert.throws(
        () => store.recordSignedTransaction(signed([key, key.slice(2)])),
        /same public key twice/,
      );
      assert.throws(
        () => store.recordSignedTransaction({ ...signed([key]), txHash: "0x12" }),
        /txHash must be 0x-prefixed hex of 32 bytes/,
      );
      assert.throws(
        () => store.recordSignedTransaction({ ...signed([key]), rawTx: "02f8" }),
        /rawTx must be 0x-prefixed hex/,
      );
      assert.throws(() => store.recordSignedTransaction(signed([key], -1)), /nonce -1/);
      const { firstDepositIndex: _omit, ...withoutIndex } = signed([key]);
      assert.equal(store.recordSignedTransaction(withoutIndex).firstDepositIndex, undefined);
    } finally {
      store.close();
    }
  });

  it("keeps each vault's journal apart in a shared database", () => {
    const file = freshFile();
    const mine = open(file);
    const key = publicKey();
    const reg = mine.recordSignedTransaction(signed([key]));
    mine.close();
    const other = open(file, { vault: OTHER_VAULT });
    try {
      assert.deepEqual(other.openTransactions(), []);
      assert.equal(other.transactionFor(key), undefined);
      assert.throws(() => other.markMined(reg.id), /no transaction/);
      other.recordSignedTransaction(signed([key]));
    } finally {
      other.close();
    }
  });

  it("survives close and reopen", () => {
    const file = freshFile();
    let store = open(file);
    const a = store.recordSignedTransaction(signed([publicKey()]));
    const b = store.recordSignedTransaction(signed([publicKey()]));
    store.markSent(b.id);
    store.close();
    store.close(); // idempotent
    store = open(file, { vault: VAULT.toUpperCase().replace("0X", "0x") });
    try {
      assert.deepEqual(
        store.openTransactions().map((r) => [r.id, r.status, r.txHash]),
        [
          [a.id, "signed", a.txHash],
          [b.id, "sent", b.txHash],
        ],
      );
    } finally {
      store.close();
    }
  });

  it("keeps a journal entry of a process killed with SIGKILL right after recording it", async () => {
    const file = freshFile();
    open(file).close();
    const key = publicKey();
    const { process: proc, output } = await child(`
      import { StateStore } from ${JSON.stringify(STATE_STORE_URL)};
      const store = StateStore.open({ file: ${JSON.stringify(file)}, network: "hoodi", vault: ${JSON.stringify(VAULT)} });
      const reg = store.recordSignedTransaction({ kind: "registration", publicKeys: [${JSON.stringify(key)}], txHash: "0x${"ab".repeat(32)}", rawTx: "0x01", nonce: 3 });
      console.log("id=" + reg.id + " ready");
      setInterval(() => {}, 1000);
    `);
    proc.kill("SIGKILL");
    await exited(proc);
    const id = Number(/id=(\d+)/.exec(output())?.[1]);

    // The killed process's lock is gone and its entry is there.
    const store = open(file);
    try {
      const open_ = store.openTransactions();
      assert.equal(open_.length, 1);
      assert.equal(open_[0]?.id, id);
      assert.deepEqual(open_[0]?.publicKeys, [key]);
      assert.equal(open_[0]?.status, "signed");
    } finally {
      store.close();
    }
  });
});

describe("StateStore concurrency", () => {
  it("lets one locked instance run at a time, in this process or another", async () => {
    const file = freshFile();
    const first = open(file);
    try {
      assert.throws(
        () => open(file),
        (error: unknown) => {
          assert.ok(error instanceof StateStoreLockedError);
          assert.match(error.message, /another operator process is using .*operator\.db/);
          assert.equal(error.retryable, true);
          return true;
        },
      );
      const { process: proc, output } = await child(`
        import { StateStore } from ${JSON.stringify(STATE_STORE_URL)};
        try {
          StateStore.open({ file: ${JSON.stringify(file)}, network: "hoodi", vault: ${JSON.stringify(VAULT)} });
          console.log("opened ready");
        } catch (error) { console.log(error.name + " ready"); }
      `);
      await exited(proc);
      assert.match(output(), /StateStoreLockedError/);

      // A read-only tool opens without the lock and sees the live data.
      const reader = open(file, { lock: false });
      const reg = first.recordSignedTransaction(signed([publicKey()]));
      assert.equal(reader.openTransactions()[0]?.id, reg.id);
      reader.close();
    } finally {
      first.close();
    }
    open(file).close(); // released on close
  });

  it("waits for another connection's write (busy timeout), or fails as retryable", async () => {
    const file = freshFile();
    open(file).close();
    const holdWrite = (ms: number) =>
      child(`
        import { DatabaseSync } from "node:sqlite";
        const db = new DatabaseSync(${JSON.stringify(file)});
        db.exec("BEGIN IMMEDIATE");
        console.log("ready");
        setTimeout(() => { db.exec("COMMIT"); db.close(); }, ${ms});
      `);

    const patient = open(file, { lock: false, busyTimeoutMs: 5000 });
    let holder = await holdWrite(300);
    const started = performance.now();
    patient.setCheckpoint("x", 1);
    assert.ok(performance.now() - started >= 100, "it waited for the other writer");
    assert.equal(patient.checkpoint("x"), 1);
    patient.close();
    await exited(holder.process);

    const impatient = open(file, { lock: false, busyTimeoutMs: 50 });
    holder = await holdWrite(2000);
    try {
      // Opening an up-to-date database only reads: it does not wait for the writer.
      const reader = open(file, { lock: false, busyTimeoutMs: 50 });
      assert.equal(reader.checkpoint("x"), 1);
      reader.close();

      assert.throws(
        () => impatient.setCheckpoint("x", 2),
        (error: unknown) => {
          assert.ok(error instanceof StateStoreError);
          assert.match(error.message, /cannot write .*operator\.db: database is locked/);
          assert.equal(error.retryable, true);
          return true;
        },
      );
    } finally {
      impatient.close();
      holder.process.kill("SIGKILL");
      await exited(holder.process);
    }
  });
});
