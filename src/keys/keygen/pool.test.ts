import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { deriveValidatorKey } from "../../crypto/bls-keys.ts";
import { decryptKeystore, type KdfParams, type Keystore } from "../../crypto/keystore.ts";
import { mnemonicToSeed } from "../../crypto/mnemonic.ts";
import { InterruptedError, OperatorError } from "../../lib/errors.ts";
import { toHex } from "../../lib/hex.ts";
import { buildDepositDatum } from "../deposit-datum.ts";
import { vaultWithdrawalCredentials } from "../withdrawal-credentials.ts";
import { type GeneratedKey, type GenerateKeysParameters, generateKeys, type KeygenStage } from "./pool.ts";

const MNEMONIC = "legal winner thank year wave sausage worth useful legal winner thank yellow";
const VAULT = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed";
const CHEAP_KDF: KdfParams = { function: "scrypt", n: 1024, r: 8, p: 1 };
const HOODI_FORK = Uint8Array.of(0x10, 0x00, 0x09, 0x10);
const seed = mnemonicToSeed(MNEMONIC);
const passwordFor = (index: number) => `password-of-key-${index}`;

function params(overrides: Partial<GenerateKeysParameters> = {}): GenerateKeysParameters {
  return {
    seed,
    withdrawalCredentials: vaultWithdrawalCredentials(VAULT),
    amountGwei: 32_000_000_000,
    genesisForkVersion: HOODI_FORK,
    networkName: "hoodi",
    kdf: CHEAP_KDF,
    fromIndex: 0,
    count: 1,
    concurrency: 2,
    passwordFor,
    onKey: () => Promise.resolve(),
    ...overrides,
  };
}

/** Threads of this process (Linux only): each live worker is one more. */
function threadCount(): number | undefined {
  try {
    const match = /^Threads:\s+(\d+)$/m.exec(readFileSync("/proc/self/status", "utf8"));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("generateKeys", () => {
  it("generates every index once, with the right keys, deposits and keystores", async () => {
    const fromIndex = 3;
    const count = 4;
    const keys: GeneratedKey[] = [];
    const stages: KeygenStage[] = [];
    const asked: number[] = [];
    let running = 0;
    let overlapped = false;
    await generateKeys(
      params({
        fromIndex,
        count,
        onKey: async (key) => {
          running++;
          if (running > 1) overlapped = true;
          await delay(5);
          keys.push(key);
          running--;
        },
        onProgress: (stage) => stages.push(stage),
        passwordFor: (index) => {
          asked.push(index);
          return passwordFor(index);
        },
      }),
    );

    assert.equal(overlapped, false, "onKey calls overlapped");
    assert.deepEqual(
      asked.sort((a, b) => a - b),
      [3, 4, 5, 6],
      "one password per index",
    );
    assert.deepEqual(
      keys.map((k) => k.index).sort((a, b) => a - b),
      [3, 4, 5, 6],
    );
    assert.equal(stages.length, 3 * count);
    for (const stage of ["derived", "deposit", "done"] as const) {
      assert.equal(stages.filter((s) => s === stage).length, count, `stage ${stage}`);
    }

    for (const key of keys) {
      const expected = deriveValidatorKey(seed, key.index);
      assert.equal(key.path, `m/12381/3600/${key.index}/0/0`);
      assert.equal(key.publicKey, toHex(expected.publicKey));
      assert.deepEqual(
        key.depositDatum,
        buildDepositDatum({
          secretKey: expected.secretKey,
          publicKey: expected.publicKey,
          withdrawalCredentials: vaultWithdrawalCredentials(VAULT),
          amountGwei: 32_000_000_000,
          genesisForkVersion: HOODI_FORK,
          networkName: "hoodi",
        }),
      );
      const keystore = JSON.parse(key.keystoreText) as Keystore;
      assert.equal(keystore.pubkey, key.publicKey);
      assert.equal(keystore.path, key.path);
      assert.deepEqual((keystore.crypto.kdf.params as { n: number }).n, 1024);
      const secret = await decryptKeystore(keystore, passwordFor(key.index));
      assert.deepEqual(new Uint8Array(secret), expected.secretKey.toBytes());
      await assert.rejects(decryptKeystore(keystore, "wrong password"));
    }
  });

  it("does nothing for a count of 0", async () => {
    let called = false;
    await generateKeys(
      params({
        count: 0,
        onKey: () => {
          called = true;
          return Promise.resolve();
        },
      }),
    );
    assert.equal(called, false);
  });

  it("rejects with InterruptedError at once when the signal is already aborted", async () => {
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(generateKeys(params({ signal: controller.signal })), InterruptedError);
  });

  it("stops with InterruptedError when aborted mid-run, and stops its workers", async () => {
    const controller = new AbortController();
    const indexes: number[] = [];
    let keysAfterAbort = 0;
    let threadsWhileRunning: number | undefined;
    const run = generateKeys(
      params({
        count: 40,
        signal: controller.signal,
        onKey: (key) => {
          if (controller.signal.aborted) keysAfterAbort++;
          indexes.push(key.index);
          if (indexes.length === 2) {
            threadsWhileRunning = threadCount();
            controller.abort();
          }
          return Promise.resolve();
        },
      }),
    );
    await assert.rejects(run, InterruptedError);
    assert.ok(indexes.length < 40, "the run went on to the end");
    assert.equal(keysAfterAbort, 0);
    await delay(50);
    assert.equal(keysAfterAbort, 0);
    const threadsAfter = threadCount();
    if (threadsWhileRunning !== undefined && threadsAfter !== undefined) {
      // Both worker threads are gone once the promise has settled.
      assert.ok(
        threadsAfter <= threadsWhileRunning - 2,
        `threads while running ${threadsWhileRunning}, after ${threadsAfter}`,
      );
    }
  });

  it("rejects the whole run with the error of a failing onKey", async () => {
    const failure = new Error("disk full");
    let calls = 0;
    await assert.rejects(
      generateKeys(
        params({
          count: 6,
          onKey: () => {
            calls++;
            return Promise.reject(failure);
          },
        }),
      ),
      (error: unknown) => error === failure,
    );
    assert.equal(calls, 1);
  });

  it("reports a worker failure as an OperatorError naming the index", async () => {
    // A seed shorter than EIP-2333's 32-byte minimum makes the derivation fail in the worker.
    await assert.rejects(
      generateKeys(params({ seed: new Uint8Array(8), fromIndex: 7, count: 1, concurrency: 1 })),
      (error: unknown) => {
        assert.ok(error instanceof OperatorError);
        assert.match(error.message, /index 7/);
        return true;
      },
    );
  });
});
