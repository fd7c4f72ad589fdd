/**
 * The Pectra request contracts the vault calls: EIP-7002 (withdrawal requests) and EIP-7251
 * (consolidation requests). anvil's prague genesis has no code at their addresses, so the devnet
 * places our versions there (contracts/SystemRequestQueue.sol) unless code is already present.
 *
 * Both keep the fee's "excess" in storage slot 0, like the real contracts; ours never move it by
 * themselves, so setRequestExcess gives a test the fee it wants (fee = fake_exponential(1, excess, 17)).
 */
import { type Address, type Hex, numberToHex, pad } from "viem";
import type { SignerClient } from "../chain/signer-client.ts";
import { OperatorError } from "../lib/errors.ts";
import type { DevnetContractName } from "./deploy.ts";

/** EIP-7002's WITHDRAWAL_REQUEST_PREDEPLOY_ADDRESS. */
export const WITHDRAWAL_REQUESTS_ADDRESS: Address = "0x00000961Ef480Eb55e80D19ad83579A64c007002";
/** EIP-7251's CONSOLIDATION_REQUEST_PREDEPLOY_ADDRESS. */
export const CONSOLIDATION_REQUESTS_ADDRESS: Address = "0x0000BBdDc7CE488642fb579F8B00f3a590007251";

/** EIP-7002's and EIP-7251's MIN_*_REQUEST_FEE and *_REQUEST_FEE_UPDATE_FRACTION. */
const MIN_REQUEST_FEE = 1n;
const REQUEST_FEE_UPDATE_FRACTION = 17n;

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

/** The fee in wei for an excess: fake_exponential(1, excess, 17) as both EIPs define it. */
export function requestFee(excess: bigint): bigint {
  let output = 0n;
  let accumulator = MIN_REQUEST_FEE * REQUEST_FEE_UPDATE_FRACTION;
  for (let i = 1n; accumulator > 0n; i++) {
    output += accumulator;
    accumulator = (accumulator * excess) / (REQUEST_FEE_UPDATE_FRACTION * i);
  }
  return output / REQUEST_FEE_UPDATE_FRACTION;
}

/** The current fee, read the way callers do: a call with empty calldata answers 32 bytes. */
export async function readRequestFee(client: SignerClient, address: Address): Promise<bigint> {
  const { data } = await client.call({ to: address, data: "0x" });
  if (data === undefined || data.length !== 66) {
    throw new OperatorError(`request contract ${address} answered ${data ?? "nothing"} to a fee read`, {
      retryable: true,
    });
  }
  return BigInt(data);
}
