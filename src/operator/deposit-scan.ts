import { PublicKey, Signature, verify } from "@chainsafe/blst";
import type { PublicClient } from "viem";
import { depositEventChunks } from "../chain/deposit-events.ts";
import type { NetworkConfig } from "../config/networks.ts";
import { computeDepositDomain, computeSigningRoot } from "../crypto/signing.ts";
import { DepositMessage } from "../crypto/ssz-types.ts";
import { parseHex } from "../lib/hex.ts";
import { CHECKPOINT_NETWORK_VALIDATORS, type StateStore } from "./state/state-store.ts";

/**
 * Follows the deposit contract into the state store: every public key with a valid deposit
 * signature (spec §4.1, §6.3). It predicts the beacon index of new validators and tells which keys
 * someone else already deposited.
 */
export async function scanDeposits(params: {
  client: PublicClient;
  network: NetworkConfig;
  store: StateStore;
  toBlock: bigint;
}): Promise<number> {
  const { network, store } = params;
  const from = BigInt(
    (store.checkpoint(CHECKPOINT_NETWORK_VALIDATORS) ?? network.depositContract.genesisBlock - 1) + 1,
  );
  if (from > params.toBlock) return 0;
  const domain = computeDepositDomain(parseHex(network.genesisForkVersion, 4) as Uint8Array);
  let added = 0;
  for await (const chunk of depositEventChunks({
    client: params.client,
    depositContract: network.depositContract.address,
    fromBlock: from,
    toBlock: params.toBlock,
  })) {
    const rows = chunk.events
      .filter((e) => !store.hasNetworkValidator(e.pubkey) && validDeposit(e, domain))
      .map((e) => ({ publicKey: e.pubkey, blockNumber: Number(e.blockNumber) }));
    added += store.addNetworkValidators(rows, Number(chunk.toBlock));
  }
  return added;
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
