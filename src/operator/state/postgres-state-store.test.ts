import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { temporaryDatabase } from "../../../test/support/operator-postgres.ts";
import { RegistrationConflictError, StateStoreBindingError, StateStoreError } from "./errors.ts";
import type { StoreBinding } from "./postgres-binding.ts";
import { openPostgresStateStore } from "./postgres-state-store.ts";
import type { ServiceStore } from "./service-store.ts";

const VAULT = `0x${"ab".repeat(20)}` as const;
const binding: StoreBinding = {
  vault: VAULT,
  network: "devnet",
  chainId: 31337,
  genesisHash: `0x${"01".repeat(32)}`,
};
const key = (n: number) => `0x${n.toString(16).padStart(2, "0").repeat(48)}`;
const hash = (n: number) => `0x${n.toString(16).padStart(2, "0").repeat(32)}` as `0x${string}`;

describe("PostgreSQL state store (start --db-url)", () => {
  let db: Awaited<ReturnType<typeof temporaryDatabase>>;
  let store: ServiceStore;
  before(async () => {
    db = await temporaryDatabase();
    store = await openPostgresStateStore({ url: db.url, binding });
  });
  after(async () => {
    await store?.close();
    await db?.drop();
  });

  it("journals transactions like operator.db: open ones, transitions, and no key in two live registrations", async () => {
    const journal = store.journal;
    const id = await journal.recordSigned({
      kind: "registration",
      publicKeys: [key(1), key(2)],
      firstDepositIndex: 7,
      txHash: hash(1),
      rawTx: "0x02aa",
      nonce: 3,
    });
    await assert.rejects(
      journal.recordSigned({
        kind: "registration",
        publicKeys: [key(2)],
        txHash: hash(2),
        rawTx: "0x02bb",
        nonce: 4,
      }),
      RegistrationConflictError,
    );
    const open = await journal.openTransactions();
    assert.deepEqual(
      open.map((e) => [e.id, e.kind, e.txHash, e.rawTx, e.nonce]),
      [[id, "registration", hash(1), "0x02aa", 3]],
    );
    await journal.markSent(id);
    await journal.markSent(id); // idempotent
    await journal.markDropped(id);
    await assert.rejects(journal.markFailed(id), /cannot become failed/);
    assert.deepEqual(await journal.openTransactions(), []);
    // Dropped: the keys are free for a new registration.
    const again = await journal.recordSigned({
      kind: "registration",
      publicKeys: [key(2)],
      txHash: hash(3),
      rawTx: "0x02cc",
      nonce: 3,
    });
    await journal.markMined(again);
    assert.deepEqual(await journal.openTransactions(), []);
  });

  it("keeps network validators and the scan checkpoint together", async () => {
    assert.equal(await store.checkpoint("network_validators"), undefined);
    const added = await store.addNetworkValidators(
      [
        { publicKey: key(5), blockNumber: 10 },
        { publicKey: key(6).toUpperCase().replace("0X", "0x"), blockNumber: 11 },
      ],
      20,
    );
    assert.equal(added, 2);
    assert.equal(await store.addNetworkValidators([{ publicKey: key(5), blockNumber: 10 }], 15), 0);
    assert.equal(await store.checkpoint("network_validators"), 20, "the checkpoint never moves back");
    assert.equal(await store.networkValidatorCount(), 2);
    assert.deepEqual([...(await store.networkValidatorsAmong([key(6), key(7)]))], [key(6)]);
  });

  it("binds the database to one vault and chain: another vault or chain is one clear line", async () => {
    const same = await openPostgresStateStore({ url: db.url, binding });
    await same.close();
    await assert.rejects(
      openPostgresStateStore({ url: db.url, binding: { ...binding, vault: `0x${"cd".repeat(20)}` } }),
      (error: unknown) =>
        error instanceof StateStoreBindingError &&
        error.message.includes(`holds the state of vault ${VAULT}, not 0x${"cd".repeat(20)}`) &&
        !error.message.includes("\n"),
    );
    await assert.rejects(
      openPostgresStateStore({ url: db.url, binding: { ...binding, genesisHash: `0x${"02".repeat(32)}` } }),
      (error: unknown) => error instanceof StateStoreBindingError && /another chain/.test(error.message),
    );
  });

  it("an unreachable database fails at open, retryable, without the password", async () => {
    await assert.rejects(
      openPostgresStateStore({
        url: "postgresql://postgres:hunter2secret@127.0.0.1:1/nothing",
        binding,
        connectTimeoutSeconds: 2,
      }),
      (error: unknown) =>
        error instanceof StateStoreError &&
        error.retryable &&
        /cannot open the database/.test(error.message) &&
        !error.message.includes("hunter2secret"),
    );
  });
});
