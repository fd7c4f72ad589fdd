import { type ExitNetwork, exitSigningRoot } from "../../crypto/exit-message.ts";
import { verifySignatureShare } from "../../crypto/shamir.ts";
import { OperatorError } from "../../lib/errors.ts";
import { parseHex } from "../../lib/hex.ts";
import { depositSigningRoot } from "../deposit-datum.ts";
import type { DepositToSign, Hex } from "../sources/exit-signer.ts";
import { normalizePublicKey } from "../sources/keystore-index.ts";
import { WholeKeySigner } from "../sources/whole-key-signer.ts";
import type { SignerApi } from "./signer-api.ts";
import { signerDownError, signerListError, signRequestError } from "./signer-errors.ts";

const LOAD_KEY =
  'load the validator key into the signer (with "operator remote-db setup-web3signer", say), or pass the remote_signer_config.json of its key shares';

/**
 * The ExitSigner over a Web3Signer that holds the whole validator keys, as the Python operator
 * uses it since v1.1.0 (spec §4.3, §7.3) and as the remote-db v1.1+ layout sets it up: the
 * signer signs the validator's full exit, which is verified here; as for local keys
 * (WholeKeySigner), the caller splits that signature into the oracles' shares. The keys it
 * serves are the ones the signer lists (GET /api/v1/eth2/publicKeys, as the Python operator
 * v2.1+ reads them). It also signs deposit messages (deposit data made on the fly), verified the
 * same way.
 */
export class WholeKeyRemoteSigner extends WholeKeySigner {
  readonly description: string;
  readonly #api: SignerApi;
  readonly #keys: ReadonlySet<Hex>;

  private constructor(api: SignerApi, keys: ReadonlySet<Hex>) {
    super();
    this.#api = api;
    this.#keys = keys;
    this.description = `remote signer at ${api.shownUrl}`;
  }

  /** Lists the signer's keys now: one clear line when it does not answer. */
  static async open(api: SignerApi): Promise<WholeKeyRemoteSigner> {
    const description = `remote signer at ${api.shownUrl}`;
    let listed: Hex[];
    try {
      listed = await api.publicKeys();
    } catch (error) {
      throw signerListError(description, error);
    }
    const keys = new Set<Hex>();
    for (const key of listed) {
      const publicKey = normalizePublicKey(key);
      if (publicKey) keys.add(publicKey);
    }
    return new WholeKeyRemoteSigner(api, keys);
  }

  get size(): number {
    return this.#keys.size;
  }

  has(publicKey: Hex): boolean {
    const key = normalizePublicKey(publicKey);
    return key !== undefined && this.#keys.has(key);
  }

  publicKeys(): Hex[] {
    return [...this.#keys];
  }

  async check(): Promise<void> {
    try {
      await this.#api.upcheck();
    } catch (error) {
      throw signerDownError(this.description, error);
    }
  }

  async signExit(publicKey: Hex, validatorIndex: number, network: ExitNetwork): Promise<Uint8Array> {
    const { key, keyBytes } = parseKey(publicKey);
    const signingRoot = exitSigningRoot(network, validatorIndex);
    let signature: Uint8Array;
    try {
      signature = await this.#api.signVoluntaryExit({ publicKey: key, validatorIndex, network, signingRoot });
    } catch (error) {
      throw signRequestError(error, `validator ${key}`, this.description, LOAD_KEY);
    }
    this.#verify("an exit", key, { publicKey: keyBytes, signature }, signingRoot);
    return signature;
  }

  async signDeposit(publicKey: Hex, deposit: DepositToSign): Promise<Uint8Array> {
    const { key, keyBytes } = parseKey(publicKey);
    const { signingRoot } = depositSigningRoot(
      { publicKey: keyBytes, ...deposit },
      deposit.genesisForkVersion,
    );
    let signature: Uint8Array;
    try {
      signature = await this.#api.signDeposit({ publicKey: key, ...deposit, signingRoot });
    } catch (error) {
      throw signRequestError(error, `validator ${key}`, this.description, LOAD_KEY, "deposit");
    }
    this.#verify("a deposit", key, { publicKey: keyBytes, signature }, signingRoot);
    return signature;
  }

  /** The signer's answer must be the key's signature of the root we computed ourselves. */
  #verify(
    what: string,
    key: Hex,
    answer: { publicKey: Uint8Array; signature: Uint8Array },
    signingRoot: Uint8Array,
  ): void {
    if (verifySignatureShare(signingRoot, answer)) return;
    throw new OperatorError(
      `the ${this.description} returned ${what} signature for validator ${key} that does not verify against its public key`,
      { details: "the signer holds a different key under that public key, or answered wrongly" },
    );
  }

  async close(): Promise<void> {}
}

function parseKey(publicKey: Hex): { key: Hex; keyBytes: Uint8Array } {
  const key = normalizePublicKey(publicKey);
  const keyBytes = key && parseHex(key, 48);
  if (!key || !keyBytes) throw new OperatorError(`${publicKey} is not a BLS public key`);
  return { key, keyBytes };
}
