/**
 * An in-process Rated Network API for tests (loopback, port 0): `POST /v0/selfReports/validators`
 * as Rated documents it. It checks what it receives as Rated would: a Bearer token (the one it was
 * started with), an X-Rated-Network header, a JSON body whose `validators` are 1–1,000 distinct
 * 0x-prefixed 48-byte public keys and whose `poolTag` is a string; it answers 201, or 401/400
 * with a reason. Every accepted report is kept.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

export interface RatedReport {
  network: string;
  poolTag: string;
  validators: string[];
}

export interface RatedApiDouble {
  url: string;
  readonly reports: RatedReport[];
  /** Answers every report with this status instead (a Rated outage). */
  failWith(status: number | null): void;
  close(): Promise<void>;
}

export async function startRatedApi(token: string): Promise<RatedApiDouble> {
  const reports: RatedReport[] = [];
  let failure: number | null = null;
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const refuse = (status: number, reason: string): void => {
      res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify({ detail: reason }));
    };
    if (req.method !== "POST" || req.url !== "/v0/selfReports/validators") return refuse(404, "Not Found");
    if (failure !== null) return refuse(failure, "unavailable");
    if (req.headers.authorization !== `Bearer ${token}`) return refuse(401, "Invalid token");
    const network = req.headers["x-rated-network"];
    if (typeof network !== "string" || network === "") return refuse(400, "X-Rated-Network missing");
    let body: { validators?: unknown; poolTag?: unknown };
    try {
      body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    } catch {
      return refuse(400, "body is not JSON");
    }
    const { validators, poolTag } = body;
    if (
      !Array.isArray(validators) ||
      validators.length === 0 ||
      validators.length > 1000 ||
      !validators.every((v) => typeof v === "string" && /^0x[0-9a-f]{96}$/i.test(v)) ||
      new Set(validators).size !== validators.length
    ) {
      return refuse(400, "validators must be 1-1000 distinct public keys");
    }
    if (typeof poolTag !== "string") return refuse(400, "poolTag must be a string");
    reports.push({ network, poolTag, validators: validators as string[] });
    res.writeHead(201, { "content-type": "application/json" }).end("{}");
    return undefined;
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    reports,
    failWith: (status) => {
      failure = status;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
