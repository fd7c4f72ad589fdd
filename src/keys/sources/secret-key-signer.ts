import type { SecretKey } from "@chainsafe/blst";
import { type ExitNetwork, signExit } from "../../crypto/exit-message.ts";
import type { ExitSigner, Hex, OracleExitSignature } from "./exit-signer.ts";

/** A store of validator secret keys: local keystores, or keys loaded from HashiCorp Vault. */
export interface SecretKeyStore {
  readonly size: number;
  has(publicKey: Hex): boolean;
  publicKeys(): Hex[];
  getSecretKey(publicKey: Hex): Promise<SecretKey>;
  /** Makes the keys usable now (decrypts them, so a wrong password fails at startup). */
  verifyPasswords?(publicKeys: readonly Hex[]): Promise<void>;
  close?(): Promise<void>;
}

/** An ExitSigner over secret keys held by this process: it signs the full exit itself. */
export class SecretKeySigner implements ExitSigner {
  readonly description: string;
  readonly #store: SecretKeyStore;

  constructor(store: SecretKeyStore, description: string) {
    this.#store = store;
    this.description = description;
  }

  get size(): number {
    return this.#store.size;
  }

  has(publicKey: Hex): boolean {
    return this.#store.has(publicKey);
  }

  publicKeys(): Hex[] {
    return this.#store.publicKeys();
  }

  async check(publicKeys: readonly Hex[]): Promise<void> {
    const present = publicKeys.filter((key) => this.#store.has(key));
    if (present.length > 0) await this.#store.verifyPasswords?.(present);
  }

  async signExit(publicKey: Hex, validatorIndex: number, network: ExitNetwork): Promise<Uint8Array> {
    const secretKey = await this.#store.getSecretKey(publicKey);
    return signExit(secretKey, network, validatorIndex).toBytes(true);
  }

  async signExitForOracles(
    publicKey: Hex,
    validatorIndex: number,
    network: ExitNetwork,
  ): Promise<OracleExitSignature> {
    return { kind: "full", signature: await this.signExit(publicKey, validatorIndex, network) };
  }

  async close(): Promise<void> {
    await this.#store.close?.();
  }
}
