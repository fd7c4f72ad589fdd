import type { ExitSigner } from "../../keys/sources/exit-signer.ts";
import { OperatorError } from "../../lib/errors.ts";

/**
 * The key source of `start --relayer-endpoint`: none. The relayer's sidecars hold the key shares,
 * so the operator has no key to list, check or sign with; a call to sign is a bug of the caller.
 */
export function relayerHeldKeys(endpoint: string): ExitSigner {
  const refuse = async (): Promise<never> => {
    throw new OperatorError(
      `the validator keys are held by the relayer ${endpoint}: this operator signs nothing`,
    );
  };
  return {
    description: `DVT relayer ${endpoint} (no local keys)`,
    size: 0,
    has: () => false,
    publicKeys: () => [],
    check: async () => {},
    signExit: refuse,
    signExitForOracles: refuse,
    close: async () => {},
  };
}
