import type { Address, Hex } from "viem";
import type { NetworkConfig } from "../../config/networks.ts";
import { parseHex } from "../../lib/hex.ts";
import type { Logger } from "../../lib/logger.ts";
import type { OracleKey } from "../accounts.ts";
import type { IpfsStore } from "../ipfs/store.ts";
import { combineSignatureShares, createBlsVerifier } from "./bls-shares.ts";
import { createExitRecords, type ExitRecordsJson } from "./exit-records.ts";
import type { OracleChain } from "./oracle-chain.ts";
import { type OracleFault, type OracleServer, startOracle } from "./oracle-server.ts";
import { decryptShard } from "./shard-decrypt.ts";

export interface CommitteeLimits {
  /** exit_signature_recover_threshold. */
  recoverThreshold: number;
  signatureValidityPeriod: number;
  validatorsApprovalBatchLimit: number;
  validatorsExitRotationBatchLimit: number;
}

export interface StartCommitteeParameters extends CommitteeLimits {
  keys: readonly OracleKey[];
  chain: OracleChain;
  chainId: number;
  keeper: Address;
  network: NetworkConfig;
  ipfs: IpfsStore;
  slowMs?: number;
  /** The ConsolidationsChecker the oracles sign for (POST /consolidate-validators/). */
  consolidationsChecker?: Address;
  /** Where the oracles log their decisions. */
  logger?: Logger;
  /** What a committee of an earlier run remembered (its snapshot), to carry on from. */
  restored?: CommitteeSnapshot;
  /** Called after every change of what snapshot() returns. */
  onChange?: () => void;
}

/** What the committee remembers across a restart: exit records, the set's generation, the ports. */
export interface CommitteeSnapshot {
  generation: number;
  records: ExitRecordsJson;
  /** Oracle address → the port it listened on: the same endpoints keep the Keeper's config valid. */
  ports: Record<string, number>;
}

/** The protocol config the committee publishes (spec §4.5): the fields real oracles publish that the devnet uses. */
export interface CommitteeConfigJson {
  /** `public_key`: the 64-byte uncompressed secp256k1 key (x ‖ y) in hex, without 0x. */
  oracles: Array<{ public_key: string; endpoints: string[] }>;
  exit_signature_recover_threshold: number;
  signature_validity_period: number;
  validators_approval_batch_limit: number;
  validators_exit_rotation_batch_limit: number;
  exit_signature_epoch: number;
}

export interface CommitteeOracle {
  key: OracleKey;
  server: OracleServer;
}

export interface OracleCommittee {
  /** Oracles in protocol-config order. */
  readonly oracles: readonly CommitteeOracle[];
  /** The protocol config JSON (spec §4.5) for the current oracle set. */
  config(): CommitteeConfigJson;
  /** Replaces the oracle set (keys in config order); exit shards made before become outdated. */
  replaceOracles(keys: readonly OracleKey[]): Promise<void>;
  setFault(position: number, fault: OracleFault | null): void;
  /**
   * The validator indexes the oracles report as force-exiting (GET /exits/): by every oracle, or
   * only by those at `positions` (an index counts for the operator once enough oracles report it).
   */
  setForcedExits(indexes: readonly number[], positions?: readonly number[]): void;
  /**
   * Reassembles a validator's exit signature from the shards stored under `ipfsHash`, the way the
   * oracles would when they must exit it: `recoverThreshold` oracles decrypt their shard.
   */
  reconstructExitSignature(ipfsHash: string, publicKey: Hex, positions?: readonly number[]): Uint8Array;
  snapshot(): CommitteeSnapshot;
  close(): Promise<void>;
}

