import { type Address, keccak256 } from "viem";
import { vaultV5Abi } from "../../chain/abi/vault-v5.ts";
import type { createExecutionClient } from "../../chain/execution-client.ts";
import { UserInputError } from "../../lib/errors.ts";
import { type ConsolidationPlan, ConsolidationRefusedError, checkConsolidation } from "./checks.ts";
import { readPublicKeysFile } from "./public-keys.ts";
import { type ConsolidationSelectionInput, selectConsolidation } from "./selection.ts";

/** The key flags of `consolidate`. */
export interface ConsolidationKeyOptions {
  sourcePublicKeys?: `0x${string}`[];
  sourcePublicKeysFile?: string;
  targetPublicKey?: `0x${string}`;
  excludePublicKeysFile?: string;
}

/**
 * --source-public-keys or --source-public-keys-file (not both), with --target-public-key; or none
 * of them, and the command chooses (minus --exclude-public-keys-file).
 */
export async function consolidationKeys(
  options: ConsolidationKeyOptions,
): Promise<
  { kind: "given"; sources: `0x${string}`[]; target: `0x${string}` } | { kind: "auto"; exclude: Set<string> }
> {
  const anyKey =
    options.sourcePublicKeys !== undefined ||
    options.sourcePublicKeysFile !== undefined ||
    options.targetPublicKey !== undefined;
  if (!anyKey) {
    const exclude = options.excludePublicKeysFile
      ? await readPublicKeysFile(options.excludePublicKeysFile, "--exclude-public-keys-file")
      : [];
    return { kind: "auto", exclude: new Set(exclude) };
  }
  if (options.excludePublicKeysFile) {
    throw new UserInputError(
      "--exclude-public-keys-file narrows the command's own choice: drop it, or drop --source-public-keys and --target-public-key to let the command choose",
    );
  }
  if (options.sourcePublicKeys && options.sourcePublicKeysFile) {
    throw new UserInputError(
      "both --source-public-keys and --source-public-keys-file are given: pass only one of them",
    );
  }
  const sources =
    options.sourcePublicKeys ??
    (options.sourcePublicKeysFile
      ? await readPublicKeysFile(options.sourcePublicKeysFile, "--source-public-keys-file")
      : undefined);
  if (!sources) {
    throw new UserInputError(
      "no source validators: pass --source-public-keys (comma-separated) or --source-public-keys-file, with --target-public-key",
    );
  }
  if (!options.targetPublicKey) {
    throw new UserInputError(
      "missing --target-public-key: pass the 0x02 validator to consolidate into (the source itself to switch it from 0x01 to 0x02)",
    );
  }
  return { kind: "given", sources, target: options.targetPublicKey };
}

/** How many 0x02 targets the vault does not track are passed over before the command gives up. */
const UNTRACKED_TARGETS = 5;

/**
 * The command's own choice (selection.ts), checked as keys given by hand would be. A 0x02 target
 * the vault does not track (a merge into it would revert) is passed over for the next.
 */
export async function chooseConsolidation(
  input: Omit<ConsolidationSelectionInput, "exclude"> & { exclude: ReadonlySet<string> },
  vault: Address,
  execution: ReturnType<typeof createExecutionClient>,
): Promise<ConsolidationPlan> {
  const exclude = new Set(input.exclude);
  for (let attempt = 0; ; attempt++) {
    const selection = selectConsolidation({ ...input, exclude });
    if (selection.kind === "none") {
      throw new ConsolidationRefusedError(
        `no consolidation to choose for vault ${vault}: ${selection.reason}; name the keys with --source-public-keys and --target-public-key to choose yourself`,
      );
    }
    const plan = checkConsolidation({ ...input, sources: selection.sources, target: selection.target });
    if (plan.kind === "switch") return plan;
    try {
      await checkTargetTracked(plan, vault, execution);
      return plan;
    } catch (error) {
      if (!(error instanceof ConsolidationRefusedError) || attempt + 1 >= UNTRACKED_TARGETS) throw error;
      exclude.add(plan.target.pubkey.toLowerCase());
    }
  }
}

/** A merge into a target the vault does not track as 0x02 reverts (InvalidValidators) without approval. */
export async function checkTargetTracked(
  plan: ConsolidationPlan,
  vault: Address,
  execution: ReturnType<typeof createExecutionClient>,
): Promise<void> {
  const tracked = await execution.readContract({
    address: vault,
    abi: vaultV5Abi,
    functionName: "v2Validators",
    args: [keccak256(plan.target.pubkey)],
  });
  if (!tracked) {
    throw new ConsolidationRefusedError(
      `target ${plan.target.pubkey.slice(0, 12)}… (index ${plan.target.index}) is not registered with vault ${vault} as a 0x02 validator: switch it first (--source-public-keys ${plan.target.pubkey} --target-public-key ${plan.target.pubkey})`,
    );
  }
}
