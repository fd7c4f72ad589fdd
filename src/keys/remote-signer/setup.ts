import { readFile, rm } from "node:fs/promises";
import { dirname } from "node:path";
import { splitSecretKey } from "../../crypto/key-shares.ts";
import { isAbortError } from "../../lib/aborted.ts";
import { InterruptedError, OperatorError, UserInputError } from "../../lib/errors.ts";
import { failureReason } from "../../lib/http/endpoint-failure.ts";
import { EndpointRequestError } from "../../lib/http/errors.ts";
import { KeystorePasswordFileError } from "../sources/errors.ts";
import type { Hex, ShareScheme } from "../sources/exit-signer.ts";
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
  oracles: ShareScheme;
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
 * How far the import got: every error after the first import request says how many key shares
 * it left in the signer, since nothing takes them out again.
 */
interface ImportProgress {
  /** Key shares the signer said it imported. */
  imported: number;
  /** Key shares of a request that failed without an answer: the signer may have imported them. */
  maybe: number;
  total: number;
}

/**
 * `remote-signer-setup` (spec §4.2, §7.3): split every validator key into n Shamir shares,
 * import them into the signer through the Keymanager API, check that the signer lists them all,
 * and only then write remote_signer_config.json and remove the local keystores. A failure before
 * that point leaves the local files as they were (and says how many shares were already
 * imported). Call `assertKeymanagerReachable` first: it is cheap, and this is not (a KDF per share).
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
  const progress: ImportProgress = { imported: 0, maybe: 0, total: all.length };
  const config = new Map<Hex, readonly Hex[]>(existingConfig);
  let removedFromSigner = 0;
  try {
    for (let i = 0; i < all.length; i += IMPORT_CHUNK_SIZE) {
      if (signal?.aborted) throw new InterruptedError(leftBehind(progress));
      const chunk = all.slice(i, i + IMPORT_CHUNK_SIZE);
      await importChunk(api, chunk, progress, signal);
      debug(`imported key shares ${i + 1}..${i + chunk.length} of ${all.length}`);
    }
    const listed = await listSignerKeys(api, leftBehind(progress), signal);
    const missing = all.filter((share) => !listed.has(share.publicKey));
    if (missing.length > 0) {
      throw new OperatorError(
        `the remote signer at ${api.shownUrl} accepted the key shares but does not list ${missing.length} of them (e.g. ${missing[0]?.publicKey}): check the signer's key store; ${leftBehind(progress)}`,
      );
    }
    report(`Successfully imported ${all.length} key shares into remote signer.`);

    for (const [publicKey, shares] of generated) {
      config.set(
        publicKey,
        shares.map((share) => share.publicKey),
      );
    }
    if (params.removeExistingKeys) {
      removedFromSigner = await removeStaleKeys(api, listed, config, progress, signal);
      report(`Removed ${removedFromSigner} outdated key(s) from remote signer.`);
    }
  } catch (error) {
    throw interruption(error, progress, signal);
  }

  try {
    await writeRemoteSignerConfig(params.configFile, config);
  } catch (error) {
    throw new OperatorError(
      `cannot write ${params.configFile} (${(error as NodeJS.ErrnoException).code ?? "error"}): fix the vault dir's permissions or free space; ${leftBehind(progress)}`,
      { cause: error },
    );
  }
  debug(`wrote ${params.configFile}`);
  const files = keystores.publicKeys().flatMap((publicKey) => keystores.keystore(publicKey) ?? []);
  await removeLocalKeystores(files, {
    sharedPasswordFile: params.sharedPasswordFile,
    setUp: `the key shares are set up in the remote signer and ${params.configFile} is written`,
  });
  report("Removed keystores from local filesystem.");
  report(
    `Done. Successfully configured operator to use remote signer for ${validators.length} public key(s)!`,
  );
  return { validators: validators.length, shares: all.length, removedFromSigner };
}

/**
 * What a run that stops before writing the config leaves behind: key shares in the signer (none,
 * some or all) and no local change. Re-running generates new shares, so those become orphans.
 */
