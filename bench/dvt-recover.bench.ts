import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SecretKey } from "@chainsafe/blst";
import { resolveNetwork } from "../src/config/networks.ts";
import { exitSigningRoot } from "../src/crypto/exit-message.ts";
import { shareKeyPublicKeys, splitSecretKey } from "../src/crypto/key-shares.ts";
import { combineSignatureShares, verifySignatureShare } from "../src/crypto/shamir.ts";
import { obolShareSource } from "../src/dvt/relayer/obol-cluster-lock.ts";
import { createRelayerCore } from "../src/dvt/relayer/relayer-core.ts";
import { openSqliteRelayerStore } from "../src/dvt/relayer/sqlite-store.ts";
import { parseHex, toPrefixedHex } from "../src/lib/hex.ts";
import { createLoggerFromSink } from "../src/lib/logger.ts";
import { buildExitShards } from "../src/oracles/exit-shares.ts";
import { type ClusterValidator, oracleKeys, sidecarShare } from "../test/support/dvt-cluster.ts";
import { recipientsFor } from "../test/support/oracle-fixtures.ts";
import { blsVerifies, decryptShard, verifyShard } from "../test/support/oracle-side.ts";

const SHARE_INDEXES = [1n, 2n, 3n, 4n];
const THRESHOLD = 3;
/** The sidecars that answer: 3 of 4 (the 4th is down). */
const SENDERS = SHARE_INDEXES.slice(0, THRESHOLD);
const ORACLES = 11;
const ORACLE_THRESHOLD = 5;
const TARGET_RATIO = 1.25;
const ROUNDS = 5;
const FIRST_INDEX = 1_000_000;

/**
 * Issue 14 must-be-true 5: the relayer receiving 3 of 4 sidecars' exit signature shares for many
 * validators (each share checked against its public key share, stored in SQLite, t of them
 * Lagrange-combined, the signature verified and re-shared for 11 oracles with ECIES), against the
 * same primitives run alone on the same inputs (share verify, combine, verify, oracle split +
 * ECIES). Rounds alternate between the two so both see the same machine load.
 */
