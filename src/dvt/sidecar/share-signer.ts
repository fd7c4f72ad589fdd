import { type ExitNetwork, exitDomain, exitSigningRoot } from "../../crypto/exit-message.ts";
import { depositSigningRoot } from "../../keys/deposit-datum.ts";
import { vaultWithdrawalCredentials } from "../../keys/withdrawal-credentials.ts";
import { parseHex, toPrefixedHex } from "../../lib/hex.ts";
import type { SignatureShare, SigningTask } from "./relayer-client.ts";
import type { ShareKey } from "./share-keys.ts";

/** What the sidecar signs for: the exit domain's inputs and the deposit domain's fork version. */
export interface SigningNetwork extends ExitNetwork {
  genesisForkVersion: `0x${string}`;
}

export interface ShareSigner {
  /** This node's signature shares for the task (spec A.8): the exit, and in v4 the deposit message. */
  sign(key: ShareKey, task: SigningTask): SignatureShare;
}

/** A signer with the exit domain and deposit fork version computed once. */
export function createShareSigner(network: SigningNetwork): ShareSigner {
  const domain = exitDomain(network);
  const forkVersion = parseHex(network.genesisForkVersion, 4);
  if (!forkVersion) throw new Error(`genesis fork version ${network.genesisForkVersion} is not 4-byte hex`);
  return {
    sign(key, task) {
      const exitRoot = exitSigningRoot(network, task.validatorIndex, domain);
      const share: SignatureShare = {
        publicKey: key.publicKey,
        exitSignature: toPrefixedHex(key.secretKey.sign(exitRoot).toBytes(true)),
        publicKeyShares: key.publicKeyShares,
      };
      if (task.deposit) {
        const { signingRoot } = depositSigningRoot(
          {
            publicKey: parseHex(key.publicKey, 48) as Uint8Array,
            withdrawalCredentials: vaultWithdrawalCredentials(
              task.deposit.vault,
              task.deposit.validatorType === "0x02" ? 0x02 : 0x01,
            ),
            amountGwei: task.deposit.amountGwei,
          },
          forkVersion,
        );
        share.depositSignature = toPrefixedHex(key.secretKey.sign(signingRoot).toBytes(true));
      }
      return share;
    },
  };
}
