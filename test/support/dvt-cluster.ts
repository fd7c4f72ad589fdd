/**
 * The one builder of distributed-validator clusters for tests: validator keys split into the
 * shares a DVT cluster's nodes hold, on the devnet's code (src/devnet/dvt: the same files and
 * sharesData `operator devnet --dvt` makes), with the secrets handed back so a test can sign as a
 * node would and scan the relayer's state for them.
 *
 * - `writeObolCluster` writes what charon leaves on disk (src/devnet/dvt/obol-files.ts):
 *   `cluster-lock.json` and, per node i, `node<i>/validator_keys/keystore-N.json` + `.txt`
 *   (a cheap PBKDF2 so tests stay fast). Node i holds share index i + 1.
 * - `ssvClusterShares` builds each validator's registerValidator sharesData for SSV operator
 *   doubles (share index = operator id), and `validatorAddedLogs` the SSVNetwork logs a node would
 *   return for them.
 * - `clusterValidator` / `sidecarShare`: one validator's shares at any share indexes and what
 *   each sidecar posts for it, for the relayer's HTTP tests; `oracleKeys` the oracles' keys.
 */
import { SecretKey } from "@chainsafe/blst";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { toHex } from "viem";
import { exitSigningRoot } from "../../src/crypto/exit-message.ts";
import {
  type DvtValidatorShares,
  splitValidatorKey,
  splitValidatorKeys,
} from "../../src/devnet/dvt/dvt-keys.ts";
import { type ObolClusterFiles, writeObolFiles } from "../../src/devnet/dvt/obol-files.ts";
import { ssvValidatorShares } from "../../src/devnet/dvt/ssv-shares.ts";
import type { SigningNetwork } from "../../src/dvt/relayer/signing-roots.ts";
import { depositSigningRoot } from "../../src/keys/deposit-datum.ts";
import { vaultWithdrawalCredentials } from "../../src/keys/withdrawal-credentials.ts";
import { parseHex, toPrefixedHex } from "../../src/lib/hex.ts";
import type { SsvSharesData } from "../../src/ssv/keyshares/shares-data.ts";
import type { RawLog } from "../../src/ssv/ssv-events.ts";
import { ssvLog } from "./ssv-logs.ts";
import type { SsvOperatorDouble } from "./ssv-operator.ts";

export type { DvtValidatorShares } from "../../src/devnet/dvt/dvt-keys.ts";

export interface ObolCluster extends ObolClusterFiles {
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

export async function writeObolCluster(params: WriteObolClusterParameters): Promise<ObolCluster> {
  const size = params.size ?? 4;
  const threshold = params.threshold ?? 3;
  const validators = splitValidatorKeys(
    params.secretKeys,
    threshold,
    Array.from({ length: size }, (_, i) => i + 1),
  );
  const files = await writeObolFiles({
    dir: params.dir,
    validators,
    threshold,
    name: "test cluster",
    ...(params.lockVersion ? { lockVersion: params.lockVersion } : {}),
    password: (node, n) => `node${node}-keystore${n}`,
  });
  return { ...files, validators };
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
  return ssvValidatorShares({
    secretKeys: params.secretKeys,
    operators: params.operators.map((o) => ({ id: o.id, publicKey: o.registryPublicKey })),
    owner: params.owner,
    nonce: params.nonce ?? 0,
  });
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

/**
 * One validator of a simulated cluster for the relayer's tests: its key split at the cluster's
 * share indexes (1 … n for Obol, operator ids for SSV), by share index.
 */
export interface ClusterValidator {
  secretKey: Uint8Array;
  publicKey: `0x${string}`;
  shareSecrets: Map<bigint, Uint8Array>;
  publicKeyShares: Map<bigint, `0x${string}`>;
}

export function clusterValidator(
  seed: number,
  shareIndexes: readonly bigint[],
  threshold: number,
): ClusterValidator {
  const secret = SecretKey.fromKeygen(new Uint8Array(32).fill(seed));
  const split = splitValidatorKey(secret, threshold, shareIndexes.map(Number));
  return {
    secretKey: secret.toBytes(),
    publicKey: split.publicKey,
    shareSecrets: new Map(split.shares.map((s, i) => [shareIndexes[i] as bigint, s.secretKey])),
    publicKeyShares: new Map(split.shares.map((s, i) => [shareIndexes[i] as bigint, s.publicKey])),
  };
}

/** The sidecar of `shareIndex`: its exit (and deposit) signature shares for one validator. */
export function sidecarShare(
  network: SigningNetwork,
  validator: ClusterValidator,
  shareIndex: bigint,
  job: { validatorIndex: number; vault?: `0x${string}`; amountGwei?: number; type?: "0x01" | "0x02" },
) {
  const key = SecretKey.fromBytes(validator.shareSecrets.get(shareIndex) as Uint8Array);
  const exit = key.sign(exitSigningRoot(network, job.validatorIndex)).toBytes(true);
  const deposit =
    job.vault === undefined
      ? undefined
      : key
          .sign(
            depositSigningRoot(
              {
                publicKey: parseHex(validator.publicKey, 48) as Uint8Array,
                withdrawalCredentials: vaultWithdrawalCredentials(
                  job.vault,
                  job.type === "0x02" ? 0x02 : 0x01,
                ),
                amountGwei: job.amountGwei ?? 32_000_000_000,
              },
              parseHex(network.genesisForkVersion, 4) as Uint8Array,
            ).signingRoot,
          )
          .toBytes(true);
  return {
    public_key: validator.publicKey,
    exit_signature: toPrefixedHex(exit),
    ...(deposit ? { deposit_signature: toPrefixedHex(deposit) } : {}),
    public_key_shares: [...validator.publicKeyShares].map(([x, key]) => ({
      share_index: Number(x),
      public_key_share: key,
    })),
  };
}

/** Oracle secp256k1 keys (private for decrypting in the test, public as the protocol config lists them). */
export function oracleKeys(count: number): { privateKey: Uint8Array; publicKey: `0x${string}` }[] {
  return Array.from({ length: count }, (_, i) => {
    const privateKey = new Uint8Array(32).fill(i + 1);
    return { privateKey, publicKey: toPrefixedHex(secp256k1.getPublicKey(privateKey, false).slice(1)) };
  });
}
