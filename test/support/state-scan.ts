/**
 * Everything a process left on disk, as text a test can search for key material (issue 14
 * must-be-true 3): every row of every table of each SQLite file (found by its header, whatever its
 * name) and, for every other file, its text and its bytes as hex. Symbolic links are not followed.
 */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";

const SQLITE_HEADER = "SQLite format 3\0";

function sqliteRows(file: string): string {
  const db = new DatabaseSync(file, { readOnly: true });
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as {
      name: string;
    }[];
    const json = (rows: unknown) =>
      JSON.stringify(rows, (_, v) =>
        typeof v === "bigint" ? v.toString() : v instanceof Uint8Array ? Buffer.from(v).toString("hex") : v,
      );
    return tables.map(({ name }) => json(db.prepare(`SELECT * FROM "${name}"`).all())).join("\n");
  } finally {
    db.close();
  }
}

/**
 * The files under `dir` (recursively) as searchable text, and how many files were read; the
 * directories named in `skip` (paths under `dir`) are left out.
 */
export async function stateText(
  dir: string,
  skip: readonly string[] = [],
): Promise<{ text: string; files: number }> {
  const skipped = new Set(skip.map((name) => join(dir, name)));
  const parts: string[] = [];
  let files = 0;
  const walk = async (at: string): Promise<void> => {
    for (const entry of await readdir(at, { withFileTypes: true })) {
      const path = join(at, entry.name);
      if (skipped.has(path)) continue;
      if (entry.isDirectory()) await walk(path);
      if (!entry.isFile()) continue;
      const bytes = await readFile(path);
      files++;
      if (bytes.subarray(0, SQLITE_HEADER.length).toString("latin1") === SQLITE_HEADER) {
        parts.push(sqliteRows(path));
      }
      // The raw bytes too: a WAL or journal file, or a table the dump above could not read.
      parts.push(bytes.toString("utf8"), bytes.toString("hex"));
    }
  };
  await walk(dir);
  return { text: parts.join("\n").toLowerCase(), files };
}
