import { PublicKey, Signature, verify } from "@chainsafe/blst";
import type { PublicClient } from "viem";
import { depositEventChunks } from "../chain/deposit-events.ts";
import type { NetworkConfig } from "../config/networks.ts";
import { computeDepositDomain, computeSigningRoot } from "../crypto/signing.ts";
import { DepositMessage } from "../crypto/ssz-types.ts";
import { parseHex } from "../lib/hex.ts";
import type { DepositStore } from "./state/service-store.ts";
import { CHECKPOINT_NETWORK_VALIDATORS } from "./state/state-store.ts";

/** The deposits the service counts: settled ones from the store, the newest ones read live. */
export interface DepositsView {
  /** Public keys with a valid deposit: the beacon index the next new validator gets. */
  count: number;
  /** Whether the key has a valid deposit; exact for the live blocks and for `candidates`. */
  has(publicKey: string): boolean;
}

/** Blocks under the head whose deposits are read live every slot, never stored (a reorg may drop them). */
export const DEPOSIT_REORG_DEPTH = 64n;

/**
 * Follows the deposit contract (spec §4.1, §6.3): every public key with a valid deposit signature.
 * It predicts the beacon index of new validators and tells which keys someone else already
 * deposited. Deposits deeper than `reorgDepth` under `head` are stored once (with the scan
 * checkpoint); the newest blocks are read afresh each time, so a deposit a reorg removed is never
 * counted for good (the Python operator's `latest_keys`). The store is asked once per call about
 * `candidates`, the keys a flow will ask `has` about (the signer's): a key outside them and the
 * live blocks is reported without a deposit (a flow never registers a key it does not hold).
 */
export async function followDeposits(params: {
  client: PublicClient;
  network: NetworkConfig;
  store: DepositStore;
  head: bigint;
  reorgDepth?: bigint;
  candidates?: () => readonly string[];
}): Promise<DepositsView> {
  const { network, store } = params;
  const domain = computeDepositDomain(parseHex(network.genesisForkVersion, 4) as Uint8Array);
  const settledTo = params.head - (params.reorgDepth ?? DEPOSIT_REORG_DEPTH);
  const genesis = BigInt(network.depositContract.genesisBlock);
  const scanned = async () =>
    BigInt(
      (await store.checkpoint(CHECKPOINT_NETWORK_VALIDATORS)) ?? network.depositContract.genesisBlock - 1,
    );

  const from = await scanned();
  if (settledTo > from) {
    for await (const chunk of depositEventChunks({
      client: params.client,
      depositContract: network.depositContract.address,
      fromBlock: from + 1n,
      toBlock: settledTo,
      // An outage fails this slot's round at once; the next slot scans again.
      unreachable: "throw",
    })) {
      const known = await store.networkValidatorsAmong(chunk.events.map((e) => e.pubkey));
      const rows = chunk.events
        .filter((e) => !known.has(e.pubkey.toLowerCase()) && validDeposit(e, domain))
        .map((e) => ({ publicKey: e.pubkey, blockNumber: Number(e.blockNumber) }));
      await store.addNetworkValidators(rows, Number(chunk.toBlock));
    }
  }

  const live = new Set<string>();
  const settled = await scanned();
  const liveFrom = settled + 1n > genesis ? settled + 1n : genesis;
  if (liveFrom <= params.head) {
    for await (const chunk of depositEventChunks({
      client: params.client,
      depositContract: network.depositContract.address,
      fromBlock: liveFrom,
      toBlock: params.head,
      // An outage fails this slot's round at once; the next slot scans again.
      unreachable: "throw",
    })) {
      const stored = await store.networkValidatorsAmong(chunk.events.map((e) => e.pubkey));
      for (const e of chunk.events) {
        const key = e.pubkey.toLowerCase();
        if (!live.has(key) && !stored.has(key) && validDeposit(e, domain)) live.add(key);
      }
    }
  }
  const count = (await store.networkValidatorCount()) + live.size;
  const known = await store.networkValidatorsAmong(params.candidates?.() ?? []);
  return {
    count,
    has: (publicKey) => live.has(publicKey.toLowerCase()) || known.has(publicKey.toLowerCase()),
  };
}

function validDeposit(
  event: {
    pubkey: `0x${string}`;
    withdrawalCredentials: `0x${string}`;
    amountGwei: bigint;
    signature: `0x${string}`;
  },
  domain: Uint8Array,
): boolean {
  try {
    const pubkey = parseHex(event.pubkey, 48) as Uint8Array;
    const root = DepositMessage.hashTreeRoot({
      pubkey,
      withdrawalCredentials: parseHex(event.withdrawalCredentials, 32) as Uint8Array,
      amount: Number(event.amountGwei),
    });
    return verify(
      computeSigningRoot(root, domain),
      PublicKey.fromBytes(pubkey, true),
      Signature.fromBytes(parseHex(event.signature, 96) as Uint8Array, true),
    );
  } catch {
    return false;
  }
}
