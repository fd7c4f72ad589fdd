import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import { isAbortError } from "../../lib/aborted.ts";
import { InterruptedError, OperatorError } from "../../lib/errors.ts";
import type { IndexedKeystore } from "../sources/keystore-index.ts";
import { removeKeyShareConfig } from "./config-file.ts";
import {
  IMPORT_CHUNK_SIZE,
  importFailure,
  listSignerKeys,
  passwordReader,
  removeLocalKeystores,
} from "./setup.ts";
import type { SignerApi } from "./signer-api.ts";

export interface WholeKeySetupParameters {
  api: SignerApi;
  /** The validator keystores, as found (not decrypted: the signer opens them with their passwords). */
  keystores: readonly IndexedKeystore[];
  /** The vault dir's remote_signer_config.json: removed, since the signer holds whole keys. */
  configFile: string;
  /** The shared keystores password file: kept when the keystores are removed. */
  sharedPasswordFile: string;
  /** Whether to remove the local keystores once the signer lists every key. */
  removeKeystores: () => Promise<boolean>;
  /** One line of the command's output. */
  report: (line: string) => void;
  /** Extra lines for --verbose. */
  debug?: (line: string) => void;
  signal?: AbortSignal;
}

export interface WholeKeySetupResult {
  imported: number;
  duplicate: number;
  keystoresRemoved: boolean;
}

/**
 * `setup-remote-signer` (the Python operator v4's; spec §1.2): import the validator keystores
 * themselves into the signer through the Keymanager API, as they are, with their passwords, five
 * to a request; check every answer and that the signer lists every key; then remove a
 * remote_signer_config.json (with it, `start` would ask the signer for key shares) and, if the
 * user says so, the local keystores. A keystore the signer already holds answers "duplicate",
 * so a run that stopped half-way is simply run again.
 */
export async function runWholeKeySetup(params: WholeKeySetupParameters): Promise<WholeKeySetupResult> {
  const { api, keystores, report, signal } = params;
  const debug = params.debug ?? (() => {});
  const passwordOf = passwordReader();
  const counts = { imported: 0, duplicate: 0 };
  const stopped = () =>
    counts.imported + counts.duplicate === 0
      ? "nothing was imported or removed"
      : `the remote signer holds ${counts.imported + counts.duplicate} of the ${keystores.length} keys and no local file was removed: run the command again to import the rest`;

  for (let i = 0; i < keystores.length; i += IMPORT_CHUNK_SIZE) {
    if (signal?.aborted) throw new InterruptedError(stopped());
    const chunk = keystores.slice(i, i + IMPORT_CHUNK_SIZE);
    const texts = await Promise.all(chunk.map((entry) => readKeystoreText(entry.file)));
    const secrets = await Promise.all(chunk.map((entry) => passwordOf(entry.passwordFile)));
    let statuses: Awaited<ReturnType<SignerApi["importKeystores"]>>;
    try {
      statuses = await api.importKeystores(texts, secrets, signal);
    } catch (error) {
      if (signal?.aborted || isAbortError(error)) throw new InterruptedError(stopped(), { cause: error });
      throw new OperatorError(
        `importing keystores into the remote signer at ${api.shownUrl} failed: ${importFailure(error)}; ${stopped()}`,
        { cause: error, retryable: error instanceof OperatorError && error.retryable },
      );
    }
    if (statuses.length !== chunk.length) {
      throw new OperatorError(
        `the remote signer at ${api.shownUrl} answered ${statuses.length} statuses for ${chunk.length} imported keystores; ${stopped()}`,
      );
    }
    for (const [j, status] of statuses.entries()) {
      if (status.status === "imported" || status.status === "duplicate") {
        counts[status.status]++;
        continue;
      }
      const entry = chunk[j] as IndexedKeystore;
      throw new OperatorError(
        `the remote signer at ${api.shownUrl} did not import ${basename(entry.file)} (${entry.publicKey}): ${status.status}${status.message ? ` (${status.message})` : ""}; check its password file ${entry.passwordFile}; ${stopped()}`,
      );
    }
    debug(`imported keystores ${i + 1}..${i + chunk.length} of ${keystores.length}`);
  }

  const listed = await listSignerKeys(api, stopped(), signal);
  const missing = keystores.filter((entry) => !listed.has(entry.publicKey));
  if (missing.length > 0) {
    throw new OperatorError(
      `the remote signer at ${api.shownUrl} accepted the keystores but does not list ${missing.length} of their keys (e.g. ${missing[0]?.publicKey}): check the signer's key store; no local file was removed`,
    );
  }
  report(`Successfully imported ${keystores.length} keys into remote signer.`);
  if (counts.duplicate > 0) report(`(${counts.duplicate} of them it held already.)`);

  await removeKeyShareConfig(params.configFile, report);
  const remove = await params.removeKeystores();
  if (remove) {
    await removeLocalKeystores(keystores, {
      sharedPasswordFile: params.sharedPasswordFile,
      setUp: "the keys are set up in the remote signer",
    });
    report("Removed keystores from local filesystem.");
  }
  report(
    `Done. Successfully configured operator to use remote signer for ${keystores.length} public key(s)!`,
  );
  return { ...counts, keystoresRemoved: remove };
}

async function readKeystoreText(file: string): Promise<string> {
  try {
    return await readFile(file, "utf8");
  } catch (error) {
    throw new OperatorError(
      `cannot read the keystore ${file} (${(error as NodeJS.ErrnoException).code ?? "error"})`,
      { cause: error },
    );
  }
}
