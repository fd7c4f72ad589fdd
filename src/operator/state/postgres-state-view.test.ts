import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import postgres from "postgres";
import { temporaryDatabase } from "../../../test/support/operator-postgres.ts";
import type { StoreBinding } from "./postgres-binding.ts";
import { openPostgresStateStore } from "./postgres-state-store.ts";
import { openPostgresStateView } from "./postgres-state-view.ts";
import { CHECKPOINT_NETWORK_VALIDATORS } from "./state-store.ts";

const VAULT = `0x${"ab".repeat(20)}` as const;
const CHAIN = { chainId: 31337, genesisHash: `0x${"01".repeat(32)}` };
const binding: StoreBinding = { vault: VAULT, network: "devnet", ...CHAIN };
const key = (n: number) => `0x${n.toString(16).padStart(2, "0").repeat(48)}`;
const hash = (n: number) => `0x${n.toString(16).padStart(2, "0").repeat(32)}` as `0x${string}`;
const viewOf = (url: string, vault: string = VAULT) =>
  openPostgresStateView({ url, network: "devnet", vault, chain: CHAIN, connectTimeoutSeconds: 2 });

/** One value read with a client of its own, not through the code under test. */
async function readOne(url: string, query: string): Promise<unknown> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const [row] = await sql.unsafe(query);
    return row ? Object.values(row)[0] : undefined;
  } finally {
    await sql.end({ timeout: 1 });
  }
}

describe("the --db-url state as status and start --dry-run read it", () => {
  let db: Awaited<ReturnType<typeof temporaryDatabase>>;
  before(async () => {
    db = await temporaryDatabase();
  });
  after(async () => {
    await db?.drop();
  });

  it("reads a database no service has used as empty, says so, and creates no table", async () => {
    const view = await viewOf(db.url);
    assert.match(view.note ?? "", /holds no operator state yet/);
    assert.doesNotMatch(view.description, /s3cret/);
    assert.equal(await view.networkValidatorCount(), 0);
    assert.deepEqual(await view.openTransactions(), []);
    assert.equal(await view.addNetworkValidators([{ publicKey: key(9), blockNumber: 4 }], 8), 1);
    assert.equal(await view.checkpoint(CHECKPOINT_NETWORK_VALIDATORS), 8);
    await view.close();
    assert.equal(await readOne(db.url, "SELECT to_regclass('operator_meta')::text"), null);
  });

  it("reads what the service stored, keeps what the scan adds in memory, and writes nothing", async () => {
    const store = await openPostgresStateStore({ url: db.url, binding });
    try {
      await store.addNetworkValidators([{ publicKey: key(1), blockNumber: 3 }], 20);
      const id = await store.journal.recordSigned({
        kind: "registration",
        publicKeys: [key(2)],
        txHash: hash(1),
        rawTx: "0x02aa",
        nonce: 5,
      });
      await store.journal.markSent(id);

      const view = await viewOf(db.url);
      assert.equal(view.note, undefined);
      assert.equal(await view.checkpoint(CHECKPOINT_NETWORK_VALIDATORS), 20);
      assert.deepEqual([...(await view.networkValidatorsAmong([key(1), key(3)]))], [key(1)]);
      assert.deepEqual(
        (await view.openTransactions()).map((t) => [t.id, t.status, t.nonce, t.publicKeys]),
        [[id, "sent", 5, [key(2)]]],
      );
      assert.equal((await view.lastTransaction())?.txHash, hash(1));
      assert.equal(await view.transactionCount(), 1);
      // Known keys are skipped; the new one and the checkpoint live in memory only.
      assert.equal(
        await view.addNetworkValidators(
          [
            { publicKey: key(1), blockNumber: 3 },
            { publicKey: key(3), blockNumber: 25 },
          ],
          30,
        ),
        1,
      );
      assert.equal(await view.networkValidatorCount(), 2);
      assert.equal((await view.networkValidatorsAmong([key(3)])).has(key(3)), true);
      assert.equal(await view.checkpoint(CHECKPOINT_NETWORK_VALIDATORS), 30);
      await view.close();
      assert.equal(await readOne(db.url, "SELECT COUNT(*)::int FROM operator_network_validators"), 1);
      assert.equal(await readOne(db.url, "SELECT MAX(block)::int FROM operator_checkpoints"), 20);
    } finally {
      await store.close();
    }
  });

  it("reads a database of another vault as empty, and says whose it is", async () => {
    const view = await viewOf(db.url, `0x${"cd".repeat(20)}`);
    assert.match(view.note ?? "", new RegExp(`not read: .*holds the state of vault ${VAULT}`));
    assert.equal(await view.transactionCount(), 0);
    await view.close();
  });

  it("reads an unreachable database as empty, and says it could not reach it", async () => {
    const url = "postgresql://operator:s3cret@127.0.0.1:9/nothing";
    const view = await viewOf(url);
    assert.match(view.note ?? "", /not read: cannot reach it/);
    assert.doesNotMatch(`${view.description} ${view.note}`, /s3cret/);
    assert.equal(await view.networkValidatorCount(), 0);
    await view.close();
  });
});
