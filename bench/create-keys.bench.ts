import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { deriveValidatorKey } from "../src/crypto/bls-keys.ts";
import { createKeystore, DEPOSIT_CLI_SCRYPT } from "../src/crypto/keystore.ts";
import { benchDataDir, formatRate, mib } from "./support.ts";

const CHILD = fileURLToPath(new URL("./create-keys-child.ts", import.meta.url));

interface ChildResult {
  count: number;
  seconds: number;
  maxRssBytes: number;
}

async function createKeysInChild(count: number): Promise<ChildResult> {
  const { dataDir, cleanup } = await benchDataDir();
  try {
    const out = execFileSync(process.execPath, [CHILD, dataDir, String(count)], { encoding: "utf8" });
    return JSON.parse(out.trim().split("\n").at(-1) as string) as ChildResult;
  } finally {
    await cleanup();
  }
}

/** One scrypt keystore (n=2^18, r=8, p=1) timed alone: the unit of work create-keys is bound by. */
async function timeOneKeystore(): Promise<number> {
  const key = deriveValidatorKey(randomBytes(64), 0);
  const secret = key.secretKey.toBytes();
  const run = async () => {
    const started = performance.now();
    await createKeystore({
      secretKey: secret,
      publicKey: key.publicKey,
      path: key.path,
      password: "benchmark-password",
      kdf: DEPOSIT_CLI_SCRYPT,
    });
    return (performance.now() - started) / 1000;
  };
  await run(); // warm-up: first call pays for page faults of the 256 MiB scrypt buffer
  const samples = [await run(), await run(), await run()];
  return Math.min(...samples);
}

export async function run(): Promise<void> {
  const cores = availableParallelism();
  const count = Number(process.env.BENCH_KEYS ?? 200);
  const kdfSeconds = await timeOneKeystore();
  const limit = cores / kdfSeconds;
  const result = await createKeysInChild(count);
  const rate = result.count / result.seconds;
  console.log(
    `create-keys: ${result.count} keys in ${result.seconds.toFixed(1)} s = ${formatRate(rate)} keys/s; ` +
      `KDF-bound limit ${formatRate(limit)} keys/s (one scrypt keystore ${(kdfSeconds * 1000).toFixed(0)} ms × ${cores} cores); ` +
      `ratio ${(rate / limit).toFixed(2)} (target ≥ 0.85)`,
  );

  const small = Number(process.env.BENCH_KEYS_SMALL ?? 50);
  const large = Number(process.env.BENCH_KEYS_LARGE ?? 400);
  const a = await createKeysInChild(small);
  const b = await createKeysInChild(large);
  console.log(
    `create-keys peak memory: ${mib(a.maxRssBytes)} for ${small} keys, ${mib(b.maxRssBytes)} for ${large} keys ` +
      `(limit 1536 MiB; must not grow with the count)`,
  );
}

if (import.meta.main) await run();
