import { parseCid } from "../../chain/ipfs-client.ts";
import { inlineContent, rawBlockKey, rawCid } from "./cid.ts";
import { IpfsContentError } from "./errors.ts";

/**
 * Largest file the store accepts: above it Kubo would chunk even with `--chunker=size-1048576`,
 * and the root CID would be a dag-pb "bafybei…" instead of the raw leaf this store computes.
 */
export const MAX_RAW_BLOCK_BYTES = 1_048_576;

/** An in-memory, content-addressed block store: every entry is one raw block (a whole file). */
export interface IpfsStore {
  /**
   * Stores a file and returns its CIDv1 (raw, sha2-256, base32). A Uint8Array is stored as is;
   * anything else is stored as the UTF-8 bytes of JSON.stringify(value) (a string becomes a JSON
   * string literal: pass bytes to store text verbatim).
   */
  put(content: unknown): Promise<string>;
  /** The bytes of `cid` (any multibase; identity CIDs are decoded inline), or undefined. */
  get(cid: string): Uint8Array | undefined;
  has(cid: string): boolean;
  /** Number of stored blocks. */
  readonly size: number;
}

export interface CreateIpfsStoreOptions {
  /** Blocks to start with (e.g. read back from disk), by their CID. */
  blocks?: Iterable<readonly [string, Uint8Array]>;
  /** Called with every new block before put returns: a store that survives a restart writes it. */
  persist?: (cid: string, bytes: Uint8Array) => Promise<void>;
}

export function createIpfsStore(options: CreateIpfsStoreOptions = {}): IpfsStore {
  const blocks = new Map<string, Uint8Array>(options.blocks ?? []);

  function lookup(text: string): Uint8Array | undefined {
    const cid = parseCid(text);
    if (!cid) return undefined;
    const inline = inlineContent(cid);
    if (inline) return inline;
    const key = rawBlockKey(cid);
    return key === undefined ? undefined : blocks.get(key);
  }

  return {
    async put(content) {
      const bytes = content instanceof Uint8Array ? content.slice() : encodeJson(content);
      if (bytes.length > MAX_RAW_BLOCK_BYTES) {
        throw new IpfsContentError("file is too large for a single raw block", {
          details: `${bytes.length} bytes > ${MAX_RAW_BLOCK_BYTES}; Kubo would return a dag-pb CID`,
        });
      }
      const cid = await rawCid(bytes);
      if (options.persist && !blocks.has(cid)) await options.persist(cid, bytes);
      blocks.set(cid, bytes);
      return cid;
    },
    get(cid) {
      return lookup(cid)?.slice();
    },
    has(cid) {
      return lookup(cid) !== undefined;
    },
    get size() {
      return blocks.size;
    },
  };
}

function encodeJson(value: unknown): Uint8Array {
  const text = JSON.stringify(value);
  if (text === undefined) {
    throw new IpfsContentError("content is neither bytes nor JSON-serialisable", {
      details: `got ${typeof value}`,
    });
  }
  return new TextEncoder().encode(text);
}
