/**
 * Rated Network's validator self-report (spec §1.1 `submit-rated-network`): POST
 * `{RATED_API_URL}/v0/selfReports/validators` with `{"validators": [public keys], "poolTag"}`, at
 * most 1,000 keys a request, `Authorization: Bearer <token>` and `X-Rated-Network: <network>`;
 * Rated answers 201 to a report it took.
 */

import { failureReason } from "../lib/http/endpoint-failure.ts";
import { EndpointRequestError } from "../lib/http/errors.ts";
import { httpRequest } from "../lib/http/request.ts";

/** The Python operator's RATED_API_URL. */
export const RATED_API_URL = "https://api.rated.network";
/** Keys per report request. */
export const RATED_CHUNK = 1000;

export interface RatedReportParameters {
  apiUrl: string;
  token: string;
  /** X-Rated-Network: the network's name (mainnet). */
  network: string;
  poolTag: string;
  publicKeys: readonly string[];
  /** One line per request, as it goes. */
  report: (line: string) => void;
  signal?: AbortSignal;
  fetch?: typeof globalThis.fetch;
}

/** Reports every key, a chunk a request; returns how many were reported and the failures' lines. */
export async function reportToRated(
  p: RatedReportParameters,
): Promise<{ reported: number; failures: string[] }> {
  let reported = 0;
  const failures: string[] = [];
  for (let i = 0; i < p.publicKeys.length; i += RATED_CHUNK) {
    const chunk = p.publicKeys.slice(i, i + RATED_CHUNK);
    try {
      const response = await httpRequest(p.apiUrl, "/v0/selfReports/validators", {
        method: "POST",
        json: { validators: chunk, poolTag: p.poolTag },
        headers: { authorization: `Bearer ${p.token}`, "x-rated-network": p.network },
        timeoutMs: 15_000,
        signal: p.signal,
        fetch: p.fetch,
      });
      if (response.status !== 201) throw new Error(`answered HTTP ${response.status}, not 201`);
      reported += chunk.length;
      p.report(`Successfully reported ${chunk.length} validators.`);
    } catch (error) {
      if (p.signal?.aborted) throw error;
      const why = error instanceof EndpointRequestError ? failureReason(error) : (error as Error).message;
      const hint =
        error instanceof EndpointRequestError && (error.status === 401 || error.status === 403)
          ? " (check --token)"
          : "";
      const line = `Failed to report validators ${i + 1}–${i + chunk.length}: Rated ${why}${hint}`;
      failures.push(line);
      p.report(line);
    }
  }
  return { reported, failures };
}
