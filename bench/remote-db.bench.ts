/**
 * `remote-db upload-keypairs` and `remote-db setup-web3signer` for 10,000 validator keys with 11
 * oracles (120,000 rows), against the local PostgreSQL, through the functions the commands call:
 * buildKeypairRecords + uploadKeypairRecords, then verifyEncryptionKey + decryptVaultKeys +
 * writeWeb3signerKeys. Each is set against the same primitives timed alone in this run (Shamir
 * split + SkToPk + EAX encrypt; the rows read through the bare driver's cursor + EAX decrypt + key
 * file writes), target ≤ 1.5×, and the memory growth is reported beside the keys' own size.
 *
 * Keys come from SecretKey.fromKeygen (no keystore scrypt: that cost is the keystores', not ours).
 * Needs PostgreSQL at 127.0.0.1:5432 (BENCH_PG_ADMIN_URL overrides); BENCH_REMOTE_DB_KEYS changes N.
 * Key files go to /dev/shm unless BENCH_SCRATCH_DIR names another directory.
 * Run alone: node bench/remote-db.bench.ts
 */
import { closeSync, existsSync, openSync, writeSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { SecretKey } from "@chainsafe/blst";
import postgres from "postgres";
import { splitSecretKey } from "../src/crypto/key-shares.ts";
import { createKeyCodec, generateEncryptionKey } from "../src/remote-db/encryption-key.ts";
import { parseEncryptionKey } from "../src/remote-db/encryption-key-input.ts";
import { RemoteDb } from "../src/remote-db/remote-db.ts";
import { verifyEncryptionKey } from "../src/remote-db/stored-keys.ts";
import { buildKeypairRecords, uploadKeypairRecords, type ValidatorSecret } from "../src/remote-db/upload.ts";
import {
  decryptVaultKeys,
  web3signerKeyYaml,
  writeWeb3signerKeys,
} from "../src/remote-db/web3signer-keys.ts";
import { formatRate, mib } from "./support.ts";

const ORACLES = 11;
const THRESHOLD = 6;
const TARGET_RATIO = 1.5;
/** Validators the primitives are timed on (scaled to N). */
const SAMPLE = 1000;
const VAULT = "0x8189aF89A7718C1baB5628399FC0ba50C6949bCc";
const SAMPLE_MS = 100;

function collectGarbage(): void {
  setFlagsFromString("--expose-gc");
  (runInNewContext("gc") as () => void)();
}

/** JS heap plus buffers outside it: the memory the code holds, whatever the allocator keeps. */
function liveBytes(): number {
  const { heapUsed, external } = process.memoryUsage();
  return heapUsed + external;
}

/** This process's CPU time (user + system) in ms: far steadier than wall time on a shared machine. */
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

interface Measured<T> {
  value: T;
  ms: number;
  /** CPU time of this process (the database server's own work is not in it). */
  cpu: number;
  /** Peak RSS minus RSS at the start (the kernel's high-water mark when it rose, plus samples). */
  peakGrowth: number;
  /** Peak sampled heap + external memory minus the start's. */
  liveGrowth: number;
}

/**
 * Runs `work`, sampling memory every 100 ms (the kernel's maxRSS catches the RSS peak between
 * samples). `process.memoryUsage()` walks the heap: sampled every few ms it cost the measured
 * code seconds of CPU that the primitives, timed without a sampler, never paid. The RSS growth of
 * a phase that follows another can read low (the first phase's freed heap is reused), hence the
 * live-memory figure beside it.
 */
async function measure<T>(work: () => Promise<T> | T): Promise<Measured<T>> {
  collectGarbage();
  const before = process.memoryUsage.rss();
  const liveBefore = liveBytes();
  let peak = before;
  let livePeak = liveBefore;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
    livePeak = Math.max(livePeak, liveBytes());
  }, SAMPLE_MS);
  const maxBefore = process.resourceUsage().maxRSS * 1024;
  const started = performance.now();
  const cpuStarted = cpuMs();
  try {
    const value = await work();
    const ms = performance.now() - started;
    const cpu = cpuMs() - cpuStarted;
    const maxAfter = process.resourceUsage().maxRSS * 1024;
    if (maxAfter > maxBefore) peak = Math.max(peak, maxAfter);
    peak = Math.max(peak, process.memoryUsage.rss());
    livePeak = Math.max(livePeak, liveBytes());
    return { value, ms, cpu, peakGrowth: peak - before, liveGrowth: livePeak - liveBefore };
  } finally {
    clearInterval(sampler);
  }
}

