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
}

export function createExitRecords(): ExitRecords {
  const vaults = new Map<string, Map<string, ExitRecord>>();
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
    },
    proposeUpdate(vault, publicKeys, generation, nonce) {
      const records = of(vault);
      for (const publicKey of publicKeys) {
        const record = records.get(publicKey.toLowerCase());
        if (record) record.pending = { generation, nonce };
      }
    },
    outdated(vault, generation, keeperNonce) {
      const result: number[] = [];
      for (const record of of(vault).values()) {
        if (record.pending && keeperNonce > record.pending.nonce) {
          record.generation = record.pending.generation;
          delete record.pending;
        }
        if (record.generation < generation) result.push(record.index);
      }
      return result.sort((a, b) => a - b);
    },
    indexOf(vault, publicKey) {
      return of(vault).get(publicKey.toLowerCase())?.index;
    },
  };
}
