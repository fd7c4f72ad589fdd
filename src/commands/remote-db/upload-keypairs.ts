import { readFile } from "node:fs/promises";
import { availableParallelism } from "node:os";
import {
  checkExecutionEndpoints,
  createExecutionClient,
  type ExecutionClient,
} from "../../chain/execution-client.ts";
import { vaultReadError } from "../../chain/not-a-vault.ts";
import { createVaultReader } from "../../chain/vault-reader.ts";
import { readDepositDataFile } from "../../keys/deposit-data-file.ts";
import { createWorkerKeystoreDecryptor } from "../../keys/sources/keystore-decryptor.ts";
import { txValidator, ValidatorsTree } from "../../keys/validators-tree.ts";
import { InterruptedError, UserInputError } from "../../lib/errors.ts";
import { parseHex, toPrefixedHex } from "../../lib/hex.ts";
import { createKeyCodec } from "../../remote-db/encryption-key.ts";
import { layoutLine, type StoredLayout } from "../../remote-db/layout.ts";
import type { RemoteDb } from "../../remote-db/remote-db.ts";
import { verifyEncryptionKey } from "../../remote-db/stored-keys.ts";
import { buildKeypairRecords, uploadKeypairRecords, type ValidatorSecret } from "../../remote-db/upload.ts";
import type { CommandContext } from "../context.ts";
import { askEndpoints } from "../endpoints-input.ts";
import { findKeystores } from "../inputs.ts";
import { readOracleSet } from "../oracle-set.ts";
import {
  askEncryptionKey,
  type RemoteDbGroupOptions,
  type RemoteDbTarget,
  resolveGroup,
  withRemoteDb,
} from "./group.ts";

export interface UploadKeypairsOptions extends RemoteDbGroupOptions {
  encryptKey?: Uint8Array;
  executionEndpoints?: string[];
  /** --execution-jwt-secret. */
  executionJwtSecret?: Uint8Array;
  depositDataFile?: string;
  keystoresPasswordFile?: string;
  concurrency?: number;
}

/**
 * `remote-db upload-keypairs`: checks the deposit data is the vault's, decrypts the keystores,
 * encrypts the keys (and, in the v1.0.x layout, one Shamir share of each per oracle), and replaces
 * the vault's rows of those keys in one transaction (spec §7.5). The layout is the database's: in
 * the v4 layout the rows name no vault and there is no deposit data, so it uploads the keys only
 * and needs no execution endpoint.
 */
export async function runUploadKeypairs(options: UploadKeypairsOptions, ctx: CommandContext): Promise<void> {
  const target = await resolveGroup(options, ctx);
  const { vault, network, paths, output } = { ...target, output: ctx.output };
  const codec = createKeyCodec(await askEncryptionKey(ctx, options.encryptKey));
  const concurrency = options.concurrency ?? Math.max(1, Math.min(availableParallelism(), 4));
  const { index, keystoresDir } = await findKeystores(options, paths.keystoresDir);

  // The database is checked next (tables, layout, key) so a wrong key fails in seconds and the
  // layout says what else is needed; the connection is not held while thousands of keystores
  // decrypt, and the check is repeated before the write.
  const checkDatabase = async (db: RemoteDb): Promise<StoredLayout> => {
    await db.requireTables();
    const layout = await db.layout();
    await verifyEncryptionKey(db, codec);
    return layout;
  };
  const { layout, note } = await withRemoteDb(target, async (db) => {
    const layout = await checkDatabase(db);
    return { layout, note: layoutLine(layout, db.tables.keypairs) };
  });
  const withShares = layout.version === "v1.0";
  // v1.x: the deposit data goes into the configs table, checked against the vault's root first.
  const vaultInputs = layout.version === "v4" ? undefined : await checkedDepositData(options, target, ctx);

  output.line(`Loading keystores from ${keystoresDir}...`);
  const keys = await decryptKeystores(index.entries, concurrency, ctx.signal);
  try {
    let oracles = { count: 0, threshold: 0 };
    if (withShares && vaultInputs) {
      output.line("Fetching oracles config...");
      oracles = await readOracleSet(vaultInputs.client, network, ctx.signal);
      output.line(`Calculating and encrypting shares for ${keys.length} keystores...`);
    } else {
      output.line(`Encrypting ${keys.length} keystores...`);
    }
    const records = await buildKeypairRecords({
      keys,
      threshold: oracles.threshold,
      shares: oracles.count,
      codec,
      signal: ctx.signal,
    });
    output.line("Uploading updates to the remote db...");
    const { kept } = await withRemoteDb(target, async (db) => {
      const now = await checkDatabase(db);
      if (now.version !== layout.version) {
        throw new UserInputError(
          `the layout of vault ${vault}'s rows in ${db.tables.keypairs} changed while the keystores were loading (another upload?): run the command again`,
        );
      }
      return await uploadKeypairRecords(db, { records, depositData: vaultInputs?.depositData });
    });
    if (kept > 0) {
      output.line(
        layout.version === "v4"
          ? `Kept the ${kept} stored keys that are not in ${keystoresDir} (remove them with "operator remote-db cleanup").`
          : `Kept the ${kept} stored keys of the vault that are not in ${keystoresDir} (remove a vault's keys with "operator remote-db cleanup").`,
      );
    }
  } finally {
    for (const key of keys) key.secretKey.fill(0);
  }
  output.line(
    layout.version === "v4"
      ? "Successfully uploaded keypairs to the database."
      : `Successfully uploaded keypairs${withShares ? " and shares" : ""} for the ${vault} vault.`,
  );
  output.note?.(note);
}