function scratchBase(): string {
  if (process.env.BENCH_SCRATCH_DIR) return process.env.BENCH_SCRATCH_DIR;
  return existsSync("/dev/shm") ? "/dev/shm" : tmpdir();
}

export async function run(): Promise<void> {
  const validators = Number(process.env.BENCH_REMOTE_DB_KEYS ?? 10_000);
  const adminUrl = process.env.BENCH_PG_ADMIN_URL ?? "postgresql://postgres:@127.0.0.1:5432/postgres";
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  const dbName = `vault_operator_bench_${Date.now().toString(36)}`;
  try {
    await admin.unsafe(`CREATE DATABASE ${dbName}`);
  } catch (error) {
    console.log(
      `remote-db: skipped, no PostgreSQL at ${adminUrl.replace(/\/\/[^@]*@/, "//***@")} (${(error as Error).message})`,
    );
    await admin.end();
    return;
  }
  // Key files go to tmpfs (/dev/shm) unless BENCH_SCRATCH_DIR says otherwise, and all stay until
  // the end. On this machine's ext4, creating 120,000 files took 3 s or 16-45 s of kernel CPU
  // depending on how many inodes had been freed in the last minutes (the allocator skips those
  // one by one), whichever code created them: a ratio against that measures the disk's history.
  const scratchRoot = await mkdtemp(join(scratchBase(), "vault-operator-bench-remote-db-"));
  const outputDir = join(scratchRoot, "web3signer");
  const dbUrl = adminUrl.replace(/\/postgres$/, `/${dbName}`);
  const db = await RemoteDb.connect({ url: dbUrl, network: "mainnet", vault: VAULT });
  // The driver alone, for the read the command's cursor does.
  const raw = postgres(dbUrl, { max: 1, onnotice: () => {} });
  try {
    await db.createTables();
    const keys: ValidatorSecret[] = Array.from({ length: validators }, (_, i) => {
      const ikm = new Uint8Array(32);
      new DataView(ikm.buffer).setUint32(0, i + 1);
      const secretKey = SecretKey.fromKeygen(ikm);
      return { secretKey: secretKey.toBytes(), publicKey: secretKey.toPublicKey().toBytes(true) };
    });
    const codec = createKeyCodec(parseEncryptionKey(generateEncryptionKey()));
    const rows = validators * (1 + ORACLES);
    const keysBytes = validators * 80;

    // The primitives alone, on a sample of keys, before and after each pipeline (the machine's
    // load drifts; the mean of the two is the reference): split, SkToPk of every share,
    // encryption of every row; decryption of every row, one key file written per row.
    const sample = keys.slice(0, Math.min(SAMPLE, validators));
    const scale = validators / sample.length;
    const uploadPrimitives = (): Record<"split" | "pk" | "encrypt" | "cpu", number> => {
      const cpuStarted = cpuMs();
      let started = performance.now();
      const sampleShares = sample.map((k) =>
        splitSecretKey({ secretKey: k.secretKey, threshold: THRESHOLD, shares: ORACLES }),
      );
      const split = performance.now() - started;
      started = performance.now();
      for (const shares of sampleShares) {
        for (const share of shares) SecretKey.fromBytes(share).toPublicKey().toBytes(true);
      }
      const pk = performance.now() - started;
      const plain = new Uint8Array(sample.length * (1 + ORACLES) * 32);
      started = performance.now();
      codec.encrypt(plain);
      const encrypt = performance.now() - started;
      return {
        split: split * scale,
        pk: pk * scale,
        encrypt: encrypt * scale,
        cpu: (cpuMs() - cpuStarted) * scale,
      };
    };
    const web3signerPrimitives = async (): Promise<Record<"read" | "decrypt" | "write" | "cpu", number>> => {
      const cpuStarted = cpuMs();
      let started = performance.now();
      let read = 0;
      for await (const batch of raw`SELECT public_key, private_key, nonce FROM mainnet_keypairs`.cursor(
        5000,
      )) {
        read += batch.length;
      }
      if (read !== rows) throw new Error(`read ${read} rows, expected ${rows}`);
      const readMs = performance.now() - started;
      const ciphertexts = new Uint8Array(rows * 32);
      const nonces = new Uint8Array(rows * 16);
      started = performance.now();
      codec.decrypt({ ciphertexts, nonces });
      const decrypt = performance.now() - started;
      const scratch = await mkdtemp(join(scratchRoot, "yaml-"));
      const yaml = web3signerKeyYaml(`0x${"ab".repeat(32)}`);
      started = performance.now();
      for (let i = 0; i < rows; i++) {
        const fd = openSync(join(scratch, `key_${i}.yaml`), "wx", 0o600);
        writeSync(fd, yaml);
        closeSync(fd);
      }
      const write = performance.now() - started;
      const cpu = cpuMs() - cpuStarted;
      return { read: readMs, decrypt, write, cpu };
    };
    const mean = <K extends string>(a: Record<K, number>, b: Record<K, number>): Record<K, number> =>
      Object.fromEntries(Object.keys(a).map((k) => [k, (a[k as K] + b[k as K]) / 2])) as Record<K, number>;
    const wallSum = (values: Record<string, number>) =>
      Object.entries(values).reduce((x, [k, v]) => (k === "cpu" ? x : x + v), 0);

    // upload-keypairs core: the functions the command calls after loading the keystores.
    const uploadBefore = uploadPrimitives();
    const upload = await measure(async () => {
      const records = await buildKeypairRecords({ keys, threshold: THRESHOLD, shares: ORACLES, codec });
      await uploadKeypairRecords(db, { records, depositData: [] });
      return records.data.length;
    });
    const uploadPrims = mean(uploadBefore, uploadPrimitives());

    // setup-web3signer core: key check, cursor read + decryption, key files.
    const web3signerBefore = await web3signerPrimitives();
    const web3signer = await measure(async () => {
      await verifyEncryptionKey(db, codec);
      const decrypted = await decryptVaultKeys(db, codec, { expected: await db.countKeypairs() });
      await writeWeb3signerKeys(outputDir, decrypted);
      decrypted.wipe();
      return decrypted.count;
    });
    if (web3signer.value !== rows) throw new Error(`wrote ${web3signer.value} keys, expected ${rows}`);
    const web3signerPrims = mean(web3signerBefore, await web3signerPrimitives());

    const line = (
      name: string,
      measured: Measured<unknown>,
      primitives: Record<string, number>,
      count: number,
    ) => {
      const wall = wallSum(primitives);
      const cpu = primitives.cpu as number;
      console.log(
        `remote-db ${name}: ${count} keys in ${(measured.ms / 1000).toFixed(1)} s = ${formatRate((count / measured.ms) * 1000)} keys/s; ` +
          `primitives alone ${(wall / 1000).toFixed(1)} s; ratio ${(measured.ms / wall).toFixed(2)} wall, ` +
          `${(measured.cpu / cpu).toFixed(2)} CPU (${(measured.cpu / 1000).toFixed(1)} s vs ${(cpu / 1000).toFixed(1)} s; target ≤ ${TARGET_RATIO}); ` +
          `peak RSS growth ${mib(measured.peakGrowth)}, heap+buffers growth ${mib(measured.liveGrowth)} with uncollected garbage (${formatRate(measured.liveGrowth / count)} B/key)`,
      );
    };
    line("upload-keypairs", upload, uploadPrims, validators);
    console.log(
      `  ${rows} rows (${mib(upload.value)} packed; keys themselves ${mib(keysBytes)}); primitives alone: split ${(uploadPrims.split / 1000).toFixed(1)} s, ` +
        `${rows - validators} × SkToPk ${(uploadPrims.pk / 1000).toFixed(1)} s, ${rows} × encrypt ${(uploadPrims.encrypt / 1000).toFixed(2)} s`,
    );
    line("setup-web3signer", web3signer, web3signerPrims, rows);
    console.log(
      `  primitives alone: read ${rows} rows through the driver's cursor ${web3signerPrims.read.toFixed(0)} ms, decrypt them ${web3signerPrims.decrypt.toFixed(0)} ms, write ${rows} key files ${web3signerPrims.write.toFixed(0)} ms`,
    );
  } finally {
    await db.close();
    await raw.end();
    await admin.unsafe(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end();
    await rm(scratchRoot, { recursive: true, force: true });
  }
}

if (import.meta.main) await run();
