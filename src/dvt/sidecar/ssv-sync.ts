import type { KeyObject } from "node:crypto";
import type { Address, PublicClient } from "viem";
import type { Logger } from "../../lib/logger.ts";
import { operatorKeyMatches } from "../../ssv/keyshares/operator-private-key.ts";
import { scanOperatorEvents, ssvValidatorAddedChunks } from "../../ssv/ssv-events.ts";
import { SsvOperatorError } from "./errors.ts";
import type { SidecarDb, SsvValidatorRow } from "./sidecar-db.ts";

/**
 * The SSV side of the sidecar's state: the validators whose ValidatorAdded events name this
 * operator, scanned from the checkpoint to the finalized block in windows of about 12 hours,
 * each window's validators and its end block written in one transaction.
 */

export interface SsvChain {
  client: Pick<PublicClient, "request">;
  ssvNetwork: Address;
  /** SSVNetwork's deployment block (the operator registry is read from here). */
  deployBlock: bigint;
  /** The execution block of the finalized beacon block. */
  finalizedBlock(signal?: AbortSignal): Promise<bigint>;
}

export interface SsvOperatorRecord {
  /** Block of the operator's OperatorAdded: no validator of it can be older. */
  addedBlock: bigint;
  /** The registered RSA public key (registry form). */
  publicKey: string;
}

/** The operator's OperatorAdded, checked against its private key; one line when absent or another key. */
export async function checkSsvOperator(
  chain: SsvChain,
  params: { operatorId: bigint; privateKey: KeyObject; signal?: AbortSignal },
): Promise<SsvOperatorRecord> {
  const finalized = await chain.finalizedBlock(params.signal);
  const events = await scanOperatorEvents({
    client: chain.client,
    ssvNetwork: chain.ssvNetwork,
    operatorIds: [params.operatorId],
    fromBlock: chain.deployBlock,
    toBlock: finalized,
    ...(params.signal ? { signal: params.signal } : {}),
  });
  const added = events.find((e) => e.name === "OperatorAdded");
  if (added?.name !== "OperatorAdded") {
    throw new SsvOperatorError(
      `SSV operator ${params.operatorId} is not registered on SSVNetwork ${chain.ssvNetwork} (up to finalized block ${finalized}): check --ssv-operator-id and --network`,
    );
  }
  if (!operatorKeyMatches(params.privateKey, added.publicKey, params.operatorId)) {
    throw new SsvOperatorError(
      `--ssv-operator-key-file is not the key of SSV operator ${params.operatorId}: its public key differs from the one registered on chain`,
    );
  }
  return { addedBlock: added.blockNumber, publicKey: added.publicKey };
}

export interface SyncSsvValidatorsParameters {
  operatorId: bigint;
  /** Where a first scan starts (the operator's OperatorAdded block). */
  startBlock: bigint;
  /** Blocks per window: about 12 hours of the chain's blocks. */
  windowBlocks: bigint;
  signal?: AbortSignal;
}

/** Scans new ValidatorAdded events into the database; returns this operator's new (or re-added) validators. */
export async function syncSsvValidators(
  chain: SsvChain,
  db: SidecarDb,
  params: SyncSsvValidatorsParameters,
  log?: Logger,
): Promise<SsvValidatorRow[]> {
  const finalized = await chain.finalizedBlock(params.signal);
  const checkpoint = db.checkpoint();
  const from = checkpoint === undefined ? params.startBlock : checkpoint + 1n;
  if (from > finalized) return [];
  const found: SsvValidatorRow[] = [];
  for await (const chunk of ssvValidatorAddedChunks({
    client: chain.client,
    ssvNetwork: chain.ssvNetwork,
    fromBlock: from,
    toBlock: finalized,
    initialChunk: params.windowBlocks,
    maxChunk: params.windowBlocks,
    ...(params.signal ? { signal: params.signal } : {}),
    ...(log ? { logger: log } : {}),
  })) {
    const rows: SsvValidatorRow[] = [];
    for (const event of chunk.events) {
      if (event.name !== "ValidatorAdded" || !event.operatorIds.includes(params.operatorId)) continue;
      rows.push({ publicKey: event.publicKey, operatorIds: event.operatorIds, sharesData: event.shares });
    }
    db.saveValidators(rows, chunk.toBlock);
    found.push(...rows);
  }
  return found;
}