/**
 * The deposit data file's entries, checked to be the vault's: its Merkle root must be the vault's
 * validators root (read through the execution endpoints, whose client is kept for the oracle set).
 */
async function checkedDepositData(
  options: UploadKeypairsOptions,
  target: RemoteDbTarget,
  ctx: CommandContext,
): Promise<{ depositData: unknown[]; client: ExecutionClient }> {
  const { vault, network, paths } = target;
  const endpoints = await askEndpoints(
    ctx,
    options.executionEndpoints,
    "execution",
    "Enter comma separated list of API endpoints for execution nodes",
  );
  const depositDataFile = options.depositDataFile ?? paths.depositDataFile;
  const entries = await readDepositDataFile(depositDataFile, { vault, network });
  const depositData = JSON.parse(await readFile(depositDataFile, "utf8")) as unknown[];
  const tree = await ValidatorsTree.build(
    entries.map((e) => txValidator(e.publicKey, e.signature, e.depositDataRoot)),
  );
  const fileRoot = toPrefixedHex(tree.root);
  const jwtSecret = options.executionJwtSecret;
  await checkExecutionEndpoints(endpoints, network, { jwtSecret });
  const client = createExecutionClient({ endpoints, network, jwtSecret });
  const snapshot = await createVaultReader({ client, network })
    .readVault(vault)
    .catch((error: unknown) => {
      throw vaultReadError(vault, network.name, error);
    });
  if (snapshot.validatorsRoot.toLowerCase() !== fileRoot) {
    throw new UserInputError(
      `the deposit data file's root ${fileRoot} is not the vault's validators root ${snapshot.validatorsRoot}: upload ${depositDataFile} to the vault (setValidatorsRoot with the root from get-validators-root), or pass the --deposit-data-file that was uploaded`,
    );
  }
  return { depositData, client };
}

async function decryptKeystores(
  entries: readonly {
    publicKey: `0x${string}`;
    file: string;
    index: number | undefined;
    passwordFile: string;
  }[],
  concurrency: number,
  signal: AbortSignal,
): Promise<ValidatorSecret[]> {
  if (signal.aborted) throw new InterruptedError();
  const decryptor = createWorkerKeystoreDecryptor({ concurrency });
  // In the keystores' order (derivation index), whatever order the workers finish in.
  const keys: (ValidatorSecret | undefined)[] = new Array(entries.length);
  // The first failure or Ctrl-C stops the pool at once: queued keystores are not decrypted.
  const stop = () => void decryptor.close();
  signal.addEventListener("abort", stop, { once: true });
  try {
    await Promise.all(
      entries.map(async (entry, i) => {
        const secretKey = await decryptor.decrypt(entry);
        keys[i] = { publicKey: parseHex(entry.publicKey, 48) as Uint8Array, secretKey };
      }),
    );
    return keys as ValidatorSecret[];
  } catch (error) {
    await decryptor.close();
    for (const key of keys) key?.secretKey.fill(0);
    if (signal.aborted) throw new InterruptedError();
    throw error;
  } finally {
    signal.removeEventListener("abort", stop);
    await decryptor.close();
  }
}
