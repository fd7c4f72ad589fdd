import postgres from "postgres";
import { redactUrl } from "../../lib/sanitize.ts";
import type { PutValidatorOutcome, ValidatorRequest } from "./records.ts";
import {
  checkStoreNetwork,
  RELAYER_SCHEMA,
  RelayerStoreError,
  type ShareIndexRow,
  signatureColumn,
  toPublicKeyShares,
  toRecords,
  toShares,
  type ValidatorRow,
} from "./schema.ts";
import { normalizeKey, type RelayerStore } from "./store.ts";

export interface OpenPostgresRelayerStoreOptions {
  /** postgresql://user[:password]@host[:port]/database; shown only redacted. */
  url: string;
  network: string;
  /** The schema the tables live in (created when missing; default `public`). Tests use one each. */
  schema?: string;
  connectTimeoutSeconds?: number;
}

/** The relayer's state in PostgreSQL (`--db-url`): the same tables and semantics as SQLite. */
export async function openPostgresRelayerStore(
  options: OpenPostgresRelayerStoreOptions,
): Promise<RelayerStore> {
  const schema = options.schema ?? "public";
  if (!/^[a-z_][a-z0-9_]*$/.test(schema))
    throw new RelayerStoreError(`schema name "${schema}" is not a plain identifier`);
  const sql = postgres(options.url, {
    max: 4,
    onnotice: () => {},
    connect_timeout: options.connectTimeoutSeconds ?? 10,
    connection: { search_path: schema },
  });
  const where = `the database ${redactUrl(options.url)}`;
  try {
    await sql.unsafe(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    for (const statement of RELAYER_SCHEMA) await sql.unsafe(statement);
    const rows = await sql<{ value: string }[]>`SELECT value FROM relayer_meta WHERE name = 'network'`;
    checkStoreNetwork(rows[0]?.value, options.network, where);
    await sql`INSERT INTO relayer_meta (name, value) VALUES ('network', ${options.network}) ON CONFLICT (name) DO NOTHING`;
  } catch (error) {
    await sql.end({ timeout: 1 });
    if (error instanceof RelayerStoreError) throw error;
    throw new RelayerStoreError(`cannot open ${where}: ${(error as Error).message}`, {
      cause: error,
      retryable: true,
    });
  }
  return postgresStore(sql);
}

type Sql = postgres.Sql;

function postgresStore(sql: Sql): RelayerStore {
  const shareIndexRows = (rows: readonly Record<string, unknown>[]) => rows as unknown as ShareIndexRow[];
  return {
    async putValidator(request: ValidatorRequest): Promise<PutValidatorOutcome> {
      const key = normalizeKey(request.publicKey);
      return (await sql.begin(async (tx) => {
        const [existing] = await tx<
          ValidatorRow[]
        >`SELECT * FROM validators WHERE public_key = ${key} FOR UPDATE`;
        if (existing && Number(existing.validator_index) === request.validatorIndex) return "kept";
        if (existing) await tx`DELETE FROM validators WHERE public_key = ${key}`;
        await tx`INSERT INTO validators (public_key, vault, amount, validator_type, validator_index, created_at)
          VALUES (${key}, ${request.vault?.toLowerCase() ?? null}, ${request.amountGwei}, ${request.validatorType},
                  ${request.validatorIndex}, ${request.createdAt})`;
        return existing ? "reset" : "created";
      })) as PutValidatorOutcome;
    },
    async validator(publicKey) {
      const key = normalizeKey(publicKey);
      const [row] = await sql<ValidatorRow[]>`SELECT * FROM validators WHERE public_key = ${key}`;
      if (!row) return undefined;
      const shares =
        await sql`SELECT public_key, kind, share_index FROM signature_shares WHERE public_key = ${key}`;
      return toRecords([row], shareIndexRows(shares))[0];
    },
    async validators() {
      return (await sql.begin("ISOLATION LEVEL REPEATABLE READ", async (tx) => {
        const rows = await tx<ValidatorRow[]>`SELECT * FROM validators ORDER BY created_at, validator_index`;
        const shares = await tx`SELECT public_key, kind, share_index FROM signature_shares`;
        return toRecords(rows, shareIndexRows(shares));
      })) as ReturnType<typeof toRecords>;
    },
    async addShares(shares, receivedAt) {
      return (await sql.begin(async (tx) => {
        const stored: boolean[] = [];
        for (const { publicKey, kind, share } of shares) {
          const key = normalizeKey(publicKey);
          const result =
            await tx`INSERT INTO signature_shares (public_key, kind, share_index, signature, received_at)
            SELECT ${key}, ${kind}, ${share.shareIndex.toString()}, ${share.signature}, ${receivedAt}
            WHERE EXISTS (SELECT 1 FROM validators WHERE public_key = ${key})
            ON CONFLICT (public_key, kind, share_index) DO NOTHING`;
          stored.push(result.count === 1);
        }
        return stored;
      })) as boolean[];
    },
    async shares(publicKey, kind) {
      const rows = await sql<{ share_index: string; signature: string }[]>`SELECT share_index, signature
        FROM signature_shares WHERE public_key = ${normalizeKey(publicKey)} AND kind = ${kind} ORDER BY share_index`;
      return toShares(rows);
    },
    async putPublicKeyShares(publicKey, shares) {
      const key = normalizeKey(publicKey);
      await sql.begin(async (tx) => {
        for (const share of shares) {
          await tx`INSERT INTO public_key_shares (public_key, share_index, public_key_share)
            SELECT ${key}, ${share.shareIndex.toString()}, ${share.publicKeyShare}
            WHERE EXISTS (SELECT 1 FROM validators WHERE public_key = ${key})
            ON CONFLICT (public_key, share_index) DO NOTHING`;
        }
      });
    },
    async publicKeyShares(publicKey) {
      const rows = await sql<{ share_index: string; public_key_share: string }[]>`SELECT share_index,
        public_key_share FROM public_key_shares WHERE public_key = ${normalizeKey(publicKey)} ORDER BY share_index`;
      return toPublicKeyShares(rows);
    },
    async setSignatures(signatures) {
      return (await sql.begin(async (tx) => {
        const stored: boolean[] = [];
        for (const { publicKey, validatorIndex, kind, signature, oracleExitShares } of signatures) {
          const key = normalizeKey(publicKey);
          const oracleJson = kind === "exit" && oracleExitShares ? JSON.stringify(oracleExitShares) : null;
          const result =
            kind === "exit"
              ? await tx`UPDATE validators SET ${tx(signatureColumn(kind))} = ${signature}, oracle_shares_json = ${oracleJson}
                  WHERE public_key = ${key} AND validator_index = ${validatorIndex}`
              : await tx`UPDATE validators SET ${tx(signatureColumn(kind))} = ${signature}
                  WHERE public_key = ${key} AND validator_index = ${validatorIndex}`;
          stored.push(result.count === 1);
        }
        return stored;
      })) as boolean[];
    },
    async deleteValidatorsBefore(createdBefore) {
      const result = await sql`DELETE FROM validators WHERE created_at < ${createdBefore}`;
      return result.count;
    },
    async addRegisteredKeys(keys, source, block, checkpoint) {
      await sql.begin(async (tx) => {
        for (const key of keys) {
          await tx`INSERT INTO registered_keys (public_key, source, block)
            VALUES (${normalizeKey(key)}, ${source}, ${block.toString()}) ON CONFLICT (public_key) DO NOTHING`;
        }
        await tx`INSERT INTO checkpoints (name, block) VALUES (${checkpoint}, ${block.toString()})
          ON CONFLICT (name) DO UPDATE SET block = excluded.block`;
      });
    },
    async registeredKeys() {
      const rows = await sql<{ public_key: `0x${string}` }[]>`SELECT public_key FROM registered_keys`;
      return new Set(rows.map((row) => row.public_key));
    },
    async checkpoint(name) {
      const [row] = await sql<{ block: string }[]>`SELECT block FROM checkpoints WHERE name = ${name}`;
      return row ? BigInt(row.block) : undefined;
    },
    async ping() {
      await sql`SELECT 1`;
    },
    async close() {
      await sql.end({ timeout: 5 });
    },
  };
}
