import { randomBytes } from "node:crypto";
import postgres from "postgres";

/** The test PostgreSQL (127.0.0.1:5432, trust auth, database `test`; `.ci/run` starts it). */
export const RELAYER_TEST_DB_URL =
  process.env.RELAYER_TEST_DB_URL ?? "postgresql://postgres@127.0.0.1:5432/test";

/** A fresh schema for one test file, and a drop for its end. */
export async function temporarySchema(): Promise<{ schema: string; drop(): Promise<void> }> {
  const schema = `relayer_${randomBytes(6).toString("hex")}`;
  return {
    schema,
    async drop() {
      const sql = postgres(RELAYER_TEST_DB_URL, { max: 1, onnotice: () => {} });
      try {
        await sql.unsafe(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      } finally {
        await sql.end({ timeout: 1 });
      }
    },
  };
}
