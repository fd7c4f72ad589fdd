import { randomUUID } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import type { Socket } from "node:net";

/**
 * An in-process HashiCorp Vault HTTP API double (loopback, free port) with what the operator reads:
 * KV v1 and KV v2 mounts, `sys/internal/ui/mounts/{path}` (how Vault's CLI learns a mount's KV
 * version), reads and lists. Answers are shaped like Vault's:
 *
 * - a missing or wrong `X-Vault-Token`, or a path denied by `deny()`: 403 `{"errors":["permission denied"]}`;
 * - a missing secret, or a list with no keys under it: 404 `{"errors":[]}`;
 * - a path under no mount: 404 `no handler for route`; the mounts endpoint for it: 403 (preflight);
 * - lists: the `LIST` method or `GET …?list=true`, keys directly under the prefix, folders with a
 *   trailing "/". Node's HTTP parser rejects the `LIST` method, so such requests are read from the
 *   parser's raw packet and answered on the socket (one request per connection).
 */
export interface VaultMount {
  /** Mount path without slashes, e.g. "secret" or "kv/validators". */
  path: string;
  version: 1 | 2;
  /** KV v1 mounts made before versioned KV had `options: null`; default false (`{"version":"1"}`). */
  legacyOptions?: boolean;
}

export interface StartHashiVaultOptions {
  /** Default "test-vault-token". */
  token?: string;
  /** Default one KV v2 mount "secret". */
  mounts?: VaultMount[];
  /** When set, requests must carry this `X-Vault-Namespace` to see the mounts. */
  namespace?: string;
  /** False answers 404 on `sys/internal/ui/mounts` (Vault before 0.10). Default true. */
  mountsEndpoint?: boolean;
}

/**
 * A fault for the requests whose path contains `match` (all when omitted): `down` 503 (sealed),
 * `error` 500, `refuse` drops the connection, `malformed` 200 with a body that is not JSON,
 * `no-data` 200 with `errors` and no `data`.
 */
export type HashiVaultFault = "down" | "error" | "refuse" | "malformed" | "no-data";

export interface RecordedVaultRequest {
  method: string;
  /** Path and query as sent, e.g. "/v1/secret/metadata/keys?list=true". */
  url: string;
  headers: IncomingHttpHeaders;
}

export interface HashiVaultDouble {
  /** "http://127.0.0.1:<port>", no trailing slash. */
  url: string;
  token: string;
  readonly requests: RecordedVaultRequest[];
  /** Highest number of requests answered at once since the last `clearRequests()`. */
  readonly maxInFlight: number;
  /** Writes a secret: `path` relative to the mount, e.g. ("secret", "validators/batch1", {...}). */
  put(mount: string, path: string, data: Record<string, unknown>): void;
  /** Requests whose API path (after /v1/) starts with `prefix` get 403, as a policy would. */
  deny(prefix: string): void;
  setFault(fault: HashiVaultFault | null, match?: string): void;
  /** Awaited before each answer (after the token check): lets a test hold requests. */
  beforeResponse: ((request: RecordedVaultRequest) => Promise<void> | void) | undefined;
  clearRequests(): void;
  close(): Promise<void>;
}

interface Answer {
  status: number;
  body: string;
  /** Drop the connection instead. */
  refuse?: boolean;
}

const json = (status: number, value: unknown): Answer => ({ status, body: JSON.stringify(value) });
const errors = (status: number, messages: string[], extra: Record<string, unknown> = {}) =>
  json(status, { errors: messages, ...extra });
const envelope = (data: unknown, leaseDuration = 0) => ({
  request_id: randomUUID(),
  lease_id: "",
  renewable: false,
  lease_duration: leaseDuration,
  data,
  wrap_info: null,
  warnings: null,
  auth: null,
});

const trim = (path: string) => path.replace(/^\/+|\/+$/g, "");

