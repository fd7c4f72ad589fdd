/**
 * What a vault's own events say about its validators (v3-core v4.0.1 IVaultValidators): the keys
 * it registered (`ValidatorRegistered(bytes publicKey)` for 0x01, `V2ValidatorRegistered(bytes
 * publicKey, uint256 amount)` for 0x02) and its EIP-7002 requests (`ValidatorWithdrawalSubmitted
 * (bytes publicKey, uint256 amount, uint256 feePaid)`). Read with adaptive block ranges, so a
 * node's log-range limits only slow the scan down.
 */
import type { Address, Hex, PublicClient } from "viem";
import { OperatorError } from "../lib/errors.ts";
import { vaultV5Abi } from "./abi/vault-v5.ts";
import { type BlockRangeOptions, scanBlockRanges } from "./block-ranges.ts";

type Ranges = Omit<BlockRangeOptions, "what" | "fromBlock" | "toBlock">;

export interface VaultEventsParameters extends Ranges {
  client: Pick<PublicClient, "getLogs">;
  vault: Address;
  fromBlock: bigint;
  /** Inclusive. */
  toBlock: bigint;
}

const REGISTERED_EVENTS = ["ValidatorRegistered", "V2ValidatorRegistered"] as const;

/** The keys the vault registered in [fromBlock, toBlock] (0x, lower case, each once, in order). */
export async function scanRegisteredKeys(params: VaultEventsParameters): Promise<Hex[]> {
  const { client, vault, fromBlock, toBlock, ...ranges } = params;
  const keys = new Set<Hex>();
  if (fromBlock > toBlock) return [];
  const events = vaultV5Abi.filter(
    (item) => item.type === "event" && (REGISTERED_EVENTS as readonly string[]).includes(item.name as string),
  );
  const fetch = (from: bigint, to: bigint) =>
    client.getLogs({ address: vault, events, fromBlock: from, toBlock: to, strict: true });
  for await (const { result } of scanBlockRanges(fetch, {
    ...ranges,
    fromBlock,
    toBlock,
    what: "vault validator registrations",
  })) {
    for (const log of result) {
      const key = String((log.args as { publicKey?: Hex }).publicKey ?? "").toLowerCase() as Hex;
      if (!/^0x[0-9a-f]{96}$/.test(key)) {
        throw new OperatorError(
          `vault ${vault} logged a registration whose public key is not 48 bytes (block ${log.blockNumber})`,
        );
      }
      keys.add(key);
    }
  }
  return [...keys];
}

/** The block of the vault's last ValidatorWithdrawalSubmitted event in [fromBlock, toBlock], if any. */
export async function lastWithdrawalSubmittedBlock(
  params: VaultEventsParameters,
): Promise<bigint | undefined> {
  const { client, vault, fromBlock, toBlock, ...ranges } = params;
  if (fromBlock > toBlock) return undefined;
  const event = vaultV5Abi.find(
    (item): item is Extract<(typeof vaultV5Abi)[number], { name: "ValidatorWithdrawalSubmitted" }> =>
      item.type === "event" && item.name === "ValidatorWithdrawalSubmitted",
  );
  if (!event) throw new OperatorError("the vault ABI has no ValidatorWithdrawalSubmitted event");
  let last: bigint | undefined;
  for await (const { result } of scanBlockRanges(
    (from, to) => client.getLogs({ address: vault, event, fromBlock: from, toBlock: to, strict: true }),
    { ...ranges, fromBlock, toBlock, what: "vault withdrawal requests" },
  )) {
    for (const log of result) if (log.blockNumber !== null) last = log.blockNumber;
  }
  return last;
}
