/**
 * The EIP-712 messages Keeper oracles sign (spec §5.2) and how their signatures are combined for
 * the Keeper (spec §5.1): sorted by oracle address as an integer, the first `threshold` taken,
 * 65 bytes each, concatenated.
 */
import { type Address, concat, type Hex, size } from "viem";
import { OperatorError } from "../lib/errors.ts";

export interface KeeperDomain {
  name: "KeeperOracles";
  version: "1";
  chainId: number;
  verifyingContract: Address;
}

export function keeperDomain(chainId: number, keeper: Address): KeeperDomain {
  return { name: "KeeperOracles", version: "1", chainId, verifyingContract: keeper };
}

/** Approval of validator registrations; `vault` is the caller of Keeper.approveValidators. */
export const keeperValidatorsTypes = {
  KeeperValidators: [
    { name: "validatorsRegistryRoot", type: "bytes32" },
    { name: "vault", type: "address" },
    { name: "validators", type: "bytes" },
    { name: "exitSignaturesIpfsHash", type: "string" },
    { name: "deadline", type: "uint256" },
  ],
} as const;

/** Approval of an exit-signatures update; nonce = Keeper.exitSignaturesNonces(vault). */
export const keeperExitSignaturesTypes = {
  KeeperValidators: [
    { name: "vault", type: "address" },
    { name: "exitSignaturesIpfsHash", type: "string" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
} as const;

/** A rewards update; nonce = Keeper.rewardsNonce(). */
export const keeperRewardsTypes = {
  KeeperRewards: [
    { name: "rewardsRoot", type: "bytes32" },
    { name: "rewardsIpfsHash", type: "string" },
    { name: "avgRewardPerSecond", type: "uint256" },
    { name: "updateTimestamp", type: "uint64" },
    { name: "nonce", type: "uint64" },
  ],
} as const;

// Messages are type aliases, not interfaces, so that they fit viem's Record<string, unknown>.
export type KeeperValidatorsMessage = {
  validatorsRegistryRoot: Hex;
  vault: Address;
  validators: Hex;
  exitSignaturesIpfsHash: string;
  deadline: bigint;
};

export type KeeperExitSignaturesMessage = {
  vault: Address;
  exitSignaturesIpfsHash: string;
  nonce: bigint;
  deadline: bigint;
};

export type KeeperRewardsMessage = {
  rewardsRoot: Hex;
  rewardsIpfsHash: string;
  avgRewardPerSecond: bigint;
  updateTimestamp: bigint;
  nonce: bigint;
};

/** signTypedData / hashTypedData parameters of a registration approval. */
export function keeperValidatorsTypedData(domain: KeeperDomain, message: KeeperValidatorsMessage) {
  return { domain, types: keeperValidatorsTypes, primaryType: "KeeperValidators", message } as const;
}

/** signTypedData / hashTypedData parameters of an exit-signatures update approval. */
export function keeperExitSignaturesTypedData(domain: KeeperDomain, message: KeeperExitSignaturesMessage) {
  return { domain, types: keeperExitSignaturesTypes, primaryType: "KeeperValidators", message } as const;
}

/** signTypedData / hashTypedData parameters of a rewards update. */
export function keeperRewardsTypedData(domain: KeeperDomain, message: KeeperRewardsMessage) {
  return { domain, types: keeperRewardsTypes, primaryType: "KeeperRewards", message } as const;
}

export interface OracleSignature {
  oracle: Address;
  /** 65-byte r ‖ s ‖ v ECDSA signature. */
  signature: Hex;
}

/** Too few distinct oracles signed: retry once more oracles have answered. */
export class NotEnoughOracleSignaturesError extends OperatorError {
  override name = "NotEnoughOracleSignaturesError";
  constructor(got: number, threshold: number) {
    super(`${got} oracle signatures, ${threshold} required`, { retryable: true });
  }
}

/**
 * The `signatures` bytes the Keeper accepts: distinct oracles sorted by address (as an integer,
 * ascending), the first `threshold` of them, concatenated.
 */
export function combineOracleSignatures(signatures: readonly OracleSignature[], threshold: number): Hex {
  if (!Number.isInteger(threshold) || threshold < 1) throw new RangeError(`invalid threshold ${threshold}`);
  const byOracle = new Map<bigint, Hex>();
  for (const { oracle, signature } of signatures) {
    if (size(signature) !== 65) throw new RangeError(`signature of oracle ${oracle} is not 65 bytes`);
    byOracle.set(BigInt(oracle), signature);
  }
  if (byOracle.size < threshold) throw new NotEnoughOracleSignaturesError(byOracle.size, threshold);
  const sorted = [...byOracle.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return concat(sorted.slice(0, threshold).map(([, signature]) => signature));
}
