import type { Hex } from "viem";
import type { ExitSigner } from "../keys/sources/exit-signer.ts";
import type { Logger } from "../lib/logger.ts";
import type { OracleSet } from "../oracles/oracle-set.ts";

/**
 * Checks at startup, once the oracle set loads, that the signer can sign the next key's exit for
 * it (a remote signer's shares were made for its oracle count and threshold), so outdated shares
 * stop the service with one line instead of failing every registration. For local keys this
 * repeats the first check from the key cache.
 */
export async function checkSignerAtStart(
  signer: ExitSigner,
  publicKey: Hex,
  readOracles: (signal: AbortSignal) => Promise<OracleSet>,
  signal: AbortSignal,
  log: Logger,
): Promise<void> {
  let oracles: OracleSet;
  try {
    oracles = await readOracles(signal);
  } catch (error) {
    if (signal.aborted) return;
    log.warn("oracle set not loaded at startup: the shares are checked at the first registration", {}, error);
    return;
  }
  await signer.check([publicKey], { count: oracles.recipients.length, threshold: oracles.recoverThreshold });
}
