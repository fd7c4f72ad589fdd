import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { serializeDepositData } from "../src/keys/deposit-data-file.ts";
import { DEPOSIT_CLI_VERSION, type DepositDatumJson, depositDataRoot } from "../src/keys/deposit-datum.ts";
import { vaultWithdrawalCredentials } from "../src/keys/withdrawal-credentials.ts";
import { toHex } from "../src/lib/hex.ts";
import { BENCH_VAULT } from "./support.ts";

const CLI = fileURLToPath(new URL("../src/bin/operator.ts", import.meta.url));
const LIMIT_SECONDS = 5;

/**
 * A deposit data file of `count` entries with random keys and signatures but consistent
 * deposit data roots (get-validators-root checks them; it does not verify BLS signatures).
 */
function syntheticDepositData(count: number): string {
  const credentials = vaultWithdrawalCredentials(BENCH_VAULT);
  const entries: DepositDatumJson[] = [];
  for (let i = 0; i < count; i++) {
    const pubkey = randomBytes(48);
    const signature = randomBytes(96);
    entries.push({
      pubkey: toHex(pubkey),
      withdrawal_credentials: toHex(credentials),
      amount: 32_000_000_000,
      signature: toHex(signature),
      deposit_message_root: toHex(randomBytes(32)),
      deposit_data_root: toHex(depositDataRoot(pubkey, credentials, 32_000_000_000, signature)),
      fork_version: "00000000",
      network_name: "mainnet",
      deposit_cli_version: DEPOSIT_CLI_VERSION,
    });
  }
  return serializeDepositData(entries);
}

export async function run(): Promise<void> {
  const count = Number(process.env.BENCH_DEPOSIT_ENTRIES ?? 100_000);
  const dir = await mkdtemp(join(tmpdir(), "vault-operator-bench-"));
  try {
    const file = join(dir, "deposit_data.json");
    await writeFile(file, syntheticDepositData(count));
    const args = [
      CLI,
      "get-validators-root",
      "--vault",
      BENCH_VAULT,
      "--data-dir",
      dir,
      "--deposit-data-file",
      file,
    ];
    const started = performance.now();
    const out = execFileSync(process.execPath, args, { encoding: "utf8" });
    const seconds = (performance.now() - started) / 1000;
    if (!out.includes("Merkle tree root: 0x")) throw new Error(`unexpected output: ${out}`);
    console.log(
      `get-validators-root: ${count} deposit data entries in ${seconds.toFixed(2)} s, whole command incl. Node start-up (limit ${LIMIT_SECONDS} s)`,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (import.meta.main) await run();