function leftBehind(progress: ImportProgress): string {
  const { imported, maybe, total } = progress;
  if (imported === 0 && maybe === 0) return "nothing was imported, written or removed";
  const shares =
    imported === 0
      ? `the remote signer may have imported up to ${maybe} of the ${total} key shares`
      : maybe > 0
        ? `the remote signer imported ${imported} (perhaps up to ${imported + maybe}) of the ${total} key shares`
        : `the remote signer imported ${imported} of the ${total} key shares`;
  return `${shares} but no local file was written or removed: running the command again imports new shares in their place (add --remove-existing-keys to remove the orphaned ones)`;
}

/** An abort after the first import becomes an InterruptedError saying what is in the signer. */
function interruption(error: unknown, progress: ImportProgress, signal: AbortSignal | undefined): unknown {
  if (error instanceof InterruptedError) return error;
  if (!signal?.aborted && !isAbortError(error)) return error;
  return new InterruptedError(leftBehind(progress), { cause: error });
}

/** GET /eth/v1/keystores before any work: the signer is up and its Keymanager API is on. */
export async function assertKeymanagerReachable(api: SignerApi, signal?: AbortSignal): Promise<void> {
  try {
    await api.listKeystores(signal);
  } catch (error) {
    throw keymanagerError(api, error);
  }
}

/** `outcome`: what the run had changed when this call failed. */
function keymanagerError(api: SignerApi, error: unknown, outcome = "nothing was changed"): Error {
  if (isAbortError(error)) return error as Error;
  if (isStatus(error, 404)) {
    return new UserInputError(
      `the remote signer at ${api.shownUrl} has no Keymanager API (GET /eth/v1/keystores returned 404): start Web3Signer with --enable-key-manager-api=true`,
      { cause: error },
    );
  }
  if (isUnreachable(error)) {
    return new UserInputError(
      `cannot reach the remote signer at ${api.shownUrl} (${failureReason(error)}): start it or fix --remote-signer-url; ${outcome}`,
      { cause: error },
    );
  }
  if (error instanceof OperatorError) {
    return new OperatorError(`the remote signer at ${api.shownUrl} ${failureReason(error)}; ${outcome}`, {
      cause: error,
      retryable: error.retryable,
    });
  }
  return error as Error;
}

