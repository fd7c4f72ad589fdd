import type { SecretKey } from "@chainsafe/blst";
import { deriveValidatorKey, type ValidatorKey } from "../../src/crypto/bls-keys.ts";
import { mnemonicToSeed } from "../../src/crypto/mnemonic.ts";
import { computeDomain, computeSigningRoot, DOMAIN_VOLUNTARY_EXIT } from "../../src/crypto/signing.ts";
import { VoluntaryExit } from "../../src/crypto/ssz-types.ts";
import type { BeaconNetwork } from "../../src/devnet/beacon/beacon-network.ts";
import type { SimClock } from "../../src/devnet/beacon/chain-time.ts";
import { parseHex, toPrefixedHex } from "../../src/lib/hex.ts";

/** Shared by the simulator's tests: a small devnet, the project's test mnemonic, exit signing. */

export const TEST_MNEMONIC = "legal winner thank year wave sausage worth useful legal winner thank yellow";

export const TEST_NETWORK: BeaconNetwork = Object.freeze({
  chainId: 31337,
  genesisForkVersion: "0x10000910",
  capellaForkVersion: "0x40000910",
  capellaEpoch: 0,
  genesisValidatorsRoot: "0x212f13fc4df078b6cb7db228f1c8307566dcecf900867401a92023d7ba99cb5f",
  slotsPerEpoch: 4,
  secondsPerSlot: 2,
  depositContract: Object.freeze({
    address: "0x4242424242424242424242424242424242424242" as const,
    genesisBlock: 0,
  }),
});

/** Genesis at a round Unix time; the tests' clocks start there. */
export const TEST_GENESIS_TIME = 1_700_000_000;
export const SLOT_MS = TEST_NETWORK.secondsPerSlot * 1000;
export const ETH = 1_000_000_000n;

export function testKeys(count: number): ValidatorKey[] {
  const seed = mnemonicToSeed(TEST_MNEMONIC);
  return Array.from({ length: count }, (_, i) => deriveValidatorKey(seed, i));
}

export function bytesOf(hex: string): Uint8Array {
  const bytes = parseHex(hex);
  if (!bytes) throw new TypeError(`not hex: ${hex}`);
  return bytes;
}

/** A SignedVoluntaryExit in Beacon API JSON, signed under compute_domain(DOMAIN_VOLUNTARY_EXIT, forkVersion, gvr). */
export function signedExitJson(
  secretKey: SecretKey,
  epoch: number,
  validatorIndex: number,
  domain: Uint8Array = computeDomain(
    DOMAIN_VOLUNTARY_EXIT,
    bytesOf(TEST_NETWORK.capellaForkVersion),
    bytesOf(TEST_NETWORK.genesisValidatorsRoot),
  ),
) {
  const root = VoluntaryExit.hashTreeRoot({ epoch, validatorIndex });
  const signature = secretKey.sign(computeSigningRoot(root, domain)).toBytes(true);
  return {
    message: { epoch: String(epoch), validator_index: String(validatorIndex) },
    signature: toPrefixedHex(signature),
  };
}

/** A clock for the simulator's tests: time moves only when told to. */
export interface ManualSimClock extends SimClock {
  set(ms: number): void;
  advance(ms: number): void;
}

export function createManualSimClock(startMs: number): ManualSimClock {
  let now = startMs;
  return {
    now: () => now,
    set(ms) {
      now = ms;
    },
    advance(ms) {
      now += ms;
    },
  };
}
