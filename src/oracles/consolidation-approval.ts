import { type Address, type Hex, recoverTypedDataAddress, type TypedDataDefinition } from "viem";
import { combineOracleSignatures } from "../chain/keeper-eip712.ts";
import { EndpointRequestError } from "../lib/http/errors.ts";
import { httpJson, parseAnswer } from "../lib/http/request.ts";
import { redactUrl } from "../lib/sanitize.ts";
import { type ConsolidationApprovalRequest, ConsolidationApprovalSchema } from "./approval-request.ts";
import {
  askEveryOracle,
  NotEnoughOracleApprovalsError,
  type OracleRequestParameters,
  oracleFailuresText,
} from "./oracle-client.ts";

const PATH = "/consolidate-validators/";

export interface RequestConsolidationApprovalParameters extends OracleRequestParameters {
  body: ConsolidationApprovalRequest;
  /** The ConsolidationsChecker message each oracle must have signed. */
  typedData: TypedDataDefinition;
  /** The Keeper's validatorsMinOracles. */
  threshold: number;
}

/**
 * Asks every oracle to approve a consolidation (spec §5.5), each through its replicas in turn, and
 * returns the `oracleSignatures` bytes the vault passes to the ConsolidationsChecker: signatures
 * that recover to their oracle, sorted by oracle address, the first `threshold`, concatenated.
 * Fewer approvals than the threshold is a retryable error naming each oracle that failed.
 */
export async function requestConsolidationApproval(
  params: RequestConsolidationApprovalParameters,
): Promise<Hex> {
  const { answers, failures } = await askEveryOracle(params, async (url, oracle) => {
    const { signature } = parseAnswer(
      ConsolidationApprovalSchema,
      url,
      PATH,
      await httpJson(url, PATH, {
        method: "POST",
        json: params.body,
        timeoutMs: params.timeoutMs,
        signal: params.signal,
      }),
    );
    const signer = await recoverTypedDataAddress({ ...params.typedData, signature: signature as Hex });
    if (signer.toLowerCase() !== oracle.address.toLowerCase()) {
      throw new EndpointRequestError({
        endpoint: redactUrl(url),
        failure: { kind: "invalid-response", reason: `answered a signature by ${signer}, not by the oracle` },
        retryable: false,
      });
    }
    return signature as Hex;
  });
  if (answers.length < params.threshold) {
    throw new NotEnoughOracleApprovalsError(
      `${answers.length} of ${params.oracles.length} oracles approved the consolidation, ${params.threshold} required`,
      { ...(failures.length > 0 ? { details: oracleFailuresText(failures) } : {}), retryable: true },
    );
  }
  return combineOracleSignatures(
    answers.map((a) => ({ oracle: a.oracle as Address, signature: a.answer })),
    params.threshold,
  );
}
