import type { SecretKey } from "@chainsafe/blst";
import { OperatorError } from "../../lib/errors.ts";
import type { Hex } from "../sources/exit-signer.ts";
import type { SecretKeyStore } from "../sources/secret-key-signer.ts";
import { DuplicateHashiVaultKeyError } from "./errors.ts";

/**
 * Validator secret keys held in memory (keys loaded from HashiCorp Vault), each with the Vault
 * path it came from. Adding a public key twice is an error: two copies of one validator key are
 * how a validator gets slashed, so the operator refuses to start rather than pick one.
 */
export class MemoryKeyStore implements SecretKeyStore {
  readonly #keys = new Map<Hex, { secretKey: SecretKey; source: string }>();

  get size(): number {
    return this.#keys.size;
  }

  add(publicKey: Hex, secretKey: SecretKey, source: string): void {
    const key = publicKey.toLowerCase() as Hex;
    const existing = this.#keys.get(key);
    if (existing) {
      const where =
        existing.source === source ? `twice in ${source}` : `in both ${existing.source} and ${source}`;
      throw new DuplicateHashiVaultKeyError(
        `validator public key ${key} is ${where}: keep one copy (a key loaded twice risks slashing)`,
      );
    }
    this.#keys.set(key, { secretKey, source });
  }

  has(publicKey: Hex): boolean {
    return this.#keys.has(publicKey.toLowerCase() as Hex);
  }

  publicKeys(): Hex[] {
    return [...this.#keys.keys()];
  }

  /** The Vault path a key was loaded from. */
  sourceOf(publicKey: Hex): string | undefined {
    return this.#keys.get(publicKey.toLowerCase() as Hex)?.source;
  }

  async getSecretKey(publicKey: Hex): Promise<SecretKey> {
    const entry = this.#keys.get(publicKey.toLowerCase() as Hex);
    if (!entry) {
      throw new OperatorError(`no key loaded from HashiCorp Vault for public key ${publicKey}`, {
        details: `${this.size} keys are loaded`,
      });
    }
    return entry.secretKey;
  }

  /** Drops every key. */
  async close(): Promise<void> {
    this.#keys.clear();
  }
}
