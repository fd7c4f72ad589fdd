import type { Address, Hex } from "viem";
import type { VaultState } from "../../chain/vault-state-reader.ts";
import type { NetworkConfig } from "../../config/networks.ts";
import type { ExitSigner } from "../../keys/sources/exit-signer.ts";
import { UserInputError } from "../../lib/errors.ts";
import { toPrefixedHex } from "../../lib/hex.ts";
import type { Logger } from "../../lib/logger.ts";
import type { DepositDataPayload } from "./deposit-data-plan.ts";
import { createDepositDataRegistryFlow, registryRecordOf } from "./deposit-data-registry-flow.ts";
import { checkDepositDataKeys, type ValidatorsRootInputs } from "./open-validators-root-flow.ts";
import type { VaultFlow } from "./vault-flow.ts";

export interface OpenDepositDataRegistryFlowParameters {
  /** The deposit data file and its tree (read before any node is asked). */
  inputs: ValidatorsRootInputs;
  /** The vault as read at startup: its record in the registry. */
  state: VaultState;
  vault: Address;
  registry: Address;
  network: NetworkConfig;
  depositDataFile: string;
  signer: ExitSigner;
  /** Where the user loads the keys of the deposit data ("pass --keystores-dir …"). */
  missingKeysFix: string;
  registryRoot(): Promise<Hex>;
  oracleTimeoutMs: number;
  log: Logger;
}

/**
 * The startup checks of a vault whose validators manager is the DepositDataRegistry, then its
 * flow: the signer holds keys of the deposit data, the registry holds the file's root for the
 * vault (one line naming set-deposit-data-root when not), the signer can sign with the next key.
 */
export async function openDepositDataRegistryFlow(
  p: OpenDepositDataRegistryFlowParameters,
): Promise<{ flow: VaultFlow<DepositDataPayload, VaultState>; nextKey: Hex | undefined }> {
  const { depositData, tree, fileRoot } = p.inputs;
  checkDepositDataKeys(p);
  const record = registryRecordOf(p.state);
  if (record.root.toLowerCase() !== fileRoot.toLowerCase()) {
    throw new UserInputError(
      `the deposit data file's root ${fileRoot} is not the vault's root ${record.root} in the DepositDataRegistry ${p.registry}: set it with "operator set-deposit-data-root --vault ${p.vault} --deposit-data-file ${p.depositDataFile}" (from the vault's deposit-data manager; --send to send it), or pass the --deposit-data-file whose root was set`,
    );
  }
  const next = depositData[record.index];
  const nextKey = next ? toPrefixedHex(next.publicKey) : undefined;
  // Before anything is written: the signer answers, holds the next key, its password is right.
  if (nextKey) await p.signer.check([nextKey]);
  const flow = createDepositDataRegistryFlow({
    vault: p.vault,
    registry: p.registry,
    network: p.network,
    depositData,
    depositDataFile: p.depositDataFile,
    tree,
    fileRoot,
    signer: p.signer,
    oracleTimeoutMs: p.oracleTimeoutMs,
    registryRoot: p.registryRoot,
  });
  return { flow, nextKey };
}
