import type { Hex } from "viem";
import { vaultReadError } from "../../chain/not-a-vault.ts";
import type { VaultReader } from "../../chain/vault-reader.ts";
import type { NetworkConfig } from "../../config/networks.ts";
import { readDepositDataFile } from "../../keys/deposit-data-file.ts";
import type { ExitSigner } from "../../keys/sources/exit-signer.ts";
import { txValidator, ValidatorsTree } from "../../keys/validators-tree.ts";
import { UserInputError } from "../../lib/errors.ts";
import { toPrefixedHex } from "../../lib/hex.ts";
import type { Logger } from "../../lib/logger.ts";
import { createValidatorsRootFlow, type ValidatorsRootPayload } from "./validators-root-flow.ts";
import type { VaultFlow } from "./vault-flow.ts";

/** What the version-1 flow reads from disk before any node is asked: the deposit data and its tree. */
export interface ValidatorsRootInputs {
  depositData: Awaited<ReturnType<typeof readDepositDataFile>>;
  tree: ValidatorsTree;
  fileRoot: Hex;
}

/** The deposit data file and its Merkle tree: local, so a bad file fails before any node is asked. */
export async function readValidatorsRootInputs(p: {
  vault: `0x${string}`;
  network: NetworkConfig;
  depositDataFile: string;
}): Promise<ValidatorsRootInputs> {
  const depositData = await readDepositDataFile(p.depositDataFile, { vault: p.vault, network: p.network });
  const tree = await ValidatorsTree.build(
    depositData.map((e) => txValidator(e.publicKey, e.signature, e.depositDataRoot)),
  );
  return { depositData, tree, fileRoot: toPrefixedHex(tree.root) };
}

/** The signer holds at least one key of the deposit data; says how many in one line. */
export function checkDepositDataKeys(p: {
  inputs: Pick<ValidatorsRootInputs, "depositData">;
  signer: Pick<ExitSigner, "has">;
  missingKeysFix: string;
  log: Logger;
}): void {
  const { depositData } = p.inputs;
  const withKeys = depositData.filter((e) => p.signer.has(toPrefixedHex(e.publicKey))).length;
  if (withKeys === 0) {
    throw new UserInputError(`none of the ${depositData.length} deposit data keys ${p.missingKeysFix}`);
  }
  p.log.info("deposit data keys found", {
    depositDataKeys: withKeys,
    depositDataEntries: depositData.length,
  });
}

export interface OpenValidatorsRootFlowParameters {
  inputs: ValidatorsRootInputs;
  vault: `0x${string}`;
  network: NetworkConfig;
  depositDataFile: string;
  signer: ExitSigner;
  /** Where the user loads the keys of the deposit data ("pass --keystores-dir …"). */
  missingKeysFix: string;
  reader: VaultReader;
  oracleTimeoutMs: number;
  log: Logger;
}

/**
 * The startup checks of a first-generation vault (spec §6.1), then its flow: the signer holds keys
 * of the deposit data, the vault answers and holds the deposit data's root, the signer can sign
 * with the next key. Returns the flow and that next key (checked again once the oracle set loads).
 */
export async function openValidatorsRootFlow(
  p: OpenValidatorsRootFlowParameters,
): Promise<{ flow: VaultFlow<ValidatorsRootPayload>; nextKey: Hex | undefined }> {
  const { depositData, tree, fileRoot } = p.inputs;
  checkDepositDataKeys(p);
  const vaultState = await p.reader.readVault(p.vault).catch((error: unknown) => {
    throw vaultReadError(p.vault, p.network.name, error);
  });
  if (vaultState.validatorsRoot.toLowerCase() !== fileRoot.toLowerCase()) {
    const devnetFix = p.network.name === "devnet" ? " (on the devnet: operator devnet set-root)" : "";
    throw new UserInputError(
      `the deposit data file's root ${fileRoot} is not the vault's validators root ${vaultState.validatorsRoot}: upload ${p.depositDataFile} to the vault (setValidatorsRoot with the root from get-validators-root${devnetFix}), or pass the --deposit-data-file that was uploaded`,
    );
  }
  const next = depositData[vaultState.validatorIndex];
  const nextKey = next ? toPrefixedHex(next.publicKey) : undefined;
  // Before anything is written: the signer answers, holds the next key, its password is right.
  if (nextKey) await p.signer.check([nextKey]);
  const flow = createValidatorsRootFlow({
    vault: p.vault,
    network: p.network,
    depositData,
    depositDataFile: p.depositDataFile,
    tree,
    fileRoot,
    signer: p.signer,
    oracleTimeoutMs: p.oracleTimeoutMs,
    registryRoot: () => p.reader.depositRoot(),
  });
  return { flow, nextKey };
}
