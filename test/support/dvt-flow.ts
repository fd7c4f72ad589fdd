/**
 * The DVT relayer and its sidecars wired together in one process, for flow tests (issue 14
 * must-be-true 2–4 without a devnet): the relayer's fastify app on a loopback port over a SQLite
 * file (restartable on the same port and file), and sidecars made of the real relayer client,
 * pollRound and share signer. Every HTTP body, both ways, and every log line is kept, so a test
 * can scan them (and the relayer's database) for key material.
 *
 * What the flow produces is checked with code the operator does not share: the devnet oracles'
 * SSZ roots, ECIES shard decryption and Lagrange recombination, and @noble/curves BLS.
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { SecretKey } from "@chainsafe/blst";
import { bls12_381 } from "@noble/curves/bls12-381.js";
import type { FastifyInstance } from "fastify";
import { createPublicClient, http } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import type { EciesRecipient } from "../../src/crypto/ecies.ts";
import type { Devnet } from "../../src/devnet/devnet.ts";
import {
  depositDomain,
  depositMessageRoot,
  signingRoot,
  vaultCredentials,
  voluntaryExitDomain,
  voluntaryExitRoot,
} from "../../src/devnet/oracles/consensus-roots.ts";
import {
  type ManagerAccount,
  type ManagerChain,
  managerChain,
} from "../../src/dvt/relayer/manager-signature.ts";
import type { PublicKeyShareSource } from "../../src/dvt/relayer/public-key-shares.ts";
import { createRelayerCore } from "../../src/dvt/relayer/relayer-core.ts";
import { createRelayerApp, type RelayerProtocol } from "../../src/dvt/relayer/server.ts";
import type { SigningNetwork } from "../../src/dvt/relayer/signing-roots.ts";
import { openSqliteRelayerStore } from "../../src/dvt/relayer/sqlite-store.ts";
import { loadObolKeys } from "../../src/dvt/sidecar/obol-keys.ts";
import { pollRound } from "../../src/dvt/sidecar/poll-round.ts";
import { createRelayerClient } from "../../src/dvt/sidecar/relayer-client.ts";
import { ShareKeys } from "../../src/dvt/sidecar/share-keys.ts";
import { createShareSigner } from "../../src/dvt/sidecar/share-signer.ts";
import { parseHex, toHex } from "../../src/lib/hex.ts";
import { oracleKeys } from "./dvt-cluster.ts";
import { type MemoryLogger, memoryLogger } from "./memory-logger.ts";
import { type Json, recipientsFor } from "./oracle-fixtures.ts";
import { combineSignatureShares, decryptShard } from "./oracle-side.ts";

export const FLOW_THRESHOLD = 3;
export const FLOW_ORACLES = oracleKeys(4);
const ORACLE_THRESHOLD = 3;
export const FLOW_MANAGER = privateKeyToAccount(`0x${"11".repeat(32)}`);
export const MANAGER_CHAIN_ID = 31337;
const MANAGER_CHAIN = {
  chainId: MANAGER_CHAIN_ID,
  depositRoot: async () => `0x${"5e".repeat(32)}` as const,
  validatorsManagerNonce: async () => 7n,
};

/** Validator secret keys for a flow: deterministic, distinct per seed. */
export function flowSecretKeys(seeds: readonly number[]): SecretKey[] {
  return seeds.map((seed) => SecretKey.fromKeygen(new Uint8Array(32).fill(seed)));
}

export interface FlowRelayerOptions {
  protocol: RelayerProtocol;
  network: SigningNetwork & { name: string };
  /** The SQLite file: a restart reopens it. */
  file: string;
  source: PublicKeyShareSource | undefined;
  /** v4: the public keys file's keys, in order. */
  keys: readonly `0x${string}`[];
  /** Legacy: the index the first new validator gets (a function: read when the operator asks). */
  nextValidatorIndex?: number | (() => Promise<number>);
  /** Every HTTP body and log line lands here. */
  transcript: string[];
  /** A devnet's chain, oracles and manager wallet instead of the fixed ones (start --relayer-endpoint e2e). */
  chain?: {
    manager: ManagerAccount;
    managerChain: ManagerChain;
    oracles: { recipients: EciesRecipient[]; threshold: number };
  };
}

