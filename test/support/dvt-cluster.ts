/**
 * Distributed-validator clusters for tests (and, later, the devnet): one validator key split
 * into the shares a DVT cluster's nodes hold.
 *
 * - `writeObolCluster` writes what charon leaves on disk: `cluster-lock.json` (lock format
 *   v1.8.0: each validator's `distributed_public_key` and `public_shares[i]` for node i) and, per
 *   node i, `node<i>/validator_keys/keystore-N.json` + `keystore-N.txt` (EIP-2335, a cheap
 *   PBKDF2 so tests stay fast). Node i holds share index i + 1, the Shamir split of
 *   src/crypto/key-shares.ts at x = 1 … n.
 * - `ssvClusterShares` builds each validator's registerValidator sharesData for SSV operators
 *   (src/ssv/keyshares buildSharesData; share index = operator id), and `validatorAddedLogs`
 *   the SSVNetwork logs a node would return for them.
 *
 * Shares come back too (`shareSecret`), so a test can sign as a node would; production code never
 * sees them here.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { SecretKey } from "@chainsafe/blst";
import { toHex } from "viem";
import { splitSecretKey } from "../../src/crypto/key-shares.ts";
import { createKeystore, serializeKeystore } from "../../src/crypto/keystore.ts";
import { parseOperatorPublicKey } from "../../src/ssv/keyshares/operator-public-key.ts";
import { buildSharesData, type SsvSharesData } from "../../src/ssv/keyshares/shares-data.ts";
import type { RawLog } from "../../src/ssv/ssv-events.ts";
import { ssvLog } from "./ssv-logs.ts";
import type { SsvOperatorDouble } from "./ssv-operator.ts";

export interface DvtValidatorShares {
  /** The validator's public key, 0x + hex. */
  publicKey: `0x${string}`;
  /** Share j is held by share index xs[j] (Obol: node j + 1; SSV: operator id). */
  shares: { shareIndex: number; secretKey: Uint8Array; publicKey: `0x${string}` }[];
}

export interface ObolCluster {
  dir: string;
  clusterLockFile: string;
  /** Node i's validator_keys directory (0-based). */
  keystoresDir(node: number): string;
  validators: DvtValidatorShares[];
}

export interface WriteObolClusterParameters {
  dir: string;
  secretKeys: readonly (SecretKey | Uint8Array)[];
  /** Nodes (default 4). */
  size?: number;
  /** Shares that sign (default 3). */
  threshold?: number;
  /** cluster_definition.version (default v1.8.0); "v1.1.0" writes threshold_verifiers instead of public_shares. */
  lockVersion?: string;
}

function keyBytes(key: SecretKey | Uint8Array): Uint8Array {
  return key instanceof Uint8Array ? key : key.toBytes();
}

/** Splits each validator key into `size` shares at x = 1 … size (or at `xs`). */
export function splitValidators(
  secretKeys: readonly (SecretKey | Uint8Array)[],
  threshold: number,
  xs: readonly number[],
): DvtValidatorShares[] {
  return secretKeys.map((key) => {
    const bytes = keyBytes(key);
    const secrets = splitSecretKey({ secretKey: bytes, threshold, xCoordinates: xs.map(BigInt) });
    return {
      publicKey: toHex(SecretKey.fromBytes(bytes).toPublicKey().toBytes(true)),
      shares: secrets.map((secret, j) => ({
        shareIndex: xs[j] as number,
        secretKey: secret,
        publicKey: toHex(SecretKey.fromBytes(secret).toPublicKey().toBytes(true)),
      })),
    };
  });
}

export async function writeObolCluster(params: WriteObolClusterParameters): Promise<ObolCluster> {
  const size = params.size ?? 4;
  const threshold = params.threshold ?? 3;
  const version = params.lockVersion ?? "v1.8.0";
  const validators = splitValidators(
    params.secretKeys,
    threshold,
    Array.from({ length: size }, (_, i) => i + 1),
  );
  const old = version === "v1.0.0" || version === "v1.1.0";
  const lock = {
    cluster_definition: { name: "test cluster", version, num_validators: validators.length, threshold },
    distributed_validators: validators.map((v) => ({
      distributed_public_key: v.publicKey,
      ...(old
        ? { threshold_verifiers: v.shares.map((s) => s.publicKey) }
        : { public_shares: v.shares.map((s) => s.publicKey) }),
    })),
  };
  await mkdir(params.dir, { recursive: true });
  const clusterLockFile = join(params.dir, "cluster-lock.json");
  await writeFile(clusterLockFile, JSON.stringify(lock, null, 1));
  const keystoresDir = (node: number) => join(params.dir, `node${node}`, "validator_keys");
  for (let node = 0; node < size; node++) {
    await mkdir(keystoresDir(node), { recursive: true });
    for (const [n, validator] of validators.entries()) {
      const share = validator.shares[node];
      if (!share) throw new Error(`no share for node ${node}`);
      const password = `node${node}-keystore${n}`;
      const keystore = await createKeystore({
        secretKey: share.secretKey,
        publicKey: Buffer.from(share.publicKey.slice(2), "hex"),
        path: "",
        password,
        kdf: { function: "pbkdf2", c: 16 },
      });
      await writeFile(join(keystoresDir(node), `keystore-${n}.json`), serializeKeystore(keystore));
      await writeFile(join(keystoresDir(node), `keystore-${n}.txt`), password);
    }
  }
  return { dir: params.dir, clusterLockFile, keystoresDir, validators };
}

export interface SsvClusterSharesParameters {
  secretKeys: readonly (SecretKey | Uint8Array)[];
  /** The cluster's operators in ascending id order (test/support/ssv-operator.ts doubles). */
  operators: readonly SsvOperatorDouble[];
  owner: string;
  /** The owner's nonce before the first validator (default 0). */
  nonce?: number;
}

/** Each validator's sharesData for the operators (share index = operator id), signed for nonce + k. */
export function ssvClusterShares(params: SsvClusterSharesParameters): SsvSharesData[] {
  const operators = params.operators.map((o) => ({
    id: o.id,
    publicKey: parseOperatorPublicKey(o.registryPublicKey, o.id),
  }));
  return params.secretKeys.map((key, k) =>
    buildSharesData({
      secretKey: keyBytes(key),
      operators,
      owner: params.owner,
      nonce: BigInt((params.nonce ?? 0) + k),
    }),
  );
}

/** SSVNetwork ValidatorAdded logs of `shares`, one per block from `fromBlock`. */
export function validatorAddedLogs(
  shares: readonly SsvSharesData[],
  owner: string,
  fromBlock: bigint,
): RawLog[] {
  return shares.map((s, k) =>
    ssvLog(
      "ValidatorAdded",
      {
        owner,
        operatorIds: s.operatorIds,
        publicKey: toHex(s.publicKey),
        shares: toHex(s.sharesData),
        cluster: { validatorCount: k + 1, networkFeeIndex: 0n, index: 0n, active: true, balance: 0n },
      },
      { blockNumber: fromBlock + BigInt(k), transactionIndex: 0, logIndex: 0 },
    ),
  );
}
