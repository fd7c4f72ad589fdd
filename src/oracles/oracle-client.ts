import { type Address, type Hex, recoverTypedDataAddress, type TypedDataDefinition } from "viem";
import { OperatorError } from "../lib/errors.ts";
import { AllEndpointsFailedError, EndpointRequestError } from "../lib/http/errors.ts";
import { withFailover } from "../lib/http/failover.ts";
import { httpJson, parseAnswer } from "../lib/http/request.ts";
import { redactUrl } from "../lib/sanitize.ts";
import {
  ForcedExitsSchema,
  type OracleApproval,
  OracleApprovalSchema,
  type OutdatedSignatures,
  OutdatedSignaturesSchema,
} from "./approval-request.ts";

/** An oracle as the operator reaches it: its address (from its public key) and replica endpoints. */
export interface OracleTarget {
  address: Address;
  endpoints: readonly string[];
}

export interface OracleFailure {
  oracle: Address;
  /**
   * Each replica tried, redacted, with why it failed (the HTTP layer's vocabulary), secret-free:
   * "https://o1.example refused the connection, https://o2.example answered HTTP 400: deadline is
   * too far in the future".
   */
  reason: string;
}

/** "0xOracle1: <reason>; 0xOracle2: <reason>", for an error's details. */
export function oracleFailuresText(failures: readonly OracleFailure[]): string {
  return failures.map((f) => `${f.oracle}: ${f.reason}`).join("; ");
}

export interface ApprovalsResult {
  approvals: Array<{ oracle: Address; approval: OracleApproval }>;
  failures: OracleFailure[];
}

/** What every request to the oracles takes. */
export interface OracleRequestParameters {
  oracles: readonly OracleTarget[];
  timeoutMs: number;
  signal?: AbortSignal;
  /** Replica order; tests pass the identity. */
  shuffle?: <T>(items: readonly T[]) => T[];
}

export interface RequestApprovalsParameters extends OracleRequestParameters {
  /** "" for registration approvals, "/signatures" for exit-signature updates. */
  path: string;
  body: unknown;
  /** The EIP-712 message an oracle must have signed, given its answer (ipfs hash, deadline). */
  typedData: (approval: OracleApproval) => TypedDataDefinition;
}

/**
 * Sends one request to every oracle concurrently (spec §5): each oracle's replicas are tried in
 * turn until one answers; an answer whose signature does not recover to the oracle's address is
 * treated as a failure of that oracle, never used.
 */
export async function requestApprovals(params: RequestApprovalsParameters): Promise<ApprovalsResult> {
  const { answers, failures } = await askEveryOracle(params, async (url, oracle) => {
    const approval = parseAnswer(
      OracleApprovalSchema,
      url,
      params.path,
      await httpJson(url, params.path, {
        method: "POST",
        json: params.body,
        timeoutMs: params.timeoutMs,
        signal: params.signal,
      }),
    );
    const signer = await recoverTypedDataAddress({
      ...params.typedData(approval),
      signature: approval.signature as Hex,
    });
    if (signer.toLowerCase() !== oracle.address.toLowerCase()) {
      throw new EndpointRequestError({
        endpoint: redactUrl(url),
        failure: { kind: "invalid-response", reason: `answered a signature by ${signer}, not by the oracle` },
        retryable: false,
      });
    }
    return approval;
  });
  return { approvals: answers.map((a) => ({ oracle: a.oracle, approval: a.answer })), failures };
}

export interface RequestOutdatedSignaturesParameters extends OracleRequestParameters {
  vault: Address;
  /** Oracles that must answer (the protocol's validatorsMinOracles). */
  threshold: number;
}

/** Fewer oracles answered than the protocol needs; the details name each failed oracle and why. */
export class NotEnoughOracleAnswersError extends OperatorError {
  override name = "NotEnoughOracleAnswersError";
}

/**
 * Asks every oracle which of the vault's validators have outdated exit signatures (spec §6.5:
 * `GET /signatures/{vault}`), each oracle's replicas in turn, and returns the answers. Fewer than
 * `threshold` answers is a retryable NotEnoughOracleAnswersError naming each oracle that failed,
 * never an empty report.
 */
