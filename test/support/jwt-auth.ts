/**
 * JWT authentication as an execution client's authenticated RPC applies it (geth, Nethermind,
 * Besu, Erigon, Reth: "Authorization: Bearer <HS256 JWT>", `iat` within 60 seconds of now), with
 * this file's own code on node:crypto, not the operator's: a check for scripted servers and a
 * proxy that puts it in front of a real node (anvil has none of its own).
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

/** Why the request's token is refused, or undefined when it is good. */
export function bearerJwtProblem(
  headers: IncomingHttpHeaders,
  secret: Uint8Array,
  nowSeconds = Math.floor(Date.now() / 1000),
): string | undefined {
  const match = /^Bearer ([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/.exec(
    headers.authorization ?? "",
  );
  if (!match) return "missing token";
  const [, header, payload, signature] = match as unknown as [string, string, string, string];
  const expected = createHmac("sha256", secret).update(`${header}.${payload}`).digest();
  const given = Buffer.from(signature, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return "signature invalid";
  const { alg } = JSON.parse(Buffer.from(header, "base64url").toString()) as { alg?: unknown };
  if (alg !== "HS256") return `algorithm ${String(alg)}`;
  const { iat } = JSON.parse(Buffer.from(payload, "base64url").toString()) as { iat?: unknown };
  if (typeof iat !== "number" || Math.abs(iat - nowSeconds) > 60) return "stale token";
  return undefined;
}

export interface JwtAuthProxy {
  url: string;
  /** Requests refused, with the reason. */
  readonly refused: string[];
  /** Requests let through. */
  passed(): number;
  close(): Promise<void>;
}

/** A loopback HTTP proxy to `upstream` that lets through only requests with a good token. */
export async function startJwtAuthProxy(upstream: string, secret: Uint8Array): Promise<JwtAuthProxy> {
  const refused: string[] = [];
  let passed = 0;
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const problem = bearerJwtProblem(req.headers, secret);
    if (problem) {
      refused.push(problem);
      res.writeHead(401, { "content-type": "text/plain" }).end(`${problem}\n`);
      return;
    }
    passed++;
    try {
      const answer = await fetch(upstream, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: Buffer.concat(chunks),
      });
      res.writeHead(answer.status, { "content-type": "application/json" }).end(await answer.text());
    } catch {
      res.writeHead(502).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    refused,
    passed: () => passed,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
