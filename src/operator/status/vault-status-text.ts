import { formatEther, formatGwei } from "viem";
import { WAIT_REASONS, type WaitReason } from "./outcome.ts";
import type { VaultStatus } from "./vault-status.ts";

const amount = (wei: string | null, token: string) =>
  wei === null ? "unknown" : `${formatEther(BigInt(wei))} ${token}`;

/** `operator status` as text: one screen, one fact a line. */
export function vaultStatusLines(s: VaultStatus): string[] {
  const states = Object.entries(s.validators.byState)
    .map(([state, count]) => `${count} ${state}`)
    .join(", ");
  const lines = [
    `Vault ${s.vault} on ${s.network}: version ${s.version}, ${s.flow.name}`,
    `Head: slot ${s.slot}, block ${s.block ?? "unknown"}`,
    s.validators.error
      ? `Validators: not read (${s.validators.error})`
      : `Validators: ${s.validators.registered} registered${states ? ` (${states})` : ""}`,
    `Unused keys: ${s.unusedKeys ?? "unknown"}`,
    `Assets waiting: ${amount(s.assets.stakeableWei, s.assets.token)} stakeable; a new validator needs ${amount(s.assets.validatorNeedsWei, s.assets.token)}`,
    s.oracles.error
      ? `Oracles: not read (${s.oracles.error})`
      : `Oracles: ${s.oracles.reachable} of ${s.oracles.total} reachable (${s.oracles.minOracles} needed)`,
    ...s.oracles.unreachable.map((o) => `  unreachable ${o.oracle}: ${o.reason}`),
    `Hot wallet ${s.wallet.address}: ${amount(s.wallet.balanceWei, s.wallet.token)}${s.wallet.low ? ` (below ${amount(s.wallet.minBalanceWei, s.wallet.token)}: top it up)` : ""}`,
    s.wallet.nextRegistrationCostWei === null || s.wallet.maxFeePerGasWei === null
      ? "  runway: unknown"
      : `  runway: about ${s.wallet.registrationsAffordable} registrations at ${formatGwei(BigInt(s.wallet.maxFeePerGasWei))} gwei (each at least ${amount(s.wallet.nextRegistrationCostWei, s.wallet.token)})`,
    `State ${s.state.file}: ${s.state.note ?? `${s.state.transactions} transactions, ${s.state.open} open`}`,
    s.state.last
      ? `  last transaction: ${s.state.last.kind} ${s.state.last.status} ${s.state.last.txHash} (nonce ${s.state.last.nonce}, ${s.state.last.updatedAt})`
      : "  last transaction: none",
    `Service: ${serviceLine(s.service)}`,
    ...Object.entries(s.service.tasks ?? {}).map(
      ([task, t]) =>
        `  ${task}: ${t.state === "waiting" ? `waiting for ${labelOf(t.waitingFor ?? null)}` : t.state}${t.reason ? ` (${t.reason})` : ""}`,
    ),
    `Next round: ${nextLine(s.next)}`,
    ...s.next.validators.map((v) => `  ${v.publicKey ?? "(key from the relayer)"}: ${v.amountGwei} gwei`),
  ];
  return lines;
}

function nextLine(next: VaultStatus["next"]): string {
  switch (next.state) {
    case "register":
      return `registers ${next.validators.length} ${next.validators.length === 1 ? "validator" : "validators"}`;
    case "waiting":
      return `waits for ${labelOf(next.waitingFor)}: ${next.reason}`;
    case "failed":
      return `fails: ${next.reason}`;
    case "idle":
      return "nothing to do";
  }
}

function labelOf(reason: string | null): string {
  return reason !== null && reason in WAIT_REASONS
    ? WAIT_REASONS[reason as WaitReason].label
    : String(reason);
}

function serviceLine(service: VaultStatus["service"]): string {
  if (service.running === null)
    return "not asked (pass --enable-metrics and the --metrics-host/--metrics-port it runs with)";
  if (!service.running) return `none answers ${service.health} (${service.error})`;
  const health = service.healthy ? "healthy" : "unhealthy";
  return `running, ${health}, last round at slot ${service.lastSlot ?? "none yet"} (${service.health})`;
}