export async function run(): Promise<void> {
  const count = Number(process.env.BENCH_DVT_VALIDATORS ?? 1000);
  const network = resolveNetwork("mainnet", { devnetFile: "" });
  let started = performance.now();
  const validators = Array.from({ length: count }, (_, i) => clusterOf(i));
  const sidecars = SENDERS.map((x) =>
    validators.map((v, i) => sidecarShare(network, v, x, { validatorIndex: FIRST_INDEX + i })),
  );
  const oracles = oracleKeys(ORACLES);
  const recipients = recipientsFor(oracles.map((o) => o.publicKey));
  const setupMs = performance.now() - started;

  const dir = mkdtempSync(join(tmpdir(), "dvt-recover-bench-"));
  const store = openSqliteRelayerStore({ file: join(dir, "relayer.db"), network: network.name });
  try {
    const source = obolShareSource(
      {
        cluster_definition: { threshold: THRESHOLD },
        distributed_validators: validators.map((v) => ({
          distributed_public_key: v.publicKey,
          public_shares: [...v.publicKeyShares.values()],
        })),
      },
      { file: "cluster-lock.json", threshold: THRESHOLD },
    );
    const core = createRelayerCore(
      { network, threshold: THRESHOLD },
      {
        store,
        publicKeyShares: source,
        oracles: async () => ({ recipients, threshold: ORACLE_THRESHOLD }),
        log: createLoggerFromSink(() => {}, { level: "error" }),
        metrics: null,
      },
    );
    await core.recordValidators(
      validators.map((v, i) => ({
        publicKey: v.publicKey,
        vault: null,
        amountGwei: 0,
        validatorType: "0x01" as const,
        validatorIndex: FIRST_INDEX + i,
        createdAt: Math.floor(Date.now() / 1000),
      })),
    );

    // The same work with nothing around it: bytes parsed and signing roots computed beforehand.
    const inputs = validators.map((v, i) => ({
      root: exitSigningRoot(network, FIRST_INDEX + i),
      publicKey: parseHex(v.publicKey, 48) as Uint8Array,
      shares: SENDERS.map((x, s) => ({
        x,
        publicKey: parseHex(v.publicKeyShares.get(x) as string, 48) as Uint8Array,
        signature: parseHex(sidecars[s]?.[i]?.exit_signature as string, 96) as Uint8Array,
      })),
    }));
    const primitives = (i: number) => {
      const input = inputs[i] as (typeof inputs)[number];
      for (const share of input.shares) {
        if (!verifySignatureShare(input.root, share)) throw new Error("share does not verify");
      }
      const signature = combineSignatureShares(input.shares);
      if (!verifySignatureShare(input.root, { publicKey: input.publicKey, signature }))
        throw new Error("signature does not verify");
      return buildExitShards({
        exitSignature: signature,
        validatorPublicKey: input.publicKey,
        validatorIndex: FIRST_INDEX + i,
        network,
        threshold: ORACLE_THRESHOLD,
        oracles: recipients,
      });
    };
    for (let i = 0; i < 3; i++) primitives(i); // warm-up: JIT, lazy tables

    let relayerMs = 0;
    let primitivesMs = 0;
    const perRound = Math.ceil(count / ROUNDS);
    for (let from = 0; from < count; from += perRound) {
      const to = Math.min(count, from + perRound);
      started = performance.now();
      for (const [s, x] of SENDERS.entries()) {
        await core.receiveShares(x, (sidecars[s] ?? []).slice(from, to).map(incoming));
      }
      relayerMs += performance.now() - started;
      started = performance.now();
      for (let i = from; i < to; i++) primitives(i);
      primitivesMs += performance.now() - started;
    }

    await check(core, validators, oracles, network, count - 1);
    const ratio = relayerMs / primitivesMs;
    console.log(
      `dvt recover: ${count} validators, ${SENDERS.length} of ${SHARE_INDEXES.length} shares (t=${THRESHOLD}), ` +
        `${ORACLES} oracles (t=${ORACLE_THRESHOLD}): relayer ${(relayerMs / count).toFixed(2)} ms/validator, ` +
        `primitives alone ${(primitivesMs / count).toFixed(2)} ms/validator; ratio ${ratio.toFixed(2)} ` +
        `(limit ≤ ${TARGET_RATIO}${ratio <= TARGET_RATIO ? ", met" : ", NOT met"}); cluster setup ${(setupMs / 1000).toFixed(1)} s`,
    );
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A validator key split at share indexes 1..4 (threshold 3), from a distinct key per `i`. */
function clusterOf(i: number): ClusterValidator {
  const ikm = new Uint8Array(32);
  new DataView(ikm.buffer).setUint32(0, i + 1);
  const secret = SecretKey.fromKeygen(ikm);
  const shares = splitSecretKey({
    secretKey: secret.toBytes(),
    threshold: THRESHOLD,
    xCoordinates: SHARE_INDEXES,
  });
  const publicShares = shareKeyPublicKeys(shares);
  return {
    secretKey: secret.toBytes(),
    publicKey: toPrefixedHex(secret.toPublicKey().toBytes(true)),
    shareSecrets: new Map(SHARE_INDEXES.map((x, j) => [x, shares[j] as Uint8Array])),
    publicKeyShares: new Map(SHARE_INDEXES.map((x, j) => [x, toPrefixedHex(publicShares[j] as Uint8Array)])),
  };
}

const incoming = (share: ReturnType<typeof sidecarShare>) => ({
  publicKey: share.public_key,
  exitSignature: share.exit_signature,
});

/** The last validator's result is what the oracles accept: each shard decrypts and verifies. */
async function check(
  core: ReturnType<typeof createRelayerCore>,
  validators: readonly ClusterValidator[],
  oracles: ReturnType<typeof oracleKeys>,
  network: ReturnType<typeof resolveNetwork>,
  i: number,
): Promise<void> {
  const validator = validators[i] as ClusterValidator;
  const record = await core.validator(validator.publicKey);
  const root = exitSigningRoot(network, FIRST_INDEX + i);
  const key = parseHex(validator.publicKey, 48) as Uint8Array;
  if (!record?.exitSignature || !blsVerifies(key, root, parseHex(record.exitSignature, 96) as Uint8Array))
    throw new Error("the relayer did not recover a verifying exit signature");
  const shards = record.oracleExitShares;
  if (!shards) throw new Error("the exit signature was not re-shared");
  oracles.forEach((oracle, j) => {
    const shard = decryptShard(oracle.privateKey, shards.encryptedExitSignatures[j] ?? "");
    if (!verifyShard(shard, shards.publicKeys[j] ?? "", root))
      throw new Error(`oracle ${j}'s shard does not verify`);
  });
}

if (import.meta.main) await run();