async function generateShareKeystores(
  params: RemoteSignerSetupParameters,
  validators: readonly Hex[],
): Promise<Map<Hex, PreparedShare[]>> {
  const { keystores, encryptor, oracles, signal } = params;
  const readCachedPassword = passwordReader();
  const passwordOf = (publicKey: Hex): Promise<string> =>
    readCachedPassword(keystores.keystore(publicKey)?.passwordFile ?? params.sharedPasswordFile);

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

/** Reads each password file once, however many keystores share it. */
export function passwordReader(): (file: string) => Promise<string> {
  const passwords = new Map<string, Promise<string>>();
  return (file) => {
    let password = passwords.get(file);
    if (!password) {
      password = readPassword(file);
      passwords.set(file, password);
    }
    return password;
  };
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

async function importChunk(
  api: SignerApi,
  chunk: readonly PreparedShare[],
  progress: ImportProgress,
  signal?: AbortSignal,
) {
  const passwords = chunk.map((share) => share.password);
  let statuses: Awaited<ReturnType<SignerApi["importKeystores"]>>;
  // Without an answer the signer may have imported the chunk or not.
  progress.maybe = chunk.length;
  try {
    statuses = await api.importKeystores(
      chunk.map((share) => share.keystore),
      passwords,
      signal,
    );
  } catch (error) {
    throw importError(api, error, progress);
  }
  if (statuses.length !== chunk.length) {
    throw new OperatorError(
      `the remote signer at ${api.shownUrl} answered ${statuses.length} statuses for ${chunk.length} imported keystores; ${leftBehind(progress)}`,
    );
  }
  progress.maybe = 0;
  const failed = statuses.findIndex(
    (status) => status.status !== "imported" && status.status !== "duplicate",
  );
  if (failed === -1) {
    progress.imported += chunk.length;
    return;
  }
  const status = statuses[failed] as (typeof statuses)[number];
  progress.imported += statuses.filter((s) => s.status === "imported" || s.status === "duplicate").length;
  throw new OperatorError(
    `the remote signer at ${api.shownUrl} did not import key share ${chunk[failed]?.publicKey}: ${status.status}${status.message ? ` (${status.message})` : ""}; ${leftBehind(progress)}`,
  );
}

function importError(api: SignerApi, error: unknown, progress: ImportProgress): Error {
  if (error instanceof OperatorError && !isAbortError(error)) {
    return new OperatorError(
      `importing key shares into the remote signer at ${api.shownUrl} failed: ${importFailure(error)}; ${leftBehind(progress)}`,
      { cause: error, retryable: error.retryable },
    );
  }
  return error as Error;
}

/**
 * Why an import request failed: an HTTP status alone (the signer's own words stay in the cause),
 * or the transport's reason.
 */
export function importFailure(error: unknown): string {
  return error instanceof EndpointRequestError && error.kind === "http"
    ? `HTTP ${error.status}`
    : failureReason(error);
}

/** The keys the signer lists (GET /eth/v1/keystores); `outcome` says what the run left if it fails. */
export async function listSignerKeys(
  api: SignerApi,
  outcome: string,
  signal?: AbortSignal,
): Promise<Set<Hex>> {
  try {
    const keys = await api.listKeystores(signal);
    return new Set(keys.map((key) => lowerHex(key.validating_pubkey)));
  } catch (error) {
    throw keymanagerError(api, error, outcome);
  }
}

/** DELETE every signer key that the (merged) config does not use. */
async function removeStaleKeys(
  api: SignerApi,
  listed: ReadonlySet<Hex>,
  config: PubkeysToShares,
  progress: ImportProgress,
  signal?: AbortSignal,
): Promise<number> {
  const keep = new Set([...config.values()].flat());
  const stale = [...listed].filter((key) => !keep.has(key));
  if (stale.length === 0) return 0;
  let statuses: Awaited<ReturnType<SignerApi["deleteKeystores"]>>;
  try {
    statuses = await api.deleteKeystores(stale, signal);
  } catch (error) {
    throw keymanagerError(api, error, leftBehind(progress));
  }
  const deleted = statuses.filter((status) => status.status === "deleted").length;
  const failed = statuses.findIndex((status) => status.status === "error");
  if (failed !== -1) {
    throw new OperatorError(
      `the remote signer at ${api.shownUrl} could not remove key ${stale[failed]}: ${statuses[failed]?.message ?? "error"} (it removed ${deleted} other outdated key(s)); ${leftBehind(progress)}`,
    );
  }
  return deleted;
}

/**
 * Removes the keystore files and their own password files; the shared password file stays. The
 * signer holds the keys by then (`setUp` says what is done), so a file that cannot be removed
 * does not undo the setup: every other one is still removed, then one error lists the ones left.
 */
export async function removeLocalKeystores(
  entries: Iterable<{ file: string; passwordFile: string }>,
  params: { sharedPasswordFile: string; setUp: string },
): Promise<void> {
  const left: { file: string; code: string }[] = [];
  const remove = async (file: string) => {
    try {
      await rm(file, { force: true });
    } catch (error) {
      left.push({ file, code: (error as NodeJS.ErrnoException).code ?? "error" });
    }
  };
  for (const entry of entries) {
    await remove(entry.file);
    // A per-keystore password file beside it goes too (KEYSTORES_PASSWORD_DIR is left alone).
    const ownPassword =
      entry.passwordFile !== params.sharedPasswordFile && dirname(entry.passwordFile) === dirname(entry.file);
    if (ownPassword) await remove(entry.passwordFile);
  }
  if (left.length === 0) return;
  const shown = left
    .slice(0, 3)
    .map(({ file, code }) => `${file} (${code})`)
    .join(", ");
  const more = left.length > 3 ? ` and ${left.length - 3} more` : "";
  throw new OperatorError(
    `${params.setUp}, but ${left.length} local keystore file(s) could not be removed: ${shown}${more}; remove them by hand`,
  );
}
