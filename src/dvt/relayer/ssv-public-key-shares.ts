import type { Address, PublicClient } from "viem";
import { parseHex } from "../../lib/hex.ts";
import { parseSharesData } from "../../ssv/keyshares/shares-data.ts";
import type { ValidatorAddedEvent } from "../../ssv/ssv-event-types.ts";
import { ssvOwnerEventChunks } from "../../ssv/ssv-events.ts";
import type { PublicKeyShareSource, PublicKeyShares } from "./public-key-shares.ts";
import { normalizeKey } from "./store.ts";

/**
 * A validator's public key shares from its ValidatorAdded event: sharesData holds one share key
 * per operator, in the order of `operatorIds`; the share index (x-coordinate) is the operator id.
 */
export function ssvPublicKeyShares(
  event: Pick<ValidatorAddedEvent, "operatorIds" | "shares">,
): PublicKeyShares {
  const parsed = parseSharesData(parseHex(event.shares) ?? new Uint8Array(), event.operatorIds.length);
  return new Map(event.operatorIds.map((id, i) => [id, parsed.sharePublicKeys[i] as Uint8Array]));
}

/** Reads the owner's ValidatorAdded events between two blocks (inclusive). */
export type ValidatorAddedScan = (fromBlock: bigint, toBlock: bigint) => Promise<ValidatorAddedEvent[]>;

export interface SsvShareSourceParameters {
  scan: ValidatorAddedScan;
  head: () => Promise<bigint>;
  /** The first block to read (the SSVNetwork deployment, or later when the owner started later). */
  fromBlock: bigint;
}

/**
 * Public key shares from the cluster owner's ValidatorAdded events. A key it does not know yet
 * makes it read the blocks after the last it read (one read at a time); a validator removed and
 * added again takes its latest event.
 */
export function ssvShareSource(params: SsvShareSourceParameters): PublicKeyShareSource {
  const byKey = new Map<string, PublicKeyShares>();
  let next = params.fromBlock;
  let reading: Promise<void> | undefined;
  const catchUp = async () => {
    const head = await params.head();
    if (head < next) return;
    for (const event of await params.scan(next, head)) {
      byKey.set(normalizeKey(event.publicKey), ssvPublicKeyShares(event));
    }
    next = head + 1n;
  };
  return {
    name: "ssv",
    async sharesOf(publicKey) {
      const key = normalizeKey(publicKey);
      if (!byKey.has(key)) {
        reading ??= catchUp().finally(() => {
          reading = undefined;
        });
        await reading;
      }
      return byKey.get(key);
    },
  };
}

/** The scan over the chain: the owner's SSVNetwork events, ValidatorAdded kept. */
export function ownerValidatorAddedScan(
  client: PublicClient,
  ssvNetwork: Address,
  owner: Address,
): ValidatorAddedScan {
  return async (fromBlock, toBlock) => {
    const added: ValidatorAddedEvent[] = [];
    for await (const chunk of ssvOwnerEventChunks({ client, ssvNetwork, owner, fromBlock, toBlock })) {
      for (const event of chunk.events) if (event.name === "ValidatorAdded") added.push(event);
    }
    return added;
  };
}
