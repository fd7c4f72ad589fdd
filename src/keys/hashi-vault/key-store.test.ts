import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SecretKey } from "@chainsafe/blst";
import { toPrefixedHex } from "../../lib/hex.ts";
import { DuplicateHashiVaultKeyError } from "./errors.ts";
import { MemoryKeyStore } from "./key-store.ts";

const secretKey = SecretKey.fromKeygen(new Uint8Array(32).fill(3));
const publicKey = toPrefixedHex(secretKey.toPublicKey().toBytes(true));

describe("MemoryKeyStore", () => {
  it("holds keys by lower-case public key and refuses a second copy", async () => {
    const store = new MemoryKeyStore();
    store.add(publicKey, secretKey, "Vault secret a");
    assert.equal(store.size, 1);
    assert.ok(store.has(publicKey.toUpperCase().replace("0X", "0x") as `0x${string}`));
    assert.equal(await store.getSecretKey(publicKey), secretKey);
    assert.equal(store.sourceOf(publicKey), "Vault secret a");
    assert.throws(
      () => store.add(publicKey, secretKey, "Vault secret b"),
      (error: unknown) =>
        error instanceof DuplicateHashiVaultKeyError &&
        error.message.includes("in both Vault secret a and Vault secret b"),
    );
    await store.close();
    assert.equal(store.size, 0);
    await assert.rejects(store.getSecretKey(publicKey), /no key loaded from HashiCorp Vault/);
  });
});
