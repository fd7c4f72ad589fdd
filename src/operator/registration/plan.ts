import type { DepositDataEntry } from "../../keys/deposit-data-file.ts";
import { toPrefixedHex } from "../../lib/hex.ts";

export interface PlanInputs {
  /** The deposit data file, whose tree root must be the vault's validators root. */
  depositData: readonly DepositDataEntry[];
  depositDataRoot: `0x${string}`;
  vaultValidatorsRoot: `0x${string}`;
  /** vault.validatorIndex(): the next deposit data entry the vault accepts. */
  vaultValidatorIndex: number;
  /** Assets the vault can stake now, in wei (after a simulated harvest when one is due). */
  stakeableWei: bigint;
  /** Wei per validator (32 ETH; 32 mGNO-equivalent on Gnosis). */
  validatorDepositWei: bigint;
  /** validators_approval_batch_limit of the protocol config. */
  batchLimit: number;
  /** True when a valid deposit for this key is already on chain. */
  hasDepositOnChain: (publicKey: `0x${string}`) => boolean;
  /** True when we hold (or can sign with) the key. */
  hasKey: (publicKey: `0x${string}`) => boolean;
  /** The line while the roots differ (default: the version-1 vault's fix, setValidatorsRoot). */
  rootMismatch?: string;
}

export type Plan =
  | { kind: "idle"; reason: "not enough assets" | "deposit data used up"; stakeable: number }
  | { kind: "blocked"; reason: string }
  | { kind: "register"; startIndex: number; entries: DepositDataEntry[] };

/**
 * What to register this slot (spec §3.2, §6.3): the next entries of the deposit data in order,
 * as many as the vault can fund and the oracles approve in one batch. The vault accepts entries
 * only in order, so a key that cannot be registered (already deposited by someone else, or not
 * ours) stops the batch before it; when it is the very next one, registration is blocked until
 * new deposit data is uploaded.
 */
export function planRegistration(inputs: PlanInputs): Plan {
  if (inputs.depositDataRoot.toLowerCase() !== inputs.vaultValidatorsRoot.toLowerCase()) {
    return {
      kind: "blocked",
      reason:
        inputs.rootMismatch ??
        "the deposit data file's Merkle root is not the vault's validators root: upload this deposit data to the vault (setValidatorsRoot with the root from get-validators-root), or point --deposit-data-file at the file that was uploaded",
    };
  }
  const stakeable = Number(inputs.stakeableWei / inputs.validatorDepositWei);
  if (stakeable < 1) return { kind: "idle", reason: "not enough assets", stakeable };
  const start = inputs.vaultValidatorIndex;
  const remaining = inputs.depositData.length - start;
  if (remaining <= 0) return { kind: "idle", reason: "deposit data used up", stakeable };

  const count = Math.min(stakeable, inputs.batchLimit, remaining);
  const entries: DepositDataEntry[] = [];
  for (let k = 0; k < count; k++) {
    const entry = inputs.depositData[start + k] as DepositDataEntry;
    const publicKey = toPrefixedHex(entry.publicKey);
    const problem = inputs.hasDepositOnChain(publicKey)
      ? `validator ${publicKey} (deposit data index ${start + k}) already has a deposit on chain; it is skipped — the vault registers deposit data in order, so upload new deposit data without it to continue`
      : !inputs.hasKey(publicKey)
        ? `no keystore for validator ${publicKey} (deposit data index ${start + k}): add its keystore or upload deposit data that matches your keys`
        : undefined;
    if (problem) {
      if (entries.length === 0) return { kind: "blocked", reason: problem };
      break;
    }
    entries.push(entry);
  }
  return { kind: "register", startIndex: start, entries };
}
