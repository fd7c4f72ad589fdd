import { scanRegisteredKeys } from "../../chain/vault-validator-events.ts";
import { errorLine } from "../../lib/errors.ts";
import { EndpointRequestError } from "../../lib/http/errors.ts";
import { httpRequest } from "../../lib/http/request.ts";
import { askEveryOracle } from "../../oracles/oracle-client.ts";
import { registrationGasFloor } from "../flows/validators-root-flow.ts";
import type { OnceRoundResult } from "../once-run.ts";
import { depositGweiToAssets } from "../planning/deposit-units.ts";
import { type RunningService, readRunningService } from "./running-service.ts";

/**
 * `operator status --json`: one object with stable keys. Amounts are decimal strings of wei (or
 * gwei where the key says so); what could not be read is null, with the reason beside it.
 */
export interface VaultStatus {
  vault: `0x${string}`;
  network: string;
  version: number;
  flow: { kind: string; name: string };
  slot: number;
  block: number | null;
  validators: { registered: number; byState: Record<string, number>; error: string | null };
  unusedKeys: number | null;
  assets: { stakeableWei: string | null; validatorNeedsWei: string; token: string };
  oracles: {
    total: number;
    reachable: number;
    minOracles: number | null;
    unreachable: Array<{ oracle: string; reason: string }>;
    error: string | null;
  };
  wallet: {
    address: `0x${string}`;
    balanceWei: string | null;
    minBalanceWei: string;
    low: boolean | null;
    maxFeePerGasWei: string | null;
    /** Gas of a one-validator registration from below, at the current max fee. */
    nextRegistrationCostWei: string | null;
    registrationsAffordable: number | null;
    token: string;
  };
  state: {
    file: string;
    note: string | null;
    transactions: number;
    open: number;
    last: { kind: string; status: string; txHash: string; nonce: number; updatedAt: string } | null;
  };
  /** The running service's last round, from its /health (with --enable-metrics as it runs). */
  service: RunningService;
  /** What the next round's registration does now: the same plan() the service runs. */
  next: {
    state: "register" | "waiting" | "failed" | "idle";
    waitingFor: string | null;
    reason: string | null;
    validators: Array<{ publicKey: string | null; amountGwei: string }>;
  };
}

export interface CollectStatusParameters {
  vault: `0x${string}`;
  /** start's --enable-metrics, --metrics-host and --metrics-port: where a running service answers /health. */
  metrics: { enableMetrics: boolean; metricsHost: string; metricsPort: number };
  oracleTimeoutMs: number;
  signal: AbortSignal;
}

/** The status of the vault from one round that sent nothing, and the reads around it (at once). */
export async function collectVaultStatus(
  r: OnceRoundResult,
  p: CollectStatusParameters,
): Promise<VaultStatus> {
  const { network, snapshot } = r;
  const [validators, oracles, service] = await Promise.all([
    beaconStates(r, p),
    oracleReach(r, p),
    readRunningService({ ...p.metrics, timeoutMs: p.oracleTimeoutMs, signal: p.signal }),
  ]);
  const fee = snapshot?.fees.maxFeePerGas;
  const cost = fee === undefined ? undefined : registrationGasFloor(1) * fee;
  const [last, transactions, open] = await Promise.all([
    r.state.lastTransaction(),
    r.state.transactionCount(),
    r.state.openTransactions(),
  ]);
  const planned = r.dryRun.registrations[0];
  const task = r.tasks.registration;
  return {
    vault: p.vault,
    network: network.name,
    version: r.version,
    flow: r.flow,
    slot: r.slot,
    block: snapshot ? Number(snapshot.head.number) : null,
    validators,
    unusedKeys: r.unusedKeys ?? null,
    assets: {
      stakeableWei: snapshot ? String(snapshot.stakeable) : null,
      validatorNeedsWei: String(depositGweiToAssets(network, BigInt(network.validatorDepositGwei))),
      token: network.assetToken,
    },
    oracles,
    wallet: {
      address: r.wallet,
      balanceWei: snapshot ? String(snapshot.balance) : null,
      minBalanceWei: String(network.walletMinBalanceWei),
      low: snapshot ? snapshot.balance < network.walletMinBalanceWei : null,
      maxFeePerGasWei: fee === undefined ? null : String(fee),
      nextRegistrationCostWei: cost === undefined ? null : String(cost),
      registrationsAffordable:
        snapshot && cost !== undefined && cost > 0n ? Number(snapshot.balance / cost) : null,
      token: network.gasToken,
    },
    state: {
      file: r.state.description,
      note: r.state.note ?? null,
      transactions,
      open: open.length,
      last: last
        ? {
            kind: last.kind,
            status: last.status,
            txHash: last.txHash,
            nonce: last.nonce,
            updatedAt: last.updatedAt.toISOString(),
          }
        : null,
    },
    service,
    next: {
      state: planned ? "register" : task ? (task.state === "ok" ? "idle" : task.state) : "idle",
      waitingFor: task?.waitingFor ?? null,
      reason: task?.reason ?? null,
      validators: (planned?.validators ?? []).map((v) => ({
        publicKey: v.publicKey ?? null,
        amountGwei: String(v.amountGwei),
      })),
    },
  };
}

/** The vault's registered validators (its registration events) by beacon state; not on the beacon yet: "deposited". */
async function beaconStates(
  r: OnceRoundResult,
  p: CollectStatusParameters,
): Promise<VaultStatus["validators"]> {
  try {
    const head = r.snapshot?.head.number ?? (await r.execution.getBlockNumber());
    const keys = await scanRegisteredKeys({
      client: r.execution,
      vault: p.vault,
      fromBlock: BigInt(r.network.keeper.genesisBlock),
      toBlock: head,
      signal: p.signal,
    });
    const known = keys.length === 0 ? [] : await r.consensus.getValidators(keys, { signal: p.signal });
    const byState: Record<string, number> = {};
    for (const v of known) byState[v.status] = (byState[v.status] ?? 0) + 1;
    if (keys.length > known.length) byState.deposited = keys.length - known.length;
    return { registered: keys.length, byState: sorted(byState), error: null };
  } catch (error) {
    return { registered: 0, byState: {}, error: errorLine(error) };
  }
}

/** Each oracle of the Keeper's config asked once (GET on its endpoints): any HTTP answer under 500 is reachable. */
async function oracleReach(r: OnceRoundResult, p: CollectStatusParameters): Promise<VaultStatus["oracles"]> {
  try {
    const set = r.snapshot?.oracles ?? (await r.oracles(p.signal));
    const { answers, failures } = await askEveryOracle(
      { oracles: set.targets, timeoutMs: p.oracleTimeoutMs, signal: p.signal },
      async (url) => {
        try {
          await httpRequest(url, "", { method: "GET", timeoutMs: p.oracleTimeoutMs, signal: p.signal });
        } catch (error) {
          const answered =
            error instanceof EndpointRequestError && error.kind === "http" && (error.status ?? 500) < 500;
          if (!answered) throw error;
        }
        return true;
      },
    );
    return {
      total: set.targets.length,
      reachable: answers.length,
      minOracles: set.validatorsMinOracles,
      unreachable: failures.map((f) => ({ oracle: f.oracle, reason: f.reason })),
      error: null,
    };
  } catch (error) {
    return { total: 0, reachable: 0, minOracles: null, unreachable: [], error: errorLine(error) };
  }
}

function sorted(record: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}
