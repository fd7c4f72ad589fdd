import { type Address, type Hex, recoverTypedDataAddress, type TypedDataDefinition } from "viem";
import { OperatorError } from "../lib/errors.ts";
import { failureReason } from "../lib/http/endpoint-failure.ts";
import { httpJson, parseAnswer } from "../lib/http/request.ts";
import { redactUrl } from "../lib/sanitize.ts";
import { type OracleApproval, OracleApprovalSchema } from "./approval-request.ts";

/** An oracle as the operator reaches it: its address (from its public key) and replica endpoints. */
export interface OracleTarget {
  address: Address;
  endpoints: readonly string[];
}

export interface OracleFailure {
  oracle: Address;
  /**
   * Each replica tried, redacted, with why it failed (the chain clients' vocabulary), secret-free:
   * "https://o1.example refused the connection, https://o2.example answered HTTP 400: deadline is
   * too far in the future".
   */
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
      const tried: string[] = [];
      for (const url of shuffle(oracle.endpoints)) {
        const endpoint = redactUrl(url);
        try {
          const approval = await postApproval(url, params);
          const signer = await recoverTypedDataAddress({
            ...params.typedData(approval),
            signature: approval.signature as Hex,
          });
          if (signer.toLowerCase() !== oracle.address.toLowerCase()) {
            tried.push(`${endpoint} answered a signature by ${signer}, not by the oracle`);
            continue;
          }
          return { oracle: oracle.address, approval };
        } catch (error) {
          if (params.signal?.aborted) throw error;
          tried.push(`${endpoint} ${failureReason(error, { timeoutMs: params.timeoutMs })}`);
        }
      }
      return { oracle: oracle.address, failure: tried.length > 0 ? tried.join(", ") : "no endpoints" };
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

/** One replica's answer, validated: an invalid one is an EndpointRequestError of that replica. */
async function postApproval(url: string, params: RequestApprovalsParameters): Promise<OracleApproval> {
  const json = await httpJson(url, params.path, {
    method: "POST",
    json: params.body,
    timeoutMs: params.timeoutMs,
    signal: params.signal,
  });
  return parseAnswer(OracleApprovalSchema, url, params.path, json);
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
