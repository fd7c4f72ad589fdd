/**
 * Test doubles for the HTTP clients' unit tests: a scripted HTTP server on loopback and a URL
 * nobody listens on. Not used by production code.
 */
import { createServer as createHttpServer, type IncomingHttpHeaders } from "node:http";
import { createServer as createNetServer } from "node:net";

export interface RecordedRequest {
  method: string;
  /** Path and query. */
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface ScriptedAnswer {
  status?: number;
  /** Sent as application/json. */
  json?: unknown;
  /** Sent as is. */
  body?: string | Uint8Array;
  /** Waits before answering. */
  delayMs?: number;
  /** Drops the connection without an answer. */
  destroy?: boolean;
}

export interface ScriptedServer {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/** A loopback HTTP server answering each request with what `answer` returns. */
export async function startScriptedServer(
  answer: (request: RecordedRequest) => ScriptedAnswer | Promise<ScriptedAnswer>,
): Promise<ScriptedServer> {
  const requests: RecordedRequest[] = [];
  const server = createHttpServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const request: RecordedRequest = {
      method: req.method ?? "GET",
      url: req.url ?? "/",
      headers: req.headers,
      body: Buffer.concat(chunks).toString("utf8"),
    };
    requests.push(request);
    const a = await answer(request);
    if (a.delayMs) await new Promise((resolve) => setTimeout(resolve, a.delayMs));
    if (a.destroy) {
      req.socket.destroy();
      return;
    }
    if (a.json !== undefined) {
      res.writeHead(a.status ?? 200, { "content-type": "application/json" });
      res.end(JSON.stringify(a.json));
      return;
    }
    res.writeHead(a.status ?? 200);
    res.end(a.body ?? "");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** `http://127.0.0.1:<port><path>` for a port nothing listens on (just freed). */
export async function unusedUrl(path = ""): Promise<string> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}${path}`;
}

/** Python's error page (`python3 -m http.server`), for a status and a message. */
function errorPage(status: number, message: string): string {
  return [
    "<!DOCTYPE HTML>",
    '<html lang="en">',
    '<head><meta charset="utf-8"><title>Error response</title></head>',
    `<body><h1>Error response</h1><p>Error code: ${status}</p><p>Message: ${message}.</p></body>`,
    "</html>",
  ].join("\n");
}

/**
 * A web server that is not a node, answering as `python3 -m http.server` does: 404 with an HTML
 * page to any GET, 501 with an HTML page to any POST (a JSON-RPC call).
 */
export function startWebServer(): Promise<ScriptedServer> {
  return startScriptedServer((request) =>
    request.method === "GET"
      ? { status: 404, body: errorPage(404, "File not found") }
      : { status: 501, body: errorPage(501, `Unsupported method ('${request.method}')`) },
  );
}
