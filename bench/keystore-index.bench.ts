/**
 * Indexes a keystores dir of 10,000 keystores, as `operator start` does at startup: every file
 * is read, parsed and validated, no KDF runs. Limit: seconds, not hours (the Python operator
 * decrypts every keystore at startup, ~0.8 s of scrypt each), and a start RSS under 300 MiB.
 *
 * Run alone: node bench/keystore-index.bench.ts
 */
import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { SecretKey } from "@chainsafe/blst";
import { createKeystore, serializeKeystore } from "../src/crypto/keystore.ts";
import { indexKeystores } from "../src/keys/sources/keystore-index.ts";
import { mib } from "./support.ts";

const KEYSTORES = 10_000;
const RSS_LIMIT_MIB = 300;
const SECONDS_BUDGET = 5;

function collectGarbage(): void {
  setFlagsFromString("--expose-gc");
  (runInNewContext("gc") as () => void)();
}

export async function run(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "vault-operator-bench-keystores-"));
  try {
    const secretKey = SecretKey.fromKeygen(randomBytes(32));
    const template = await createKeystore({
      secretKey: secretKey.toBytes(),
      publicKey: secretKey.toPublicKey().toBytes(true),
      path: "m/12381/3600/0/0/0",
      password: "bench-password",
      kdf: { function: "scrypt", n: 1024, r: 8, p: 1 },
    });
    await writeFile(join(dir, "password.txt"), "bench-password");
    for (let start = 0; start < KEYSTORES; start += 500) {
      await Promise.all(
        Array.from({ length: Math.min(500, KEYSTORES - start) }, (_, j) => {
          const i = start + j;
          const path = `m/12381/3600/${i}/0/0`;
          const text = serializeKeystore({ ...template, pubkey: randomBytes(48).toString("hex"), path });
          return writeFile(join(dir, `keystore-m_12381_3600_${i}_0_0-1700000000.json`), text);
        }),
      );
    }

    collectGarbage();
    const heapBefore = process.memoryUsage().heapUsed;
    const started = performance.now();
    const index = await indexKeystores({ keystoresDir: dir, passwordFile: join(dir, "password.txt") });
    const seconds = (performance.now() - started) / 1000;
    collectGarbage();
    const { heapUsed, rss } = process.memoryUsage();
    if (index.size !== KEYSTORES) throw new Error(`indexed ${index.size} keystores, expected ${KEYSTORES}`);

    console.log(
      `keystore index: ${KEYSTORES} keystores in ${seconds.toFixed(2)} s, heap +${mib(heapUsed - heapBefore)}, RSS ${mib(rss)} (limit: seconds, not hours; start RSS < ${RSS_LIMIT_MIB} MiB)`,
    );
    if (seconds > SECONDS_BUDGET) console.warn(`keystore index: slower than the ${SECONDS_BUDGET} s budget`);
    if (rss > RSS_LIMIT_MIB * 1024 * 1024) console.warn(`keystore index: RSS above ${RSS_LIMIT_MIB} MiB`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (import.meta.main) await run();
