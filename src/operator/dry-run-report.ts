import { formatEther, formatGwei } from "viem";
import type { OnceRoundResult } from "./once-run.ts";
import { WAIT_REASONS } from "./status/outcome.ts";

/**
 * What `start --dry-run` prints: each task's outcome, the registration the round planned (stopped
 * before the oracles are asked: its call needs their approvals, which a dry run does not request),
 * and every other transaction a task would have sent, with its gas and fees. Nothing was signed.
 */
export function dryRunLines(r: OnceRoundResult): string[] {
  const token = r.network.gasToken;
  const eth = (wei: bigint) => `${formatEther(wei)} ${token}`;
  const lines = [
    `Dry run of one round at slot ${r.slot}${r.snapshot ? `, block ${r.snapshot.head.number}` : ""}: nothing was signed, sent or written.`,
    `Vault ${r.flow.name}; hot wallet ${r.wallet}${r.snapshot ? ` holds ${eth(r.snapshot.balance)}` : ""}.`,
  ];
  for (const [task, state] of Object.entries(r.tasks)) {
    const what =
      state.state === "ok"
        ? task === "registration" && r.dryRun.registrations.length > 0
          ? "plans a registration (below)"
          : "ok"
        : state.state === "waiting"
          ? `waits for ${state.waitingFor ? WAIT_REASONS[state.waitingFor].label : "?"}: ${state.reason}`
          : `${state.reason?.startsWith("dry run:") ? "stops" : "fails"}: ${state.reason}`;
    lines.push(`Task ${task}: ${what}`);
  }
  for (const reg of r.dryRun.registrations) {
    const n = reg.validators.length;
    lines.push(
      `Would register ${n} ${n === 1 ? "validator" : "validators"} through the ${reg.flow}${reg.harvests ? ", harvesting the vault in the same call" : ""}:`,
    );
    for (const [i, v] of reg.validators.entries()) {
      const at = v.depositDataPosition !== undefined ? ` (deposit data entry ${v.depositDataPosition})` : "";
      lines.push(`  ${i + 1}. ${v.publicKey ?? "a key the relayer picks"}: ${v.amountGwei} gwei${at}`);
    }
    lines.push(
      `  fees: max ${formatGwei(reg.fees.maxFeePerGas)} gwei, priority ${formatGwei(reg.fees.maxPriorityFeePerGas)} gwei; gas at least ${reg.gasFloor} (at least ${eth(reg.gasFloor * reg.fees.maxFeePerGas)})`,
      "  the oracles' approvals are not requested by a dry run: the next round asks them, then sends",
    );
  }
  for (const send of r.dryRun.sends) {
    const gas =
      send.gas !== undefined
        ? `gas ${send.gas} (up to ${eth(((send.gas * 12n) / 10n) * send.fees.maxFeePerGas)})`
        : `gas not estimated: ${send.gasError}`;
    lines.push(
      `Would send ${send.kind} to ${send.to}${send.value > 0n ? ` with ${eth(send.value)}` : ""}: ${send.data.slice(0, 10)}… (${(send.data.length - 2) / 2} bytes), ${gas}, max fee ${formatGwei(send.fees.maxFeePerGas)} gwei`,
    );
    for (const key of send.publicKeys) lines.push(`  ${key}`);
  }
  if (r.dryRun.registrations.length === 0 && r.dryRun.sends.length === 0)
    lines.push("Would send nothing this round.");
  return lines;
}