export async function startHashiVault(options: StartHashiVaultOptions = {}): Promise<HashiVaultDouble> {
  const token = options.token ?? "test-vault-token";
  const mounts = (options.mounts ?? [{ path: "secret", version: 2 }]).map((mount) => ({
    ...mount,
    path: trim(mount.path),
    accessor: `kv_${randomUUID().slice(0, 8)}`,
    uuid: randomUUID(),
  }));
  /** mount path → (secret path → data). */
  const secrets = new Map<string, Map<string, Record<string, unknown>>>(
    mounts.map((mount) => [mount.path, new Map()]),
  );
  const denied: string[] = [];
  const requests: RecordedVaultRequest[] = [];
  const fault: { current: HashiVaultFault | null; match: string | undefined } = {
    current: null,
    match: undefined,
  };
  const stats = { inFlight: 0, maxInFlight: 0 };
  const sockets = new Set<Socket>();

  function mountOf(apiPath: string) {
    return mounts
      .filter((mount) => apiPath === mount.path || apiPath.startsWith(`${mount.path}/`))
      .sort((a, b) => b.path.length - a.path.length)[0];
  }

  function listKeys(store: Map<string, Record<string, unknown>>, prefix: string): string[] {
    const base = prefix === "" ? "" : `${prefix}/`;
    const keys = new Set<string>();
    for (const path of store.keys()) {
      if (!path.startsWith(base)) continue;
      const rest = path.slice(base.length);
      const slash = rest.indexOf("/");
      keys.add(slash === -1 ? rest : rest.slice(0, slash + 1));
    }
    return [...keys].sort();
  }

  function answer(method: string, target: URL, headers: IncomingHttpHeaders): Answer {
    if (!target.pathname.startsWith("/v1/")) return errors(404, []);
    const apiPath = trim(decodeURIComponent(target.pathname.slice("/v1/".length)));
    if (headers["x-vault-token"] !== token) return errors(403, ["permission denied"]);
    if (denied.some((prefix) => apiPath === prefix || apiPath.startsWith(`${prefix}/`))) {
      return errors(403, ["1 error occurred:\n\t* permission denied\n\n"]);
    }
    const namespaceOk = options.namespace === undefined || headers["x-vault-namespace"] === options.namespace;
    const list = method === "LIST" || (method === "GET" && target.searchParams.get("list") === "true");

    if (apiPath.startsWith("sys/internal/ui/mounts/")) {
      if (options.mountsEndpoint === false) return errors(404, []);
      const asked = apiPath.slice("sys/internal/ui/mounts/".length);
      const mount = namespaceOk ? mountOf(asked) : undefined;
      if (!mount || method !== "GET") {
        return errors(403, [
          `preflight capability check returned 403, please ensure client's policies grant access to path "${asked}/"`,
        ]);
      }
      return json(
        200,
        envelope({
          accessor: mount.accessor,
          config: { default_lease_ttl: 0, force_no_cache: false, max_lease_ttl: 0 },
          description: "key/value secret storage",
          external_entropy_access: false,
          local: false,
          options: mount.legacyOptions ? null : { version: String(mount.version) },
          path: `${mount.path}/`,
          seal_wrap: false,
          type: "kv",
          uuid: mount.uuid,
        }),
      );
    }

    const mount = namespaceOk ? mountOf(apiPath) : undefined;
    if (!mount) return errors(404, [`no handler for route "${apiPath}". route entry not found.`]);
    const store = secrets.get(mount.path) ?? new Map<string, Record<string, unknown>>();
    const rest = trim(apiPath.slice(mount.path.length));

    if (mount.version === 1) {
      if (list) {
        const keys = listKeys(store, rest);
        return keys.length === 0 ? errors(404, []) : json(200, envelope({ keys }));
      }
      if (method !== "GET") return errors(405, ["unsupported operation"]);
      const data = store.get(rest);
      return data ? json(200, envelope(data, 2_764_800)) : errors(404, []);
    }

    const [area, ...parts] = rest.split("/");
    const path = parts.join("/");
    if (area === "metadata" && list) {
      const keys = listKeys(store, path);
      return keys.length === 0 ? errors(404, []) : json(200, envelope({ keys }));
    }
    if (area === "data" && method === "GET" && !list) {
      const data = store.get(path);
      if (!data) return errors(404, []);
      return json(
        200,
        envelope({
          data,
          metadata: {
            created_time: "2026-01-01T00:00:00.000000000Z",
            custom_metadata: null,
            deletion_time: "",
            destroyed: false,
            version: 1,
          },
        }),
      );
    }
    if (area !== "data" && area !== "metadata") {
      return errors(404, [], {
        warnings: [
          "Invalid path for a versioned K/V secrets engine. See the API docs for the appropriate API endpoints to use. If using the Vault CLI, use 'vault kv get' for this operation.",
        ],
      });
    }
    return errors(405, ["unsupported operation"]);
  }

  async function respond(method: string, rawUrl: string, headers: IncomingHttpHeaders): Promise<Answer> {
    const recorded: RecordedVaultRequest = { method, url: rawUrl, headers };
    requests.push(recorded);
    const target = new URL(rawUrl, "http://vault.invalid");
    const active =
      fault.current !== null && (fault.match === undefined || target.pathname.includes(fault.match));
    if (active) {
      switch (fault.current) {
        case "refuse":
          return { status: 0, body: "", refuse: true };
        case "down":
          return errors(503, ["Vault is sealed"]);
        case "error":
          return errors(500, ["1 error occurred:\n\t* internal error\n\n"]);
        case "malformed":
          return { status: 200, body: '{"data": {"truncated' };
        case "no-data":
          return json(200, { request_id: randomUUID(), errors: ["secret backend returned nothing"] });
      }
    }
    const result = answer(method, target, headers);
    stats.inFlight++;
    stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
    try {
      await double.beforeResponse?.(recorded);
    } finally {
      stats.inFlight--;
    }
    return result;
  }

  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const send = (result: Answer) => {
      if (result.refuse) {
        request.socket.destroy();
        return;
      }
      response.writeHead(result.status, {
        "content-type": "application/json",
        "cache-control": "no-store",
      });
      response.end(result.body);
    };
    respond(request.method ?? "GET", request.url ?? "/", request.headers).then(send, (error: unknown) =>
      send(errors(500, [String(error)])),
    );
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  // `LIST` is not an HTTP method Node's parser knows: answer it from the raw packet.
  server.on("clientError", (error: Error & { code?: string; rawPacket?: Buffer }, socket: Socket) => {
    const raw = error.rawPacket?.toString("latin1") ?? "";
    if (error.code !== "HPE_INVALID_METHOD" || !raw.startsWith("LIST ")) {
      socket.destroy();
      return;
    }
    const [head = ""] = raw.split("\r\n\r\n");
    const [requestLine = "", ...headerLines] = head.split("\r\n");
    const headers: IncomingHttpHeaders = {};
    for (const line of headerLines) {
      const colon = line.indexOf(":");
      if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    const url = requestLine.split(" ")[1] ?? "/";
    void respond("LIST", url, headers).then((result) => {
      if (result.refuse) {
        socket.destroy();
        return;
      }
      socket.end(
        `HTTP/1.1 ${result.status} ${result.status === 200 ? "OK" : "Error"}\r\n` +
          `content-type: application/json\r\ncontent-length: ${Buffer.byteLength(result.body)}\r\n` +
          `connection: close\r\n\r\n${result.body}`,
      );
    });
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("Vault double has no TCP address");

  let closed: Promise<void> | undefined;
  const double: HashiVaultDouble = {
    url: `http://127.0.0.1:${address.port}`,
    token,
    requests,
    get maxInFlight() {
      return stats.maxInFlight;
    },
    put(mountPath, path, data) {
      const store = secrets.get(trim(mountPath));
      if (!store) throw new Error(`no mount ${mountPath} in the Vault double`);
      store.set(trim(path), data);
    },
    deny(prefix) {
      denied.push(trim(prefix));
    },
    setFault(next, match) {
      fault.current = next;
      fault.match = match;
    },
    beforeResponse: undefined,
    clearRequests() {
      requests.length = 0;
      stats.maxInFlight = stats.inFlight;
    },
    close() {
      closed ??= new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      });
      return closed;
    },
  };
  return double;
}