/** N oracle doubles that share one view of the chain and of the exit signatures they approved. */
export async function startOracleCommittee(params: StartCommitteeParameters): Promise<OracleCommittee> {
  const changed = () => params.onChange?.();
  const records = createExitRecords({
    ...(params.restored ? { initial: params.restored.records } : {}),
    onChange: changed,
  });
  const bls = createBlsVerifier();
  const state = { generation: params.restored?.generation ?? 0, oracles: [] as CommitteeOracle[] };
  const ports = new Map(Object.entries(params.restored?.ports ?? {}));
  /** Forced exits by oracle address; `all` for oracles not named. */
  const forced = { all: [] as readonly number[], byOracle: new Map<Address, readonly number[]>() };
  const set = {
    oracleCount: () => state.oracles.length,
    recoverThreshold: () => params.recoverThreshold,
    generation: () => state.generation,
    signatureValidityPeriod: () => params.signatureValidityPeriod,
    approvalBatchLimit: () => params.validatorsApprovalBatchLimit,
    exitRotationBatchLimit: () => params.validatorsExitRotationBatchLimit,
  };

  const startOne = async (key: OracleKey): Promise<CommitteeOracle> => {
    const port = ports.get(key.address.toLowerCase());
    const start = (port: number) =>
      startOracle({
        privateKey: key.privateKey,
        position: () => state.oracles.findIndex((o) => o.key.address === key.address),
        set,
        chain: params.chain,
        chainId: params.chainId,
        keeper: params.keeper,
        network: params.network,
        ipfs: params.ipfs,
        records,
        bls,
        forcedExits: () => forced.byOracle.get(key.address) ?? forced.all,
        ...(params.consolidationsChecker ? { consolidationsChecker: params.consolidationsChecker } : {}),
        ...(params.logger ? { logger: params.logger } : {}),
        ...(params.slowMs !== undefined ? { slowMs: params.slowMs } : {}),
        port,
      });
    // The port of the last run may be taken now: another one then (the Keeper's config changes).
    const server = port === undefined ? await start(0) : await start(port).catch(() => start(0));
    ports.set(key.address.toLowerCase(), Number(new URL(server.url).port));
    return { key, server };
  };

  state.oracles = await Promise.all(params.keys.map(startOne));

  return {
    get oracles() {
      return state.oracles;
    },
    config() {
      return {
        oracles: state.oracles.map((o) => ({
          public_key: o.key.publicKey.slice(4),
          endpoints: [o.server.url],
        })),
        exit_signature_recover_threshold: params.recoverThreshold,
        signature_validity_period: params.signatureValidityPeriod,
        validators_approval_batch_limit: params.validatorsApprovalBatchLimit,
        validators_exit_rotation_batch_limit: params.validatorsExitRotationBatchLimit,
        exit_signature_epoch: params.network.capellaEpoch,
      };
    },
    async replaceOracles(keys) {
      const kept = new Map(state.oracles.map((o) => [o.key.address, o]));
      const next: CommitteeOracle[] = [];
      for (const key of keys) next.push(kept.get(key.address) ?? (await startOne(key)));
      const removed = state.oracles.filter((o) => !keys.some((k) => k.address === o.key.address));
      state.oracles = next;
      state.generation++;
      changed();
      await Promise.all(removed.map((o) => o.server.close()));
    },
    setFault(position, fault) {
      state.oracles[position]?.server.setFault(fault);
    },
    setForcedExits(indexes, positions) {
      forced.byOracle.clear();
      if (positions === undefined) {
        forced.all = [...indexes];
        return;
      }
      forced.all = [];
      for (const position of positions) {
        const oracle = state.oracles[position];
        if (oracle) forced.byOracle.set(oracle.key.address, [...indexes]);
      }
    },
    reconstructExitSignature(ipfsHash, publicKey, positions) {
      const bytes = params.ipfs.get(ipfsHash);
      if (!bytes) throw new Error(`no exit signatures stored under ${ipfsHash}`);
      const payload = JSON.parse(new TextDecoder().decode(bytes)) as {
        validators: Array<{ public_key: string; exit_signature_shards: string[] }>;
      };
      const entry = payload.validators.find((v) => v.public_key === publicKey.toLowerCase());
      if (!entry) throw new Error(`validator ${publicKey} is not in ${ipfsHash}`);
      const chosen = positions ?? state.oracles.slice(0, params.recoverThreshold).map((_, i) => i);
      const shares = chosen.map((position) => {
        const oracle = state.oracles[position];
        if (!oracle) throw new Error(`no oracle at position ${position}`);
        const privateKey = parseHex(oracle.key.privateKey, 32) as Uint8Array;
        return {
          x: position + 1,
          signature: decryptShard(
            privateKey,
            parseHex(entry.exit_signature_shards[position] as string) ?? new Uint8Array(0),
          ),
        };
      });
      return combineSignatureShares(shares);
    },
    snapshot() {
      const current = new Set(state.oracles.map((o) => o.key.address.toLowerCase()));
      return {
        generation: state.generation,
        records: records.snapshot(),
        ports: Object.fromEntries([...ports].filter(([address]) => current.has(address))),
      };
    },
    async close() {
      await Promise.all(state.oracles.map((o) => o.server.close()));
    },
  };
}
