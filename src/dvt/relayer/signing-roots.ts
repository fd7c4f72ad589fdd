import type { NetworkConfig } from "../../config/networks.ts";
import { exitDomain, exitSigningRoot } from "../../crypto/exit-message.ts";
import { depositSigningRoot } from "../../keys/deposit-datum.ts";
import { vaultWithdrawalCredentials } from "../../keys/withdrawal-credentials.ts";
import { parseHex } from "../../lib/hex.ts";
import type { SignatureKind, ValidatorRequest } from "./records.ts";

export type SigningNetwork = Pick<
  NetworkConfig,
  "capellaForkVersion" | "capellaEpoch" | "genesisValidatorsRoot" | "genesisForkVersion"
>;

/**
 * What the sidecars sign for a validator (spec A.8): the exit under the Capella domain, and the
 * DepositMessage{pubkey, vault's withdrawal credentials, amount} under the deposit domain.
 */
export function signingRoots(network: SigningNetwork) {
  const domain = exitDomain(network);
  const genesisForkVersion = parseHex(network.genesisForkVersion, 4) as Uint8Array;
  return function rootOf(kind: SignatureKind, validator: ValidatorRequest): Uint8Array {
    if (kind === "exit") return exitSigningRoot(network, validator.validatorIndex, domain);
    if (validator.vault === null) throw new RangeError("a legacy validator has no deposit message");
    return depositSigningRoot(
      {
        publicKey: parseHex(validator.publicKey, 48) as Uint8Array,
        withdrawalCredentials: vaultWithdrawalCredentials(
          validator.vault,
          validator.validatorType === "0x02" ? 0x02 : 0x01,
        ),
        amountGwei: validator.amountGwei,
      },
      genesisForkVersion,
    ).signingRoot;
  };
}

export type SigningRoots = ReturnType<typeof signingRoots>;
