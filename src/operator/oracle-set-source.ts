import type { Address } from "viem";
import type { createProtocolConfigSource } from "../chain/protocol-config-source.ts";
import { oracleAddress } from "../crypto/secp256k1-keys.ts";
import type { ExitSigner, Hex as KeyHex } from "../keys/sources/exit-signer.ts";
import { parseHex } from "../lib/hex.ts";
import type { Logger } from "../lib/logger.ts";
import { prepareOracleRecipients } from "../oracles/exit-shares.ts";
import { parseProtocolConfig } from "../oracles/protocol-config.ts";
import type { LoadedOracleSet } from "./registration/registration-round.ts";

/**
 * Checks at startup, once the oracle set loads, that the signer can sign the next key's exit for
 * it (a remote signer's shares were made for its oracle count and threshold), so outdated shares
 * stop the service with one line instead of failing every registration. For local keys this
 * repeats the first check from the key cache.
 */
export async function checkSignerAtStart(
  signer: ExitSigner,
  publicKey: KeyHex,
  loadOracleSet: (signal: AbortSignal) => Promise<LoadedOracleSet>,
  signal: AbortSignal,
  log: Logger,
): Promise<void> {
  let oracles: LoadedOracleSet;
  try {
    oracles = await loadOracleSet(signal);
  } catch (error) {
    if (signal.aborted) return;
    log.warn("oracle set not loaded at startup: the shares are checked at the first registration", {}, error);
    return;
  }
  await signer.check([publicKey], { count: oracles.recipients.length, threshold: oracles.recoverThreshold });
}

/** The oracle set of the Keeper's last config, reloaded only when the config changes. */
export function createOracleSetSource(
  configSource: ReturnType<typeof createProtocolConfigSource>,
  log: Logger,
): (signal: AbortSignal) => Promise<LoadedOracleSet> {
  let cached: { hash: string; set: LoadedOracleSet } | undefined;
  return async (signal) => {
    const snapshot = await configSource.read({ signal });
    if (cached?.hash !== snapshot.configIpfsHash) {
      const parsed = parseProtocolConfig(
        snapshot.json,
        snapshot.validatorsMinOracles,
        `ipfs://${snapshot.configIpfsHash}`,
      );
      cached = {
        hash: snapshot.configIpfsHash,
        set: {
          targets: parsed.oracles.map((o) => ({
            address: oracleAddress(parseHex(o.publicKey) as Uint8Array) as Address,
            endpoints: o.endpoints,
          })),
          recipients: prepareOracleRecipients(parsed.oracles),
          recoverThreshold: parsed.exitSignatureRecoverThreshold,
          validatorsMinOracles: snapshot.validatorsMinOracles,
          signatureValidityPeriod: parsed.signatureValidityPeriod,
          batchLimit: parsed.validatorsApprovalBatchLimit,
          rotationBatchLimit: parsed.validatorsExitRotationBatchLimit,
        },
      };
      log.info("oracle set loaded", {
        configIpfsHash: snapshot.configIpfsHash,
        oracles: parsed.oracles.length,
      });
    }
    return cached.set;
  };
}