export async function requestOutdatedSignatures(
  params: RequestOutdatedSignaturesParameters,
): Promise<OutdatedSignatures[]> {
  const path = `/signatures/${params.vault}`;
  const { answers, failures } = await askEveryOracle(params, async (url) =>
    parseAnswer(
      OutdatedSignaturesSchema,
      url,
      path,
      await httpJson(url, path, { timeoutMs: params.timeoutMs, signal: params.signal }),
    ),
  );
  if (answers.length < params.threshold) {
    throw new NotEnoughOracleAnswersError(
      `${answers.length} of ${params.oracles.length} oracles answered which exit signatures are outdated, ${params.threshold} required`,
      { details: oracleFailuresText(failures), retryable: true },
    );
  }
  return answers.map((a) => a.answer);
}

/**
 * Asks every oracle which validators it is force-exiting (spec §5.5: `GET /exits/`), each oracle's
 * replicas in turn. Returns one index list per oracle in `oracles` order; an oracle that did not
 * answer gives an empty list, so it simply does not vote (forcedExitIndexes counts the votes), and
 * is named in `failures`.
 */
export async function requestForcedExits(
  params: OracleRequestParameters,
): Promise<{ answers: number[][]; failures: OracleFailure[] }> {
  const path = "/exits/";
  const { answers, failures } = await askEveryOracle(params, async (url) =>
    parseAnswer(
      ForcedExitsSchema,
      url,
      path,
      await httpJson(url, path, { timeoutMs: params.timeoutMs, signal: params.signal }),
    ),
  );
  const byOracle = new Map(answers.map((a) => [a.oracle, a.answer.map((e) => e.index)]));
  return { answers: params.oracles.map((o) => byOracle.get(o.address) ?? []), failures };
}

/**
 * `ask` of every oracle concurrently, each through its replicas in (shuffled) turn: any failure of
 * a replica moves on to the next (the HTTP layer's failover); an oracle whose replicas all failed
 * is a failure naming each. Aborting `signal` rejects.
 */
export async function askEveryOracle<T>(
  params: OracleRequestParameters,
  ask: (url: string, oracle: OracleTarget) => Promise<T>,
): Promise<{ answers: Array<{ oracle: Address; answer: T }>; failures: OracleFailure[] }> {
  const shuffle = params.shuffle ?? randomOrder;
  const results = await Promise.all(
    params.oracles.map(async (oracle) => {
      if (oracle.endpoints.length === 0) return { oracle: oracle.address, failure: "no endpoints" };
      try {
        const answer = await withFailover(shuffle(oracle.endpoints), (url) => ask(url, oracle), {
          what: "oracle",
          signal: params.signal,
          fallThrough: () => true,
        });
        return { oracle: oracle.address, answer };
      } catch (error) {
        if (!(error instanceof AllEndpointsFailedError)) throw error;
        const tried = error.endpoints.map((endpoint, i) => `${endpoint} ${error.reasons[i]}`);
        return { oracle: oracle.address, failure: tried.join(", ") };
      }
    }),
  );
  const answers: Array<{ oracle: Address; answer: T }> = [];
  const failures: OracleFailure[] = [];
  for (const r of results) {
    if ("answer" in r) answers.push({ oracle: r.oracle, answer: r.answer as T });
    else failures.push({ oracle: r.oracle, reason: r.failure });
  }
  return { answers, failures };
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
 * largest group, which must reach the threshold; else the error's details name the `failures`.
 */
export function agreeingApprovals(
  approvals: ApprovalsResult["approvals"],
  threshold: number,
  failures: readonly OracleFailure[] = [],
  /** How many oracles were asked: the message then says so and that the round waits for them. */
  asked?: number,
): CombinedApproval {
  const groups = new Map<string, ApprovalsResult["approvals"]>();
  for (const a of approvals) {
    const key = `${a.approval.ipfs_hash} ${a.approval.deadline}`;
    groups.set(key, [...(groups.get(key) ?? []), a]);
  }
  const largest = [...groups.values()].sort((a, b) => b.length - a.length)[0] ?? [];
  if (largest.length < threshold) {
    const waiting = asked === undefined ? "" : ` (${asked} oracles asked): waiting for the oracles`;
    throw new NotEnoughOracleApprovalsError(
      `${largest.length} oracle approvals agree, ${threshold} required${waiting}`,
      { ...(failures.length > 0 ? { details: oracleFailuresText(failures) } : {}), retryable: true },
    );
  }
  const first = largest[0] as ApprovalsResult["approvals"][number];
  return {
    ipfsHash: first.approval.ipfs_hash,
    deadline: first.approval.deadline,
    signatures: largest.map((a) => ({ oracle: a.oracle, signature: a.approval.signature as Hex })),
  };
}
