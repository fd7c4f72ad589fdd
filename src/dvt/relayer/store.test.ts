import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { RELAYER_TEST_DB_URL, temporarySchema } from "../../../test/support/relayer-postgres.ts";
import { openPostgresRelayerStore } from "./postgres-store.ts";
import type { OracleExitShares, SignatureKind, StoredShare, ValidatorRequest } from "./records.ts";
import { openSqliteRelayerStore } from "./sqlite-store.ts";
import type { RelayerStore } from "./store.ts";

const KEY = `0x${"ab".repeat(48)}` as const;
const OTHER = `0x${"cd".repeat(48)}` as const;
const SIG = (n: number) => `0x${n.toString(16).padStart(2, "0").repeat(96)}` as const;
const request = (over: Partial<ValidatorRequest> = {}): ValidatorRequest => ({
  publicKey: KEY,
  vault: "0x00000000000000000000000000000000000000aa",
  amountGwei: 32_000_000_000,
  validatorType: "0x01",
  validatorIndex: 100,
  createdAt: 1_700_000_000,
  ...over,
});

/** The same contract for both stores; `reopen` closes the store and opens it again on the same data. */
function storeContract(name: string, open: () => Promise<RelayerStore>) {
  /** One share through the batch call. */
  const addShare = async (
    store: RelayerStore,
    publicKey: `0x${string}`,
    kind: SignatureKind,
    share: StoredShare,
    receivedAt: number,
  ) => (await store.addShares([{ publicKey, kind, share }], receivedAt))[0];

  /** One signature through the batch call. */
  const setSignature = async (
    store: RelayerStore,
    publicKey: `0x${string}`,
    validatorIndex: number,
    kind: SignatureKind,
    signature: `0x${string}`,
    oracleExitShares?: OracleExitShares,
  ) =>
    (
      await store.setSignatures([
        { publicKey, validatorIndex, kind, signature, ...(oracleExitShares ? { oracleExitShares } : {}) },
      ])
    )[0];

  describe(`${name} relayer store`, () => {
    let store: RelayerStore;
    before(async () => {
      store = await open();
    });
    after(async () => {
      await store.close();
    });

    it("creates, keeps (same index) and resets (another index) a validator", async () => {
      assert.equal(await store.putValidator(request()), "created");
      assert.equal(await addShare(store, KEY, "exit", { shareIndex: 1n, signature: SIG(1) }, 1), true);
      assert.equal(await store.putValidator(request({ amountGwei: 1 })), "kept");
      assert.deepEqual((await store.validator(KEY))?.exitShareIndexes, [1n]);
      assert.equal(await store.putValidator(request({ validatorIndex: 101 })), "reset");
      const record = await store.validator(KEY);
      assert.equal(record?.validatorIndex, 101);
      assert.deepEqual(record?.exitShareIndexes, []);
    });

    it("keeps the first share of an index and lists share indexes per kind", async () => {
      assert.equal(await addShare(store, KEY, "exit", { shareIndex: 7n, signature: SIG(1) }, 1), true);
      assert.equal(await addShare(store, KEY, "exit", { shareIndex: 7n, signature: SIG(2) }, 2), false);
      assert.equal(
        await addShare(store, KEY, "deposit", { shareIndex: 2n ** 40n, signature: SIG(3) }, 2),
        true,
      );
      assert.deepEqual(await store.shares(KEY, "exit"), [{ shareIndex: 7n, signature: SIG(1) }]);
      const record = await store.validator(KEY);
      assert.deepEqual(record?.depositShareIndexes, [2n ** 40n]);
      assert.equal(await addShare(store, OTHER, "exit", { shareIndex: 1n, signature: SIG(1) }, 1), false);
    });

    it("stores a signature only for the index it was recovered for", async () => {
      const shares = { publicKeys: [KEY], encryptedExitSignatures: [SIG(9)] };
      assert.equal(await setSignature(store, KEY, 100, "exit", SIG(5), shares), false);
      assert.equal(await setSignature(store, KEY, 101, "exit", SIG(5), shares), true);
      assert.equal(await setSignature(store, KEY, 101, "deposit", SIG(6)), true);
      const record = await store.validator(KEY);
      assert.equal(record?.exitSignature, SIG(5));
      assert.equal(record?.depositSignature, SIG(6));
      assert.deepEqual(record?.oracleExitShares, shares);
    });

    it("keeps a validator's public key shares: the first per index, none for an unknown validator", async () => {
      const PK = (n: number) => `0x${n.toString(16).padStart(2, "0").repeat(48)}` as const;
      await store.putPublicKeyShares(KEY, [
        { shareIndex: 2n ** 33n + 5n, publicKeyShare: PK(2) },
        { shareIndex: 17n, publicKeyShare: PK(1) },
      ]);
      await store.putPublicKeyShares(KEY, [{ shareIndex: 17n, publicKeyShare: PK(3) }]);
      await store.putPublicKeyShares(OTHER, [{ shareIndex: 1n, publicKeyShare: PK(1) }]);
      assert.deepEqual(await store.publicKeyShares(KEY), [
        { shareIndex: 17n, publicKeyShare: PK(1) },
        { shareIndex: 2n ** 33n + 5n, publicKeyShare: PK(2) },
      ]);
      assert.deepEqual(await store.publicKeyShares(OTHER), []);
    });

    it("keeps everything across a reopen", async () => {
      await store.close();
      store = await open();
      const [record] = await store.validators();
      assert.equal(record?.publicKey, KEY);
      assert.deepEqual(record?.exitShareIndexes, [7n]);
      assert.equal(record?.exitSignature, SIG(5));
      assert.equal((await store.publicKeyShares(KEY)).length, 2);
    });

    it("stores a batch in one call and says which items were stored", async () => {
      const stored = await store.addShares(
        [
          { publicKey: KEY, kind: "exit", share: { shareIndex: 8n, signature: SIG(1) } },
          { publicKey: OTHER, kind: "exit", share: { shareIndex: 8n, signature: SIG(1) } },
          { publicKey: KEY, kind: "exit", share: { shareIndex: 7n, signature: SIG(3) } },
        ],
        3,
      );
      assert.deepEqual(
        stored,
        [true, false, false],
        "unknown key and a second share for index 7 are skipped",
      );
      const signatures = await store.setSignatures([
        { publicKey: OTHER, validatorIndex: 101, kind: "exit", signature: SIG(7) },
        { publicKey: KEY, validatorIndex: 101, kind: "deposit", signature: SIG(6) },
      ]);
      assert.deepEqual(signatures, [false, true]);
    });

    it("records registered keys with their checkpoint and deletes old records", async () => {
      assert.equal(await store.checkpoint("deposits"), undefined);
      await store.addRegisteredKeys(
        [OTHER.toUpperCase().replace("0X", "0x") as `0x${string}`],
        "deposit",
        55n,
        "deposits",
      );
      assert.equal(await store.checkpoint("deposits"), 55n);
      assert.deepEqual([...(await store.registeredKeys())], [OTHER]);
      await store.putValidator(request({ publicKey: OTHER, createdAt: 2_000_000_000 }));
      assert.equal(await store.deleteValidatorsBefore(1_800_000_000), 1);
      assert.deepEqual(
        (await store.validators()).map((v) => v.publicKey),
        [OTHER],
      );
      assert.deepEqual(await store.shares(KEY, "exit"), []);
      assert.deepEqual(await store.publicKeyShares(KEY), [], "deleted with the validator");
    });
  });
}

const dir = mkdtempSync(join(tmpdir(), "relayer-store-"));
after(() => rmSync(dir, { recursive: true, force: true }));
storeContract("SQLite", async () =>
  openSqliteRelayerStore({ file: join(dir, "relayer.db"), network: "hoodi" }),
);

describe("SQLite relayer store, network", () => {
  it("refuses a file made for another network", async () => {
    const file = join(dir, "other.db");
    await openSqliteRelayerStore({ file, network: "hoodi" }).close();
    assert.throws(() => openSqliteRelayerStore({ file, network: "mainnet" }), /network hoodi, not mainnet/);
  });
});

const schema = await temporarySchema();
after(() => schema.drop());
storeContract("PostgreSQL", () =>
  openPostgresRelayerStore({ url: RELAYER_TEST_DB_URL, network: "hoodi", schema: schema.schema }),
);
