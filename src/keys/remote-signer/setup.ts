import { readFile, rm } from "node:fs/promises";
import { dirname } from "node:path";
import { splitSecretKey } from "../../crypto/key-shares.ts";
import { AbortedError } from "../../lib/aborted.ts";
import { InterruptedError, OperatorError, UserInputError } from "../../lib/errors.ts";
import { KeystorePasswordFileError } from "../sources/errors.ts";
import type { Hex, OracleSet } from "../sources/exit-signer.ts";
import type { LocalKeystores } from "../sources/local-keystores.ts";
import {
  type PubkeysToShares,
  readRemoteSignerConfigIfExists,
  writeRemoteSignerConfig,
} from "./config-file.ts";
import type { ShareKeystore, ShareKeystoreEncryptor } from "./share-keystores.ts";
import { isStatus, isUnreachable, lowerHex, type SignerApi } from "./signer-api.ts";

/** Keystores per Keymanager import request (REMOTE_SIGNER_UPLOAD_CHUNK_SIZE of the Python operator). */
export const IMPORT_CHUNK_SIZE = 5;

export interface RemoteSignerSetupParameters {
  api: SignerApi;
  /** The validator keystores to split (all of them). */
  keystores: LocalKeystores;
  encryptor: ShareKeystoreEncryptor;
  /** n = oracles.count shares per key, any oracles.threshold of them recover it. */
  oracles: OracleSet;
  /** The vault dir's remote_signer_config.json: merged with what it already maps. */
  configFile: string;
  /** The shared keystores password file: kept when the keystores are removed. */
  sharedPasswordFile: string;
  removeExistingKeys: boolean;
  /** One line of the command's output. */
  report: (line: string) => void;
  /** Extra lines for --verbose. */
  debug?: (line: string) => void;
  signal?: AbortSignal;
}

/** A share keystore with the password it was encrypted with (the import request needs both). */
interface PreparedShare extends ShareKeystore {
  password: string;
}

export interface RemoteSignerSetupResult {
  validators: number;
  shares: number;
  removedFromSigner: number;
}

/**
 * `remote-signer-setup` (spec §4.2, §7.3): split every validator key into n Shamir shares,
 * import them into the signer through the Keymanager API, check that the signer lists them all,
 * and only then write remote_signer_config.json and remove the local keystores. A failure before
 * that point leaves the local files as they were. Call `assertKeymanagerReachable` first: it is
 * cheap, and this is not (a KDF per share).
 */
export async function runRemoteSignerSetup(
  params: RemoteSignerSetupParameters,
): Promise<RemoteSignerSetupResult> {
  const { api, keystores, oracles, report, signal } = params;
  const debug = params.debug ?? (() => {});
  const existingConfig = await readRemoteSignerConfigIfExists(params.configFile);

  const validators = keystores.publicKeys();
  const generated = await generateShareKeystores(params, validators);
  const shareCount = validators.length * oracles.count;
  report(`Successfully generated ${shareCount} key shares for ${validators.length} private key(s)!`);

  const all = [...generated.values()].flat();
  for (let i = 0; i < all.length; i += IMPORT_CHUNK_SIZE) {
    if (signal?.aborted) throw new InterruptedError();
    const chunk = all.slice(i, i + IMPORT_CHUNK_SIZE);
    await importChunk(api, chunk, signal);
    debug(`imported key shares ${i + 1}..${i + chunk.length} of ${all.length}`);
  }
  const listed = await listSignerKeys(api, signal);
  const missing = all.filter((share) => !listed.has(share.publicKey));
  if (missing.length > 0) {
    throw new OperatorError(
      `the remote signer at ${api.shownUrl} accepted the key shares but does not list ${missing.length} of them (e.g. ${missing[0]?.publicKey}): nothing was written or removed; check the signer's key store and run the command again`,
    );
  }
  report(`Successfully imported ${all.length} key shares into remote signer.`);

  const config = new Map<Hex, readonly Hex[]>(existingConfig);
  for (const [publicKey, shares] of generated) {
    config.set(
      publicKey,
      shares.map((share) => share.publicKey),
    );
  }

  let removedFromSigner = 0;
  if (params.removeExistingKeys) {
    removedFromSigner = await removeStaleKeys(api, listed, config, signal);
    report(`Removed ${removedFromSigner} outdated key(s) from remote signer.`);
  }

  await writeRemoteSignerConfig(params.configFile, config);
  debug(`wrote ${params.configFile}`);
  await removeLocalKeystores(keystores, params.sharedPasswordFile);
  report("Removed keystores from local filesystem.");
  report(
    `Done. Successfully configured operator to use remote signer for ${validators.length} public key(s)!`,
  );
  return { validators: validators.length, shares: all.length, removedFromSigner };
}

/** GET /eth/v1/keystores before any work: the signer is up and its Keymanager API is on. */
export async function assertKeymanagerReachable(api: SignerApi, signal?: AbortSignal): Promise<void> {
  try {
    await api.listKeystores(signal);
  } catch (error) {
    throw keymanagerError(api, error);
  }
}

function keymanagerError(api: SignerApi, error: unknown): Error {
  if (isAborted(error)) return error as Error;
  if (isStatus(error, 404)) {
    return new UserInputError(
      `the remote signer at ${api.shownUrl} has no Keymanager API (GET /eth/v1/keystores returned 404): start Web3Signer with --enable-key-manager-api=true`,
      { cause: error },
    );
  }
  if (isUnreachable(error)) {
    return new UserInputError(
      `cannot reach the remote signer at ${api.shownUrl} (${(error as OperatorError).shortMessage}): start it or fix --remote-signer-url; nothing was changed`,
      { cause: error },
    );
  }
  if (error instanceof OperatorError) {
    return new OperatorError(
      `the remote signer at ${api.shownUrl} failed: ${error.shortMessage}${error.details ? ` (${error.details})` : ""}; nothing was changed`,
      { cause: error, retryable: error.retryable },
    );
  }
  return error as Error;
}

