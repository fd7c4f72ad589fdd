import { randomBytes } from "node:crypto";
import postgres from "postgres";

/** The test PostgreSQL (127.0.0.1:5432, trust auth, database `test`; `.ci/run` starts it). */
export const OPERATOR_TEST_DB_URL =
  process.env.OPERATOR_TEST_DB_URL ?? "postgresql://postgres@127.0.0.1:5432/test";

/** A fresh database for one test (its URL), and a drop for its end that ends its sessions too. */
export async function temporaryDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `operator_${randomBytes(6).toString("hex")}`;
  const admin = () => postgres(OPERATOR_TEST_DB_URL, { max: 1, onnotice: () => {} });
  const sql = admin();
  try {
    await sql.unsafe(`CREATE DATABASE ${name}`);
  } finally {
    await sql.end({ timeout: 1 });
  }
  const url = new URL(OPERATOR_TEST_DB_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const sql = admin();
      try {
        await sql.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await sql.end({ timeout: 1 });
      }
    },
  };
}

/**
 * Ends the server sessions of `url`'s database whose application_name is `application` (the
 * leader lock's own session is "vault-operator-leader"), from another session: what a network
 * partition or a DBA's pg_terminate_backend does. Returns the pids ended, once they are gone.
 */
export async function terminateSessions(
  url: string,
  filter: { pid?: number; application?: string },
): Promise<number[]> {
  const database = new URL(url).pathname.slice(1);
  const sql = postgres(OPERATOR_TEST_DB_URL, { max: 1, onnotice: () => {} });
  try {
    const rows = await sql<{ pid: number }[]>`SELECT pid FROM pg_stat_activity
      WHERE datname = ${database} AND pid <> pg_backend_pid()
        AND (${filter.pid ?? null}::int IS NULL OR pid = ${filter.pid ?? null}::int)
        AND (${filter.application ?? null}::text IS NULL OR application_name = ${filter.application ?? null}::text)`;
    // With a timeout, pg_terminate_backend waits until the session is gone (its locks released).
    for (const { pid } of rows) await sql`SELECT pg_terminate_backend(${pid}, 5000)`;
    return rows.map((row) => row.pid);
  } finally {
    await sql.end({ timeout: 1 });
  }
}

/** The pid of the session that holds an advisory lock of namespace `classid` in `url`'s database. */
export async function advisoryLockHolder(url: string, classid: number): Promise<number | undefined> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const [row] = await sql<{ pid: number }[]>`SELECT pid FROM pg_locks
      WHERE locktype = 'advisory' AND granted AND classid = ${classid}
        AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`;
    return row?.pid;
  } finally {
    await sql.end({ timeout: 1 });
  }
}
