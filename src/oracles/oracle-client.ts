import { type Address, type Hex, recoverTypedDataAddress, type TypedDataDefinition } from "viem";
import { OperatorError } from "../lib/errors.ts";
import { HttpError } from "../lib/http-errors.ts";
import { fetchJson } from "../lib/http-json.ts";
import { type OracleApproval, OracleApprovalSchema } from "./approval-request.ts";

/** An oracle as the operator reaches it: its address (from its public key) and replica endpoints. */
export interface OracleTarget {
  address: Address;
  endpoints: readonly string[];
}

export interface OracleFailure {
  oracle: Address;
  /** Secret-free description of the last replica's failure. */
  reason: string;
}

export interface ApprovalsResult {
  approvals: Array<{ oracle: Address; approval: OracleApproval }>;
  failures: OracleFailure[];
}

export interface RequestApprovalsParameters {
  oracles: readonly OracleTarget[];
  /** "" for registration approvals, "/signatures" for exit-signature updates. */
  path: string;
  body: unknown;
  timeoutMs: number;
  signal?: AbortSignal;
  /** The EIP-712 message an oracle must have signed, given its answer (ipfs hash, deadline). */
  typedData: (approval: OracleApproval) => TypedDataDefinition;
  /** Replica order; tests pass the identity. */
  shuffle?: <T>(items: readonly T[]) => T[];
}

/**
 * Sends one request to every oracle concurrently (spec §5): each oracle's replicas are tried in
 * turn until one answers; an answer whose signature does not recover to the oracle's address is
 * treated as a failure of that oracle, never used.
 */
export async function requestApprovals(params: RequestApprovalsParameters): Promise<ApprovalsResult> {
  const shuffle = params.shuffle ?? randomOrder;
  const results = await Promise.all(
    params.oracles.map(async (oracle) => {
      let reason = "no endpoints";
      for (const endpoint of shuffle(oracle.endpoints)) {
        try {
          const approval = await postApproval(`${endpoint.replace(/\/$/, "")}${params.path}`, params);
          const signer = await recoverTypedDataAddress({
            ...params.typedData(approval),
            signature: approval.signature as Hex,
          });
          if (signer.toLowerCase() !== oracle.address.toLowerCase()) {
            reason = `signature by ${signer}, not by the oracle`;
            continue;
          }
          return { oracle: oracle.address, approval };
        } catch (error) {
          if (params.signal?.aborted) throw error;
          reason = failureReason(error);
        }
      }
      return { oracle: oracle.address, failure: reason };
    }),
  );
  const approvals: ApprovalsResult["approvals"] = [];
  const failures: OracleFailure[] = [];
  for (const r of results) {
    if ("approval" in r && r.approval) approvals.push({ oracle: r.oracle, approval: r.approval });
    else failures.push({ oracle: r.oracle, reason: (r as { failure: string }).failure });
  }
  return { approvals, failures };
}

async function postApproval(url: string, params: RequestApprovalsParameters): Promise<OracleApproval> {
  return fetchJson(url, {
    method: "POST",
    body: params.body,
    timeoutMs: params.timeoutMs,
    ...(params.signal ? { signal: params.signal } : {}),
    schema: OracleApprovalSchema,
  });
}

/** Why an oracle failed, for logs: the typed error's line, plus what the oracle said, if anything. */
function failureReason(error: unknown): string {
  if (error instanceof HttpError) return error.body ? `${error.message}: ${error.body}` : error.message;
  return error instanceof Error ? error.message : String(error);
}

function randomOrder<T>(items: readonly T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

/** Fewer oracles agreed than the Keeper requires: wait and try again. */
export class NotEnoughOracleApprovalsError extends OperatorError {
  override name = "NotEnoughOracleApprovalsError";
}

export interface CombinedApproval {
  ipfsHash: string;
  deadline: number;
  /** Oracles in the agreeing group, with their signatures. */
  signatures: Array<{ oracle: Address; signature: Hex }>;
}

/**
 * The approvals the Keeper will accept together (spec §5.1): grouped by (ipfs_hash, deadline), the
 * largest group, which must reach the threshold.
 */
export function agreeingApprovals(
  approvals: ApprovalsResult["approvals"],
  threshold: number,
): CombinedApproval {
  const groups = new Map<string, ApprovalsResult["approvals"]>();
  for (const a of approvals) {
    const key = `${a.approval.ipfs_hash} ${a.approval.deadline}`;
    groups.set(key, [...(groups.get(key) ?? []), a]);
  }
  const largest = [...groups.values()].sort((a, b) => b.length - a.length)[0] ?? [];
  if (largest.length < threshold) {
    throw new NotEnoughOracleApprovalsError(
      `${largest.length} oracle approvals agree, ${threshold} required`,
      { retryable: true },
    );
  }
  const first = largest[0] as ApprovalsResult["approvals"][number];
  return {
    ipfsHash: first.approval.ipfs_hash,
    deadline: first.approval.deadline,
    signatures: largest.map((a) => ({ oracle: a.oracle, signature: a.approval.signature as Hex })),
  };
}
