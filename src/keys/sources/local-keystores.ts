import { SecretKey } from "@chainsafe/blst";
import { OperatorError } from "../../lib/errors.ts";
import { createWorkerKeystoreDecryptor, type KeystoreDecryptor } from "./keystore-decryptor.ts";
import {
  type IndexedKeystore,
  type IndexKeystoresOptions,
  indexKeystores,
  type KeystoreIndex,
  normalizePublicKey,
  type PublicKeyLike,
} from "./keystore-index.ts";

export interface LocalKeystoresOptions extends IndexKeystoresOptions {
  /** Decrypted keys kept in memory (least recently used go first). */
  cacheSize?: number;
  /** Keystores decrypted at once on worker threads (default 1: each scrypt holds 256 MiB). */
  decryptConcurrency?: number;
}

export interface LocalKeystoresDeps {
  /** Defaults to the worker-thread decryptor. */
  decryptor?: KeystoreDecryptor;
}

export const DEFAULT_KEY_CACHE_SIZE = 64;

/**
 * The validator keys of a local keystores dir (spec §1.4). Startup only indexes the files; a
 * secret key is decrypted (scrypt on a worker thread) the first time it is asked for, and the
 * most recently used ones stay cached. A wrong password therefore shows up at the first
 * decryption: call `verifyPasswords` at startup to fail in about a second instead.
 */
export class LocalKeystores {
  readonly #index: KeystoreIndex;
  readonly #decryptor: KeystoreDecryptor;
  readonly #cacheSize: number;
  /** Insertion order is recency order: the first key is the least recently used. */
  readonly #cache = new Map<string, SecretKey>();
  readonly #inFlight = new Map<string, Promise<SecretKey>>();
  #closed = false;

  constructor(index: KeystoreIndex, decryptor: KeystoreDecryptor, cacheSize = DEFAULT_KEY_CACHE_SIZE) {
    if (!Number.isInteger(cacheSize) || cacheSize < 1) {
      throw new OperatorError("the keystore key cache size must be a positive integer");
    }
    this.#index = index;
    this.#decryptor = decryptor;
    this.#cacheSize = cacheSize;
  }

  /** Indexes the keystores dir (no KDF runs) and starts decrypting on demand. */
  static async load(options: LocalKeystoresOptions, deps: LocalKeystoresDeps = {}): Promise<LocalKeystores> {
    const index = await indexKeystores(options);
    const decryptor =
      deps.decryptor ??
      createWorkerKeystoreDecryptor(
        options.decryptConcurrency === undefined ? {} : { concurrency: options.decryptConcurrency },
      );
    return new LocalKeystores(index, decryptor, options.cacheSize);
  }

  get size(): number {
    return this.#index.size;
  }

  has(publicKey: PublicKeyLike): boolean {
    return this.#index.get(publicKey) !== undefined;
  }

  /** 0x-prefixed lower-case public keys, sorted by derivation index. */
  publicKeys(): `0x${string}`[] {
    return this.#index.entries.map((entry) => entry.publicKey);
  }

  /** Where a key lives: its keystore file, password file and derivation index. */
  keystore(publicKey: PublicKeyLike): IndexedKeystore | undefined {
    return this.#index.get(publicKey);
  }

  /** Number of decrypted keys held in memory. */
  get cachedCount(): number {
    return this.#cache.size;
  }

  /**
   * The secret key of `publicKey`, decrypted on a worker thread unless cached. Concurrent calls
   * for one key share one decryption. Throws InvalidKeystorePasswordError on a wrong password.
   */
  getSecretKey(publicKey: PublicKeyLike): Promise<SecretKey> {
    if (this.#closed) return Promise.reject(new OperatorError("the local keystores are closed"));
    const entry = this.#index.get(publicKey);
    if (!entry) {
      const shown = typeof publicKey === "string" ? publicKey : (normalizePublicKey(publicKey) ?? "(bytes)");
      return Promise.reject(
        new OperatorError(`no keystore for public key ${shown}`, {
          details: `${this.size} keystores are loaded`,
        }),
      );
    }
    const key = entry.publicKey;
    const cached = this.#cache.get(key);
    if (cached) {
      this.#cache.delete(key);
      this.#cache.set(key, cached);
      return Promise.resolve(cached);
    }
    const running = this.#inFlight.get(key);
    if (running) return running;

    const decryption = this.#decrypt(entry).finally(() => this.#inFlight.delete(key));
    this.#inFlight.set(key, decryption);
    return decryption;
  }

  /**
   * Starts decrypting keys that will be needed soon (e.g. the next registration batch) and
   * resolves when they are cached. Only the first `cacheSize` of them are taken, since more
   * would evict each other.
   */
  async prefetch(publicKeys: Iterable<PublicKeyLike>): Promise<void> {
    const wanted: PublicKeyLike[] = [];
    for (const publicKey of publicKeys) {
      if (wanted.length >= this.#cacheSize) break;
      wanted.push(publicKey);
    }
    await Promise.all(wanted.map((publicKey) => this.getSecretKey(publicKey)));
  }

  /**
   * Checks that the passwords open the given keystores (default: the first by derivation index;
   * pass the first key in registration order), so that a wrong password fails startup in about a
   * second instead of at the first registration. The decrypted keys stay cached.
   */
  async verifyPasswords(sample?: readonly PublicKeyLike[]): Promise<void> {
    const keys = sample && sample.length > 0 ? sample : this.publicKeys().slice(0, 1);
    await Promise.all(keys.map((publicKey) => this.getSecretKey(publicKey)));
  }

  /** Stops the decryption workers and drops every cached key. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#cache.clear();
    await this.#decryptor.close();
  }

  async #decrypt(entry: IndexedKeystore): Promise<SecretKey> {
    const bytes = await this.#decryptor.decrypt(entry);
    let secretKey: SecretKey;
    try {
      secretKey = SecretKey.fromBytes(bytes);
    } finally {
      bytes.fill(0);
    }
    if (!this.#closed) {
      this.#cache.set(entry.publicKey, secretKey);
      if (this.#cache.size > this.#cacheSize) {
        const oldest = this.#cache.keys().next().value as string;
        this.#cache.delete(oldest);
      }
    }
    return secretKey;
  }
}
