import type { Address } from "viem";
import { OperatorError, UserInputError } from "../../lib/errors.ts";
import { failureReason } from "../../lib/http/endpoint-failure.ts";

/** What GET /info says, in both generations (legacy relayers name no manager). */
interface InfoAnswer {
  network: string;
  validatorsManager?: Address | undefined;
}

/**
 * The relayer answers GET /info for the vault's network and, when it names its validators-manager
 * wallet, that wallet is the vault's manager. Each mismatch is one line naming the fix. `manager`
 * undefined: the vault has none (yet), and a relayer naming one is refused.
 */
export async function checkRelayerFor<I extends InfoAnswer>(
  relayer: { endpoint: string; info(signal?: AbortSignal): Promise<I> },
  vault: { network: string; manager: Address | string | undefined; dropHint: string },
  signal?: AbortSignal,
): Promise<I> {
  const info = await relayer.info(signal).catch((error: unknown) => {
    throw new OperatorError(
      `the relayer at --relayer-endpoint ${relayer.endpoint} does not answer GET /info (${failureReason(error)}): start it, or fix --relayer-endpoint`,
      { cause: error, retryable: true },
    );
  });
  if (info.network !== vault.network) {
    throw new UserInputError(
      `the relayer ${relayer.endpoint} serves ${info.network} but the vault is on ${vault.network}: pass the relayer of ${vault.network} in --relayer-endpoint`,
    );
  }
  if (info.validatorsManager && info.validatorsManager.toLowerCase() !== vault.manager?.toLowerCase()) {
    throw new UserInputError(
      `the relayer ${relayer.endpoint} signs as validators manager ${info.validatorsManager} but the vault's validators manager is ${vault.manager ?? "not set"}: the vault admin calls setValidatorsManager(${info.validatorsManager}) on the vault, or ${vault.dropHint}`,
    );
  }
  return info;
}