function isAborted(error: unknown): boolean {
  return error instanceof AbortedError;
}

async function generateShareKeystores(
  params: RemoteSignerSetupParameters,
  validators: readonly Hex[],
): Promise<Map<Hex, PreparedShare[]>> {
  const { keystores, encryptor, oracles, signal } = params;
  const passwords = new Map<string, Promise<string>>();
  const passwordOf = (publicKey: Hex): Promise<string> => {
    const file = keystores.keystore(publicKey)?.passwordFile ?? params.sharedPasswordFile;
    let password = passwords.get(file);
    if (!password) {
      password = readPassword(file);
      passwords.set(file, password);
    }
    return password;
  };

  const jobs: Promise<[Hex, PreparedShare[]]>[] = [];
  try {
    for (const publicKey of validators) {
      if (signal?.aborted) throw new InterruptedError();
      const secretKey = (await keystores.getSecretKey(publicKey)).toBytes();
      const password = await passwordOf(publicKey);
      let shares: Uint8Array[];
      try {
        shares = splitSecretKey({ secretKey, threshold: oracles.threshold, shares: oracles.count });
      } finally {
        secretKey.fill(0);
      }
      const encrypted = shares.map((share, j) =>
        encryptor
          .encrypt({ secretKey: share, password, description: `share_${publicKey}_${j}` })
          .then((keystore) => ({ ...keystore, password }))
          .finally(() => share.fill(0)),
      );
      jobs.push(Promise.all(encrypted).then((list) => [publicKey, list]));
    }
    return new Map(await Promise.all(jobs));
  } catch (error) {
    // Let the running encryptions settle before the caller closes the pool.
    await Promise.allSettled(jobs);
    throw error;
  }
}

async function readPassword(file: string): Promise<string> {
  try {
    return (await readFile(file, "utf8")).trim();
  } catch (error) {
    throw new KeystorePasswordFileError(
      `cannot read the keystores password file ${file} (${(error as NodeJS.ErrnoException).code ?? "error"}): pass --keystores-password-file`,
    );
  }
}

async function importChunk(api: SignerApi, chunk: readonly PreparedShare[], signal?: AbortSignal) {
  const passwords = chunk.map((share) => share.password);
  let statuses: Awaited<ReturnType<SignerApi["importKeystores"]>>;
  try {
    statuses = await api.importKeystores(
      chunk.map((share) => share.keystore),
      passwords,
      signal,
    );
  } catch (error) {
    throw importError(api, error);
  }
  if (statuses.length !== chunk.length) {
    throw new OperatorError(
      `the remote signer at ${api.shownUrl} answered ${statuses.length} statuses for ${chunk.length} imported keystores; nothing was written or removed`,
    );
  }
  statuses.forEach((status, i) => {
    if (status.status === "imported" || status.status === "duplicate") return;
    throw new OperatorError(
      `the remote signer at ${api.shownUrl} did not import key share ${chunk[i]?.publicKey}: ${status.status}${status.message ? ` (${status.message})` : ""}; nothing was written or removed`,
    );
  });
}

function importError(api: SignerApi, error: unknown): Error {
  if (error instanceof OperatorError && !isAborted(error)) {
    return new OperatorError(
      `importing key shares into the remote signer at ${api.shownUrl} failed: ${error.shortMessage}; nothing was written or removed, run the command again`,
      { cause: error, retryable: error.retryable },
    );
  }
  return error as Error;
}

async function listSignerKeys(api: SignerApi, signal?: AbortSignal): Promise<Set<Hex>> {
  try {
    const keys = await api.listKeystores(signal);
    return new Set(keys.map((key) => lowerHex(key.validating_pubkey)));
  } catch (error) {
    throw keymanagerError(api, error);
  }
}

/** DELETE every signer key that the (merged) config does not use. */
async function removeStaleKeys(
  api: SignerApi,
  listed: ReadonlySet<Hex>,
  config: PubkeysToShares,
  signal?: AbortSignal,
): Promise<number> {
  const keep = new Set([...config.values()].flat());
  const stale = [...listed].filter((key) => !keep.has(key));
  if (stale.length === 0) return 0;
  let statuses: Awaited<ReturnType<SignerApi["deleteKeystores"]>>;
  try {
    statuses = await api.deleteKeystores(stale, signal);
  } catch (error) {
    throw keymanagerError(api, error);
  }
  const failed = statuses.findIndex((status) => status.status === "error");
  if (failed !== -1) {
    throw new OperatorError(
      `the remote signer at ${api.shownUrl} could not remove key ${stale[failed]}: ${statuses[failed]?.message ?? "error"}; nothing was written or removed locally, run the command again`,
    );
  }
  return statuses.filter((status) => status.status === "deleted").length;
}

/** Removes the keystore files and their own password files; the shared password file stays. */
async function removeLocalKeystores(keystores: LocalKeystores, sharedPasswordFile: string): Promise<void> {
  for (const publicKey of keystores.publicKeys()) {
    const entry = keystores.keystore(publicKey);
    if (!entry) continue;
    await rm(entry.file, { force: true });
    // A per-keystore password file beside it goes too (KEYSTORES_PASSWORD_DIR is left alone).
    const ownPassword =
      entry.passwordFile !== sharedPasswordFile && dirname(entry.passwordFile) === dirname(entry.file);
    if (ownPassword) await rm(entry.passwordFile, { force: true });
  }
}
