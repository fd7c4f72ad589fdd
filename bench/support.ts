import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { vaultPaths, writeVaultConfig } from "../src/config/data-dir.ts";
import { deriveValidatorKey } from "../src/crypto/bls-keys.ts";
import { mnemonicToSeed } from "../src/crypto/mnemonic.ts";
import { toPrefixedHex } from "../src/lib/hex.ts";

export const BENCH_MNEMONIC = "legal winner thank year wave sausage worth useful legal winner thank yellow";
export const BENCH_VAULT: `0x${string}` = "0x3320ad928c20187602a2b2c04eeaa813fa899468";

/** A data dir with the vault's config.json, as `operator init` leaves it. */
export async function benchDataDir(
  network = "mainnet",
): Promise<{ dataDir: string; cleanup: () => Promise<void> }> {
  const dataDir = await mkdtemp(join(tmpdir(), "vault-operator-bench-"));
  const firstKey = toPrefixedHex(deriveValidatorKey(mnemonicToSeed(BENCH_MNEMONIC), 0).publicKey);
  await writeVaultConfig(vaultPaths(dataDir, BENCH_VAULT), {
    network: network as "mainnet",
    mnemonic_next_index: 0,
    first_public_key: firstKey,
  });
  return { dataDir, cleanup: () => rm(dataDir, { recursive: true, force: true }) };
}

export function formatRate(value: number): string {
  return value >= 100 ? value.toFixed(0) : value.toFixed(2);
}

export function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
}
