import type { ExitNetwork } from "../../crypto/exit-message.ts";
import type { ExitSigner, Hex, OracleExitSignature, ShareScheme } from "./exit-signer.ts";

/**
 * An ExitSigner whose keys are whole validator keys (local keystores, HashiCorp Vault, a remote
 * signer holding the keys): the oracles get the validator's full exit signature, which the caller
 * splits into their shares (spec §4.3, `exitShardsFor`).
 */
export abstract class WholeKeySigner implements ExitSigner {
  abstract readonly description: string;
  abstract readonly size: number;
  abstract has(publicKey: Hex): boolean;
  abstract publicKeys(): Hex[];
  abstract check(publicKeys: readonly Hex[], oracles?: ShareScheme): Promise<void>;
  abstract signExit(publicKey: Hex, validatorIndex: number, network: ExitNetwork): Promise<Uint8Array>;
  abstract close(): Promise<void>;

  async signExitForOracles(
    publicKey: Hex,
    validatorIndex: number,
    network: ExitNetwork,
  ): Promise<OracleExitSignature> {
    return { kind: "full", signature: await this.signExit(publicKey, validatorIndex, network) };
  }
}
