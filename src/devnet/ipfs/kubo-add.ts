import type { FastifyInstance, FastifyReply } from "fastify";
import { rawCid } from "./cid.ts";
import { IpfsContentError } from "./errors.ts";
import { multipartBoundary, parseMultipart } from "./multipart.ts";
import type { IpfsStore } from "./store.ts";

/** Kubo's default chunker (size-262144) and its largest allowed chunk. */
const DEFAULT_CHUNK_BYTES = 262_144;
const MAX_CHUNK_BYTES = 1_048_576;

interface AddedFile {
  name: string | undefined;
  data: Uint8Array;
}

/**
 * `POST /api/v0/add` as Kubo's RPC answers it, for the one shape the double can reproduce exactly:
 * `cid-version=1` (raw leaves are then Kubo's default) and a file that fits in one chunk. Any
 * other request would make Kubo print a different CID (CIDv0, dag-pb root, identity, wrapped
 * directory), so it is refused with a 400 naming the option, rather than answered with a CID that
 * Kubo would never give.
 *
 * The body is multipart/form-data (what Kubo requires: one `{Name, Hash, Size}` line per file) or,
 * as a devnet convenience that real Kubo does not offer, the raw bytes of a single file.
 * `Size` is a decimal string, as Kubo writes it.
 */
export function registerKuboAdd(app: FastifyInstance, store: IpfsStore): void {
  void app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser("*", { parseAs: "buffer", bodyLimit: 8 * MAX_CHUNK_BYTES }, (_r, body, done) =>
      done(null, body),
    );
    scope.get("/api/v0/add", async (_request, reply) =>
      kuboError(reply, 405, "405 - Method Not Allowed: the RPC API takes POST"),
    );
    scope.post("/api/v0/add", async (request, reply) => {
      const query = request.query as Record<string, string | string[] | undefined>;
      let options: AddOptions;
      let files: AddedFile[];
      try {
        options = addOptions(query);
        files = filesOf(request.headers["content-type"], request.body);
      } catch (error) {
        if (error instanceof IpfsContentError) return kuboError(reply, 400, error.message);
        throw error;
      }
      const { chunkBytes, onlyHash } = options;
      const lines: string[] = [];
      for (const file of files) {
        if (file.data.length > chunkBytes) {
          return kuboError(
            reply,
            400,
            `file ${file.name ?? ""} has ${file.data.length} bytes, more than one ${chunkBytes}-byte chunk: Kubo would return a dag-pb root CID, which this double does not build`,
          );
        }
        const cid = onlyHash ? await rawCid(file.data) : await store.put(file.data);
        lines.push(
          `${JSON.stringify({ Name: file.name ?? cid, Hash: cid, Size: String(file.data.length) })}\n`,
        );
      }
      return reply
        .code(200)
        .header("content-type", "application/json")
        .header("x-chunked-output", "1")
        .send(lines.join(""));
    });
  });
}

interface AddOptions {
  chunkBytes: number;
  onlyHash: boolean;
}

function addOptions(query: Record<string, string | string[] | undefined>): AddOptions {
  const onlyHash = flag(query, "only-hash") === true || flag(query, "n") === true;
  return { chunkBytes: chunkBytesOf(query), onlyHash };
}

function chunkBytesOf(query: Record<string, string | string[] | undefined>): number {
  const cidVersion = single(query, "cid-version");
  if (cidVersion !== "1") {
    throw new IpfsContentError(
      `cid-version=${cidVersion ?? "(default 0)"} is not supported: pass cid-version=1 (Kubo would return a CIDv0 "Qm…" hash)`,
    );
  }
  if (flag(query, "raw-leaves") === false) {
    throw new IpfsContentError(
      "raw-leaves=false is not supported: Kubo would wrap the file in a dag-pb node",
    );
  }
  const hash = single(query, "hash");
  if (hash !== undefined && hash !== "sha2-256") {
    throw new IpfsContentError(`hash=${hash} is not supported: only sha2-256`);
  }
  for (const option of ["inline", "wrap-with-directory", "w"]) {
    if (flag(query, option) === true) throw new IpfsContentError(`${option}=true is not supported`);
  }
  const chunker = single(query, "chunker");
  if (chunker === undefined) return DEFAULT_CHUNK_BYTES;
  const size = /^size-(\d+)$/.exec(chunker)?.[1];
  const bytes = size === undefined ? Number.NaN : Number(size);
  if (!Number.isInteger(bytes) || bytes < 1 || bytes > MAX_CHUNK_BYTES) {
    throw new IpfsContentError(
      `chunker=${chunker} is not supported: use size-N with 1 <= N <= ${MAX_CHUNK_BYTES}`,
    );
  }
  return bytes;
}

function filesOf(contentType: string | undefined, body: unknown): AddedFile[] {
  const bytes = body instanceof Uint8Array ? body : new Uint8Array(0);
  const boundary = multipartBoundary(contentType);
  if (boundary === undefined) {
    if (contentType?.toLowerCase().startsWith("multipart/")) {
      throw new IpfsContentError(
        `unsupported content type ${contentType}: use multipart/form-data with a boundary`,
      );
    }
    if (body === undefined) throw new IpfsContentError("file argument 'path' is required");
    return [{ name: undefined, data: bytes }];
  }
  const parts = parseMultipart(bytes, boundary);
  if (parts.length === 0) throw new IpfsContentError("file argument 'path' is required");
  return parts.map((part) => {
    const type = part.contentType?.toLowerCase() ?? "";
    if (type.startsWith("multipart/") || type === "application/x-directory") {
      throw new IpfsContentError("directories are not supported: add files one by one");
    }
    return { name: part.fileName, data: part.data };
  });
}

function single(query: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const value = query[name];
  return Array.isArray(value) ? value[value.length - 1] : value;
}

/** Go's strconv.ParseBool, plus a bare `?flag` meaning true, as Kubo's RPC reads booleans. */
function flag(query: Record<string, string | string[] | undefined>, name: string): boolean | undefined {
  const value = single(query, name);
  if (value === undefined) return undefined;
  if (["", "1", "t", "T", "true", "TRUE", "True"].includes(value)) return true;
  if (["0", "f", "F", "false", "FALSE", "False"].includes(value)) return false;
  throw new IpfsContentError(`option ${name}=${value} is not a boolean`);
}

function kuboError(reply: FastifyReply, status: number, message: string): FastifyReply {
  return reply
    .code(status)
    .header("content-type", "application/json")
    .send({
      Message: message,
      Code: status >= 500 ? 0 : 1,
      Type: "error",
    });
}
