/**
 * What one oracle remembers of the exit signatures it approved: per vault, per validator, under
 * which oracle-set generation the shards were made. A validator whose shards predate the current
 * generation is "outdated" and must be re-shared (spec §6.5). An update approved through
 * POST /signatures counts once the Keeper's nonce for the vault has moved past it.
 */
interface ExitRecord {
  index: number;
  generation: number;
  /** Set while an update waits for its Keeper transaction: the nonce it was signed for. */
  pending?: { generation: number; nonce: bigint };
}

export interface ExitRecords {
  approve(
    vault: string,
    validators: ReadonlyArray<{ publicKey: string; index: number }>,
    generation: number,
  ): void;
  proposeUpdate(vault: string, publicKeys: readonly string[], generation: number, nonce: bigint): void;
  /** Indexes of the vault's validators with outdated shards, after applying landed updates. */
  outdated(vault: string, generation: number, keeperNonce: bigint): number[];
  indexOf(vault: string, publicKey: string): number | undefined;
  /** Everything remembered, as JSON (nonces as decimal text), for createExitRecords to read back. */
  snapshot(): ExitRecordsJson;
}

/** vault → validator public key → record; all lowercase. */
export type ExitRecordsJson = Record<
  string,
  Record<string, { index: number; generation: number; pending?: { generation: number; nonce: string } }>
>;

export interface CreateExitRecordsOptions {
  /** Records to start from (a snapshot written before a restart). */
  initial?: ExitRecordsJson;
  /** Called after every change, so that the owner can write a snapshot. */
  onChange?: () => void;
}

export function createExitRecords(options: CreateExitRecordsOptions = {}): ExitRecords {
  const vaults = new Map<string, Map<string, ExitRecord>>();
  for (const [vault, records] of Object.entries(options.initial ?? {})) {
    const map = new Map<string, ExitRecord>();
    for (const [publicKey, r] of Object.entries(records)) {
      map.set(publicKey, {
        index: r.index,
        generation: r.generation,
        ...(r.pending
          ? { pending: { generation: r.pending.generation, nonce: BigInt(r.pending.nonce) } }
          : {}),
      });
    }
    vaults.set(vault, map);
  }
  const changed = () => options.onChange?.();
  const of = (vault: string) => {
    const key = vault.toLowerCase();
    let records = vaults.get(key);
    if (!records) {
      records = new Map();
      vaults.set(key, records);
    }
    return records;
  };
  return {
    approve(vault, validators, generation) {
      const records = of(vault);
      for (const v of validators) records.set(v.publicKey.toLowerCase(), { index: v.index, generation });
      changed();
    },
    proposeUpdate(vault, publicKeys, generation, nonce) {
      const records = of(vault);
      for (const publicKey of publicKeys) {
        const record = records.get(publicKey.toLowerCase());
        if (record) record.pending = { generation, nonce };
      }
      changed();
    },
    outdated(vault, generation, keeperNonce) {
      const result: number[] = [];
      let landed = false;
      for (const record of of(vault).values()) {
        if (record.pending && keeperNonce > record.pending.nonce) {
          record.generation = record.pending.generation;
          delete record.pending;
          landed = true;
        }
        if (record.generation < generation) result.push(record.index);
      }
      if (landed) changed();
      return result.sort((a, b) => a - b);
    },
    indexOf(vault, publicKey) {
      return of(vault).get(publicKey.toLowerCase())?.index;
    },
    snapshot() {
      const json: ExitRecordsJson = {};
      for (const [vault, records] of vaults) {
        if (records.size === 0) continue;
        const out: ExitRecordsJson[string] = {};
        for (const [publicKey, r] of records) {
          out[publicKey] = {
            index: r.index,
            generation: r.generation,
            ...(r.pending
              ? { pending: { generation: r.pending.generation, nonce: r.pending.nonce.toString() } }
              : {}),
          };
        }
        json[vault] = out;
      }
      return json;
    },
  };
}
