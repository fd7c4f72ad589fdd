import { stat } from "node:fs/promises";
import { type ExitNetwork, exitSigningRoot } from "../../crypto/exit-message.ts";
import {
  combineSignatureShares,
  publicKeySharesConsistent,
  verifySignatureShare,
} from "../../crypto/shamir.ts";
import { OperatorError, UserInputError } from "../../lib/errors.ts";
import { parseHex } from "../../lib/hex.ts";
import type {
  ExitSignatureShare,
  ExitSigner,
  Hex,
  OracleExitSignature,
  ShareScheme,
} from "../sources/exit-signer.ts";
import { normalizePublicKey } from "../sources/keystore-index.ts";
import { type PubkeysToShares, readRemoteSignerConfig } from "./config-file.ts";
import { SignerApi, type SignerApiDeps } from "./signer-api.ts";
import { signerDownError, signerListError, signRequestError } from "./signer-errors.ts";
import { WholeKeyRemoteSigner } from "./whole-keys.ts";

export interface OpenRemoteSignerOptions {
  /** Web3Signer base URL (--remote-signer-url); may carry credentials, never shown. */
  url: string;
  /** The vault dir's remote_signer_config.json (see `remoteSignerConfigFile`). */
  configFile: string;
  /** Per request (default 30 s). */
  timeoutMs?: number;
}

export type OpenRemoteSignerDeps = SignerApiDeps;

/**
 * The ExitSigner over a Web3Signer, in the mode the vault dir says:
 *
 * - with `remote_signer_config.json`, the signer holds Shamir shares of the validator keys (spec
 *   §4.2, the Python operator v1.0.x; `remote-signer-setup` or remote-db's v1.0.x layout): the
 *   oracles get the shares' signatures. Nothing is requested until a method needs it.
 * - without it, the signer holds the whole keys (spec §4.3, the Python operator v1.1+; remote-db's
 *   v1.1+ layout): it signs the full exit, and the caller splits the signature for the oracles
 *   as for local keys (WholeKeyRemoteSigner). The signer's key list is read now.
 *
 * Call `check` at startup.
 */
export async function openRemoteSigner(
  options: OpenRemoteSignerOptions,
  deps: OpenRemoteSignerDeps = {},
): Promise<ExitSigner> {
  const api = new SignerApi(
    { url: options.url, ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }) },
    deps,
  );
  if (!(await exists(options.configFile))) return WholeKeyRemoteSigner.open(api);
  const config = await readRemoteSignerConfig(options.configFile);
  return new RemoteSigner(api, config, options.configFile);
}

/** Whether the file exists; any other failure is left to reading it, which names the fix. */
async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== "ENOENT";
  }
}

const RERUN = 'run "operator remote-signer-setup" again to split the keys for the current oracle set';

/** Share public keys decoded once. */
interface ValidatorShares {
  publicKey: Uint8Array;
  shareKeys: readonly Hex[];
  shareBytes: readonly Uint8Array[];
}

/**
 * The signer holds Shamir shares of each validator key, never the key itself: this mode exists to
 * hand the oracles their exit shares. It makes no whole deposit signature, so `signDeposit` is
 * left out on purpose; by the ExitSigner interface, that tells the caller this key source cannot
 * make deposit data on the fly (whole keys in the signer, or local keys, can).
 */
export class RemoteSigner implements ExitSigner {
  readonly description: string;
  readonly #api: SignerApi;
  readonly #configFile: string;
  readonly #validators: ReadonlyMap<Hex, ValidatorShares>;
  /** `${publicKey}/${threshold}` → whether the shares interpolate to the key at that threshold. */
  readonly #consistent = new Map<string, boolean>();

  constructor(api: SignerApi, config: PubkeysToShares, configFile: string) {
    this.#api = api;
    this.#configFile = configFile;
    this.description = `remote signer at ${api.shownUrl}`;
    const validators = new Map<Hex, ValidatorShares>();
    for (const [publicKey, shareKeys] of config) {
      validators.set(publicKey, {
        publicKey: parseHex(publicKey, 48) as Uint8Array,
        shareKeys,
        shareBytes: shareKeys.map((key) => parseHex(key, 48) as Uint8Array),
      });
    }
    this.#validators = validators;
  }

  get size(): number {
    return this.#validators.size;
  }

  has(publicKey: Hex): boolean {
    const key = normalizePublicKey(publicKey);
    return key !== undefined && this.#validators.has(key);
  }