export interface FlowRelayer {
  readonly url: string;
  readonly log: MemoryLogger;
  /** POSTs the sidecars made, by path ("/signatures", "/exit-signature"), since the start. */
  readonly sidecarPosts: string[];
  call(method: "GET" | "POST", path: string, body?: unknown): Promise<{ status: number; body: Json }>;
  /** Stops the process's state (app and store) and starts it again on the same port and file. */
  restart(): Promise<void>;
  close(): Promise<void>;
  /** Every row of every relayer table, as JSON text. */
  dbRows(): string;
  /** Rows of signature_shares. */
  shareRows(): number;
}

/** The relayer as `operator relayer` composes it, minus the chain: fixed oracles, key list and manager chain. */
export async function startFlowRelayer(options: FlowRelayerOptions): Promise<FlowRelayer> {
  const log = memoryLogger();
  const sidecarPosts: string[] = [];
  const recipients = recipientsFor(FLOW_ORACLES.map((o) => o.publicKey));
  let port = 0;
  let running: { app: FastifyInstance; close: () => Promise<void> } | undefined;

  const start = async () => {
    const store = openSqliteRelayerStore({ file: options.file, network: options.network.name });
    const core = createRelayerCore(
      { network: options.network, threshold: FLOW_THRESHOLD },
      {
        store,
        publicKeyShares: options.source,
        oracles: async () => options.chain?.oracles ?? { recipients, threshold: ORACLE_THRESHOLD },
        log,
        metrics: null,
      },
    );
    const app = createRelayerApp(
      { protocol: options.protocol, network: options.network.name },
      {
        core,
        log,
        keys: { unregisteredKeys: async () => [...options.keys] },
        manager: options.chain
          ? { chain: options.chain.managerChain, account: options.chain.manager }
          : { chain: MANAGER_CHAIN, account: FLOW_MANAGER },
        nextValidatorIndex: async () =>
          typeof options.nextValidatorIndex === "function"
            ? options.nextValidatorIndex()
            : (options.nextValidatorIndex ?? 500),
      },
    );
    app.addHook("preHandler", async (request) => {
      if (request.body !== undefined) options.transcript.push(JSON.stringify(request.body));
      if (request.method === "POST" && (request.url === "/signatures" || request.url === "/exit-signature")) {
        sidecarPosts.push(request.url);
      }
    });
    app.addHook("onSend", async (_request, _reply, payload) => {
      if (typeof payload === "string") options.transcript.push(payload);
      return payload;
    });
    await app.listen({ host: "127.0.0.1", port });
    const address = app.server.address();
    if (address === null || typeof address === "string") throw new Error("relayer has no TCP address");
    port = address.port;
    running = {
      app,
      close: async () => {
        await app.close();
        await store.close();
      },
    };
  };
  await start();

  const call = async (method: "GET" | "POST", path: string, body?: unknown) => {
    const response = await fetch(`http://127.0.0.1:${port}${path}`, {
      method,
      ...(body === undefined
        ? {}
        : {
            headers: { "content-type": "application/json" },
            body: typeof body === "string" ? body : JSON.stringify(body),
          }),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };

  const readDb = <T>(read: (db: DatabaseSync) => T): T => {
    const db = new DatabaseSync(options.file, { readOnly: true });
    try {
      return read(db);
    } finally {
      db.close();
    }
  };

  return {
    get url() {
      return `http://127.0.0.1:${port}`;
    },
    log,
    sidecarPosts,
    call,
    async restart() {
      await running?.close();
      running = undefined;
      // Let the clients' pooled keep-alive sockets see the close before the port is served again.
      await new Promise((resolve) => setTimeout(resolve, 20));
      await start();
    },
    async close() {
      await running?.close();
      running = undefined;
      options.transcript.push(...log.entries.map((entry) => JSON.stringify(entry)));
    },
    dbRows: () => relayerDbRows(options.file),
    shareRows: () =>
      readDb((db) =>
        Number((db.prepare("SELECT COUNT(*) AS n FROM signature_shares").get() as { n: number }).n),
      ),
  };
}

const TABLES = [
  "relayer_meta",
  "validators",
  "signature_shares",
  "public_key_shares",
  "registered_keys",
  "checkpoints",
];

/** Every row of every table of a relayer's SQLite file, as JSON text. */
export function relayerDbRows(file: string): string {
  const db = new DatabaseSync(file, { readOnly: true });
  try {
    const json = (rows: unknown) =>
      JSON.stringify(rows, (_, v) => (typeof v === "bigint" ? v.toString() : v));
    return TABLES.map((table) => json(db.prepare(`SELECT * FROM ${table}`).all())).join("\n");
  } finally {
    db.close();
  }
}

/**
 * Must-be-true 3 over a whole flow: no secret (a validator key or a key share, as hex) in the
 * transcript (HTTP bodies both ways, relayer and sidecar logs) or in any relayer database row.
 */
export function assertNoKeyMaterial(
  transcript: readonly string[],
  databases: readonly string[],
  secrets: readonly Uint8Array[],
): void {
  const haystack = [...transcript, ...databases.map(relayerDbRows)].join("\n").toLowerCase();
  assert.ok(haystack.length > 20_000, `only ${haystack.length} characters scanned`);
  assert.ok(secrets.length > 0);
  for (const secret of secrets) {
    // Bare hex: with or without 0x, and inside a hex dump of raw bytes.
    assert.equal(haystack.includes(toHex(secret).slice(2)), false, "a key or key share was found");
  }
}

export interface FlowSidecar {
  readonly shareIndex: number;
  readonly log: MemoryLogger;
  /** One poll of the relayer (spec A.9), as the sidecar's loop runs it. */
  round(): ReturnType<typeof pollRound>;
}

/** A sidecar of `keys` talking to the relayer at `url` with the real client, round and signer. */
export function flowSidecar(
  url: string,
  protocol: RelayerProtocol,
  keys: ShareKeys,
  network: SigningNetwork,
): FlowSidecar {
  const log = memoryLogger();
  const relayer = createRelayerClient({ endpoint: url, protocol, timeoutMs: 5_000 });
  const signer = createShareSigner(network);
  return {
    shareIndex: keys.shareIndex,
    log,
    round: () => pollRound({ relayer, keys, signer, log }),
  };
}

/** The keys of a node gone wrong: same share index and public key shares, other secrets. */
export function withWrongSecrets(keys: ShareKeys, publicKeys: readonly `0x${string}`[]): ShareKeys {
  const wrong = new ShareKeys(keys.shareIndex);
  for (const [i, publicKey] of publicKeys.entries()) {
    const key = keys.get(publicKey);
    if (!key) throw new Error(`node ${keys.shareIndex} holds no share of ${publicKey}`);
    wrong.add({ ...key, secretKey: SecretKey.fromKeygen(new Uint8Array(32).fill(200 + i)) });
  }
  return wrong;
}

const POP_DST = "BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_";
const { longSignatures } = bls12_381;

function bytes(hex: string, length?: number): Uint8Array {
  const parsed = parseHex(hex, length);
  if (!parsed) throw new TypeError(`not ${length ?? ""}-byte hex: ${hex.slice(0, 20)}`);
  return parsed;
}

/** BLS verification with @noble/curves alone. */
export function nobleVerifies(publicKey: string, root: Uint8Array, signature: string | Uint8Array): boolean {
  try {
    return longSignatures.verify(
      longSignatures.Signature.fromBytes(typeof signature === "string" ? bytes(signature, 96) : signature),
      longSignatures.hash(root, POP_DST),
      bls12_381.G1.Point.fromBytes(bytes(publicKey, 48)),
    );
  } catch {
    return false;
  }
}

/** The exit's signing root under the Capella domain, from the devnet oracles' SSZ code. */
export function independentExitRoot(network: SigningNetwork, validatorIndex: number): Uint8Array {
  return signingRoot(
    voluntaryExitRoot(network.capellaEpoch, validatorIndex),
    voluntaryExitDomain(bytes(network.capellaForkVersion, 4), bytes(network.genesisValidatorsRoot, 32)),
  );
}

/** The deposit message's signing root under the deposit domain, from the devnet oracles' SSZ code. */
export function independentDepositRoot(
  network: SigningNetwork,
  deposit: { publicKey: string; vault: string; amountGwei: number; type: 0x01 | 0x02 },
): Uint8Array {
  return signingRoot(
    depositMessageRoot(
      bytes(deposit.publicKey, 48),
      vaultCredentials(bytes(deposit.vault, 20), deposit.type),
      deposit.amountGwei,
    ),
    depositDomain(bytes(network.genesisForkVersion, 4)),
  );
}

/** What the oracles do with the relayer's shards: t of them decrypted and recombined (oracles 1, 3, 4). */
export function oraclesExitSignature(shares: { encrypted_exit_signatures: string[] }): Uint8Array {
  return combineSignatureShares(
    [0, 2, 3].map((j) => ({
      x: j + 1,
      signature: decryptShard(
        FLOW_ORACLES[j]?.privateKey as Uint8Array,
        shares.encrypted_exit_signatures[j] as string,
      ),
    })),
  );
}

/**
 * A v4 relayer that only signs as a devnet vault's validators manager (no keys, no sidecars), for
 * the one-shot manager calls (consolidate, exit-validators --relayer-endpoint): its wallet is made
 * the vault's manager.
 */
export async function startManagerRelayer(p: {
  devnet: Pick<Devnet, "network" | "executionUrl" | "oracleKeys" | "setValidatorsManager">;
  file: string;
}): Promise<FlowRelayer> {
  const manager = privateKeyToAccount(generatePrivateKey());
  await p.devnet.setValidatorsManager(manager.address);
  const { network } = p.devnet;
  return startFlowRelayer({
    protocol: "v4",
    network,
    file: p.file,
    source: undefined,
    keys: [],
    transcript: [],
    chain: {
      manager,
      managerChain: managerChain(
        createPublicClient({ transport: http(p.devnet.executionUrl) }),
        network.chainId,
        network.depositContract.address,
      ),
      oracles: { recipients: recipientsFor(p.devnet.oracleKeys.map((k) => k.publicKey)), threshold: 2 },
    },
  });
}

/** Each node's key shares of an Obol cluster on disk, loaded the sidecar's way (nodes 0-based). */
export async function obolNodeKeys(
  obol: { clusterLockFile: string; keystoresDir(node: number): string },
  nodeIndexes: readonly number[],
): Promise<ShareKeys[]> {
  return Promise.all(
    nodeIndexes.map(
      async (nodeIndex) =>
        (
          await loadObolKeys({
            keystoresDir: obol.keystoresDir(nodeIndex),
            clusterLockFile: obol.clusterLockFile,
            nodeIndex,
          })
        ).keys,
    ),
  );
}

/**
 * Sidecars polling the relayer every `intervalMs` as their loops would, rounds never overlapping
 * and a failed round retried at the next tick; the returned function stops them.
 */
export function pollSidecars(sidecars: readonly FlowSidecar[], intervalMs = 300): () => void {
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    void Promise.all(sidecars.map((s) => s.round().catch(() => undefined))).finally(() => {
      busy = false;
    });
  }, intervalMs);
  return () => clearInterval(timer);
}
