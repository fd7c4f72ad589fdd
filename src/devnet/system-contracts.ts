/**
 * The Pectra request contracts the vault calls: EIP-7002 (withdrawal requests) and EIP-7251
 * (consolidation requests). anvil's prague genesis has no code at their addresses, so the devnet
 * places our versions there (contracts/SystemRequestQueue.sol) unless code is already present.
 *
 * Both keep the fee's "excess" in storage slot 0, like the real contracts; ours never move it by
 * themselves, so setRequestExcess gives a test the fee it wants (chain/request-fees.ts
 * requestFeeForExcess computes it; readRequestFee reads it as callers do).
 */
import { type Address, type Hex, numberToHex, pad } from "viem";
import type { SignerClient } from "../chain/signer-client.ts";
import { EIP7002_WITHDRAWAL_REQUESTS, EIP7251_CONSOLIDATION_REQUESTS } from "../config/networks.ts";
import type { DevnetContractName } from "./deploy.ts";

/** EIP-7002's WITHDRAWAL_REQUEST_PREDEPLOY_ADDRESS (the networks' own constant). */
export const WITHDRAWAL_REQUESTS_ADDRESS: Address = EIP7002_WITHDRAWAL_REQUESTS;
/** EIP-7251's CONSOLIDATION_REQUEST_PREDEPLOY_ADDRESS. */
export const CONSOLIDATION_REQUESTS_ADDRESS: Address = EIP7251_CONSOLIDATION_REQUESTS;

/** Where deployProtocol places which artifact's runtime code (when the address has none). */
export const SYSTEM_REQUEST_CONTRACTS: ReadonlyArray<{ address: Address; artifact: DevnetContractName }> = [
  { address: WITHDRAWAL_REQUESTS_ADDRESS, artifact: "WithdrawalRequests" },
  { address: CONSOLIDATION_REQUESTS_ADDRESS, artifact: "ConsolidationRequests" },
];

/** Sets a request contract's excess (storage slot 0), which fixes its fee (anvil only). */
export async function setRequestExcess(
  client: SignerClient,
  address: Address,
  excess: bigint,
): Promise<void> {
  // The wallet client's request type only knows standard methods; anvil's are plain JSON-RPC.
  const request = client.request as unknown as (args: {
    method: string;
    params: unknown[];
  }) => Promise<unknown>;
  const value: Hex = pad(numberToHex(excess), { size: 32 });
  await request({ method: "anvil_setStorageAt", params: [address, pad("0x00", { size: 32 }), value] });
}
