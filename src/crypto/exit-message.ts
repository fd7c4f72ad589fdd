import { createHash } from "node:crypto";
import type { SecretKey, Signature } from "@chainsafe/blst";
import { OperatorError } from "../lib/errors.ts";
import { parseHex } from "../lib/hex.ts";
import { computeDomain, DOMAIN_VOLUNTARY_EXIT } from "./signing.ts";

/**
 * What an exit is signed for (spec §4.1). A `NetworkConfig` fits; only these fields are read, so
 * crypto/ does not depend on config/.
 */
export interface ExitNetwork {
  capellaForkVersion: `0x${string}`;
  capellaEpoch: number;
  genesisValidatorsRoot: `0x${string}`;
}

function networkBytes(
  network: ExitNetwork,
  field: "capellaForkVersion" | "genesisValidatorsRoot",
  length: number,
) {
  const bytes = parseHex(network[field], length);
  if (!bytes) throw new OperatorError(`network ${field} "${network[field]}" is not ${length}-byte hex`);
  return bytes;
}

/**
 * The voluntary-exit domain: DOMAIN_VOLUNTARY_EXIT with the Capella fork version and the genesis
 * validators root. Fixed forever (EIP-7044), so exits signed now stay valid after later forks.
 */
export function exitDomain(network: ExitNetwork): Uint8Array {
  return computeDomain(
    DOMAIN_VOLUNTARY_EXIT,
    networkBytes(network, "capellaForkVersion", 4),
    networkBytes(network, "genesisValidatorsRoot", 32),
  );
}

const CHUNK = 32;

/**
 * Signing root of VoluntaryExit{epoch: Capella epoch, validator_index} under the exit domain.
 *
 * Both containers have exactly two 32-byte chunks, so each hash_tree_root is one SHA-256 of 64
 * bytes: sha256(uint64_le(epoch) ‖ uint64_le(index)) — each padded to 32 bytes — then
 * sha256(message_root ‖ domain). Written out because the generic SSZ path costs 60 µs per
 * validator, more than the rest of the exit bookkeeping together; the spec vectors and a
 * comparison with the SSZ types pin it (exit-message.test.ts).
 */
export function exitSigningRoot(
  network: ExitNetwork,
  validatorIndex: number,
  domain: Uint8Array = exitDomain(network),
): Uint8Array {
  if (!Number.isSafeInteger(validatorIndex) || validatorIndex < 0) {
    throw new OperatorError(`validator index ${validatorIndex} is not a non-negative integer`);
  }
  const message = Buffer.alloc(2 * CHUNK);
  message.writeBigUInt64LE(BigInt(network.capellaEpoch), 0);
  message.writeBigUInt64LE(BigInt(validatorIndex), CHUNK);
  const messageRoot = createHash("sha256").update(message).digest();
  return new Uint8Array(createHash("sha256").update(messageRoot).update(domain).digest());
}

/** The validator's full exit signature (BLS, Ethereum POP ciphersuite), as a blst point. */
export function signExit(secretKey: SecretKey, network: ExitNetwork, validatorIndex: number): Signature {
  return secretKey.sign(exitSigningRoot(network, validatorIndex));
}
