import type { SecretKey } from "@chainsafe/blst";
import { type ExitNetwork, signExit } from "../../crypto/exit-message.ts";
import { depositSigningRoot } from "../deposit-datum.ts";
import type { DepositToSign, Hex } from "./exit-signer.ts";
import { WholeKeySigner } from "./whole-key-signer.ts";

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
export class SecretKeySigner extends WholeKeySigner {
  readonly description: string;
  readonly #store: SecretKeyStore;

  constructor(store: SecretKeyStore, description: string) {
    super();
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

  async signDeposit(publicKey: Hex, deposit: DepositToSign): Promise<Uint8Array> {
    const secretKey = await this.#store.getSecretKey(publicKey);
    const { signingRoot } = depositSigningRoot(
      { publicKey: secretKey.toPublicKey().toBytes(true), ...deposit },
      deposit.genesisForkVersion,
    );
    return secretKey.sign(signingRoot).toBytes(true);
  }

  async close(): Promise<void> {
    await this.#store.close?.();
  }
}