  publicKeys(): Hex[] {
    return [...this.#validators.keys()];
  }

  async check(publicKeys: readonly Hex[], oracles?: ShareScheme): Promise<void> {
    try {
      await this.#api.upcheck();
    } catch (error) {
      throw signerDownError(this.description, error);
    }
    const wanted = publicKeys.flatMap((key) => {
      const validator = this.#validators.get(normalizePublicKey(key) ?? key);
      return validator ? [{ key, validator }] : [];
    });
    if (wanted.length === 0) return;
    let present: Set<Hex>;
    try {
      present = new Set(await this.#api.publicKeys());
    } catch (error) {
      throw signerListError(this.description, error);
    }
    for (const { key, validator } of wanted) {
      const missing = validator.shareKeys.filter((share) => !present.has(share));
      if (missing.length > 0) {
        throw new UserInputError(
          `${missing.length} of the ${validator.shareKeys.length} key shares of validator ${key} (${this.#configFile}) are not present in the ${this.description}, e.g. ${missing[0]}: run "operator remote-signer-setup" again with the validator keystores`,
        );
      }
      if (oracles) this.#assertCurrent(key, validator, oracles);
    }
  }

  async signExit(publicKey: Hex, validatorIndex: number, network: ExitNetwork): Promise<Uint8Array> {
    const validator = this.#validator(publicKey);
    const root = exitSigningRoot(network, validatorIndex);
    const shares = await this.#signShares(publicKey, validator, validatorIndex, network, root);
    let signature: Uint8Array;
    try {
      signature = combineSignatureShares(shares);
    } catch (error) {
      throw new OperatorError(`the key shares of validator ${publicKey} do not combine to a signature`, {
        cause: error,
        details: RERUN,
      });
    }
    if (!verifySignatureShare(root, { publicKey: validator.publicKey, signature })) {
      throw new UserInputError(
        `the exit signature combined from the ${shares.length} key shares of validator ${publicKey} does not verify against its public key: the shares in ${this.#configFile} do not belong to this key; ${RERUN}`,
      );
    }
    return signature;
  }

  async signExitForOracles(
    publicKey: Hex,
    validatorIndex: number,
    network: ExitNetwork,
    oracles: ShareScheme,
  ): Promise<OracleExitSignature> {
    const validator = this.#validator(publicKey);
    this.#assertCurrent(publicKey, validator, oracles);
    const root = exitSigningRoot(network, validatorIndex);
    const shares = await this.#signShares(publicKey, validator, validatorIndex, network, root);
    return { kind: "shares", shares };
  }

  async close(): Promise<void> {}

  #validator(publicKey: Hex): ValidatorShares {
    const validator = this.#validators.get(normalizePublicKey(publicKey) ?? publicKey);
    if (!validator) {
      throw new OperatorError(
        `validator ${publicKey} is not in the remote signer config ${this.#configFile}`,
      );
    }
    return validator;
  }

  /** The shares were made for `oracles` (count, and a polynomial the threshold recovers). */
  #assertCurrent(publicKey: Hex, validator: ValidatorShares, oracles: ShareScheme): void {
    const count = validator.shareKeys.length;
    let current = count === oracles.count;
    if (current) {
      const cacheKey = `${publicKey}/${oracles.threshold}`;
      let consistent = this.#consistent.get(cacheKey);
      if (consistent === undefined) {
        // Made for this threshold: every t shares recover the key, and (t > 1) not every t − 1
        // do. Shares of a lower-degree polynomial would let fewer oracles than the protocol
        // requires rebuild a whole exit signature.
        const t = oracles.threshold;
        try {
          consistent =
            publicKeySharesConsistent(validator.publicKey, validator.shareBytes, t) &&
            (t === 1 || !publicKeySharesConsistent(validator.publicKey, validator.shareBytes, t - 1));
        } catch {
          consistent = false;
        }
        this.#consistent.set(cacheKey, consistent);
      }
      current = consistent;
    }
    if (!current) {
      throw new UserInputError(
        `the key shares of validator ${publicKey} in ${this.#configFile} are outdated for the current oracle set (${count} shares for ${oracles.count} oracles, recover threshold ${oracles.threshold}): ${RERUN}`,
      );
    }
  }

  async #signShares(
    publicKey: Hex,
    validator: ValidatorShares,
    validatorIndex: number,
    network: ExitNetwork,
    signingRoot: Uint8Array,
  ): Promise<ExitSignatureShare[]> {
    return Promise.all(
      validator.shareKeys.map(async (shareKey, j) => {
        let signature: Uint8Array;
        try {
          signature = await this.#api.signVoluntaryExit({
            publicKey: shareKey,
            validatorIndex,
            network,
            signingRoot,
          });
        } catch (error) {
          throw this.#signError(error, publicKey, shareKey, j);
        }
        const sharePublicKey = validator.shareBytes[j] as Uint8Array;
        if (!verifySignatureShare(signingRoot, { publicKey: sharePublicKey, signature })) {
          throw new OperatorError(
            `the ${this.description} returned an exit signature for key share ${j} (${shareKey}) of validator ${publicKey} that does not verify against the share's public key`,
            { details: "the signer holds a different key under that public key, or answered wrongly" },
          );
        }
        return { x: j + 1, publicKey: sharePublicKey, signature };
      }),
    );
  }

  #signError(error: unknown, publicKey: Hex, shareKey: Hex, j: number): Error {
    return signRequestError(
      error,
      `key share ${j} (${shareKey}) of validator ${publicKey}`,
      this.description,
      'run "operator remote-signer-setup" again with the validator keystores',
    );
  }
}
