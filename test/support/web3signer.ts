/**
 * An in-process Web3Signer for tests (loopback, port 0), faithful to the parts the operator uses:
 *
 * - Keymanager API `GET|POST|DELETE /eth/v1/keystores`: POST decrypts every keystore with its
 *   password as the real signer does (with @chainsafe/bls-keystore, not the operator's code) and answers one `{status: imported|duplicate|error, message}`
 *   per keystore; DELETE answers one `{status: deleted|not_found, message}` per key plus the
 *   `slashing_protection` interchange text.
 * - Signing API `POST /api/v1/eth2/sign/{pubkey}`: checks the request (type VOLUNTARY_EXIT with
 *   its fork_info and voluntary_exit fields, or type DEPOSIT with its deposit fields pubkey,
 *   withdrawal_credentials, amount and genesis_fork_version; uint64 as decimal strings;
 *   `signing_root` equal to the root recomputed from them with this file's own SSZ, not the
 *   operator's), 404 for an unknown
 *   key; answers `{"signature"}` when JSON is accepted, the bare hex in text/plain otherwise (or
 *   always, with `legacyText`). It holds keys or key shares alike: it signs with what it holds.
 * - `GET /api/v1/eth2/publicKeys`, `GET /upcheck` ("OK").
 *
 * Knobs for fault tests (`setFault`) and a record of every request.
 */
import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { decrypt as decryptKeystore, isValidKeystore as isKeystore } from "@chainsafe/bls-keystore";
import { SecretKey } from "@chainsafe/blst";
import { parseHex, toPrefixedHex } from "../../src/lib/hex.ts";

export type Hex = `0x${string}`;

/**
 * `down`: every connection is dropped without an answer; `error`: every request answers 500;
 * `no-keymanager`: /eth/v1/keystores answers 404 (signer started without
 * --enable-key-manager-api); `lose-imports`: POST says "imported" but keeps nothing;
 * `wrong-signature`: signs with another key.
 */
export type Web3SignerFault = "down" | "error" | "no-keymanager" | "lose-imports" | "wrong-signature";

export interface RecordedRequest {
  method: string;
  path: string;
  /** Parsed JSON body, or undefined. */
  body: unknown;
}

export interface Web3SignerDouble {
  /** "http://127.0.0.1:<port>", no trailing slash. */
  url: string;
  readonly requests: RecordedRequest[];
  /** Public keys held, 0x + lower case, in import order. */
  keys(): Hex[];
  /** Adds a key directly (as if imported earlier); returns its public key. */
  addKey(secretKey: Uint8Array): Hex;
  setFault(fault: Web3SignerFault | null): void;
  close(): Promise<void>;
}

export interface StartWeb3SignerOptions {
  /** Always answer signatures in text/plain, like Web3Signer before JSON responses. */
  legacyText?: boolean;
}

class ApiError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

const DECIMAL = /^\d+$/;
const OTHER_KEY = SecretKey.fromKeygen(new Uint8Array(32).fill(7));

export async function startWeb3Signer(options: StartWeb3SignerOptions = {}): Promise<Web3SignerDouble> {
  const keys = new Map<Hex, SecretKey>();
  const requests: RecordedRequest[] = [];
  let fault: Web3SignerFault | null = null;

  const handle = async (req: IncomingMessage, res: ServerResponse, text: string) => {
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    const method = req.method ?? "GET";
    let body: unknown;
    if (text !== "") {
      try {
        body = JSON.parse(text);
      } catch {
        throw new ApiError(400, "Invalid JSON body");
      }
    }
    requests.push({ method, path, body });
    if (fault === "error") throw new ApiError(500, "Internal Server Error (injected fault)");

    if (path === "/upcheck" && method === "GET") return sendText(res, 200, "OK");
    if (path === "/api/v1/eth2/publicKeys" && method === "GET") return sendJson(res, 200, [...keys.keys()]);
    const sign = /^\/api\/v1\/eth2\/sign\/(0x[0-9a-fA-F]{96})$/.exec(path);
    if (sign && method === "POST") {
      const key = keys.get((sign[1] ?? "").toLowerCase() as Hex);
      if (!key) throw new ApiError(404, "Public Key not found");
      const root = checkedSigningRoot(body);
      const signer = fault === "wrong-signature" ? OTHER_KEY : key;
      const signature = toPrefixedHex(signer.sign(root).toBytes(true));
      const wantsJson = (req.headers.accept ?? "").includes("application/json");
      if (wantsJson && !options.legacyText) return sendJson(res, 200, { signature });
      return sendText(res, 200, signature);
    }
    if (path === "/eth/v1/keystores") {
      if (fault === "no-keymanager") throw new ApiError(404, "Not Found");
      if (method === "GET") {
        return sendJson(res, 200, {
          data: [...keys.keys()].map((pubkey) => ({
            validating_pubkey: pubkey,
            derivation_path: "",
            readonly: false,
          })),
        });
      }
      if (method === "POST") return sendJson(res, 200, { data: await importKeystores(body) });
      if (method === "DELETE") return sendJson(res, 200, deleteKeys(body));
    }
    throw new ApiError(404, "Not Found");
  };

  const importKeystores = async (body: unknown) => {
    const { keystores, passwords } = (body ?? {}) as { keystores?: unknown; passwords?: unknown };
    if (!Array.isArray(keystores) || !Array.isArray(passwords) || keystores.length !== passwords.length) {
      throw new ApiError(400, "keystores and passwords must be lists of the same length");
    }
    const statuses: Array<{ status: string; message: string }> = [];
    for (const [i, text] of keystores.entries()) {
      let keystore: unknown;
      try {
        keystore = typeof text === "string" ? JSON.parse(text) : undefined;
      } catch {
        keystore = undefined;
      }
      if (!isKeystore(keystore)) {
        statuses.push({ status: "error", message: "Invalid keystore" });
        continue;
      }
      let secret: Uint8Array;
      try {
        secret = await decryptKeystore(keystore, String(passwords[i]));
      } catch {
        statuses.push({ status: "error", message: "Invalid keystore password" });
        continue;
      }
      const secretKey = SecretKey.fromBytes(secret);
      const pubkey = toPrefixedHex(secretKey.toPublicKey().toBytes(true));
      if (pubkey !== `0x${keystore.pubkey.replace(/^0x/, "").toLowerCase()}`) {
        statuses.push({ status: "error", message: "Keystore pubkey does not match its secret" });
        continue;
      }
      if (keys.has(pubkey)) {
        statuses.push({ status: "duplicate", message: "" });
        continue;
      }
      if (fault !== "lose-imports") keys.set(pubkey, secretKey);
      statuses.push({ status: "imported", message: "" });
    }
    return statuses;
  };

  const deleteKeys = (body: unknown) => {
    const { pubkeys } = (body ?? {}) as { pubkeys?: unknown };
    if (!Array.isArray(pubkeys)) throw new ApiError(400, "pubkeys must be a list");
    const data = pubkeys.map((raw) => {
      const pubkey = String(raw).toLowerCase() as Hex;
      if (!keys.delete(pubkey)) return { status: "not_found", message: "" };
      return { status: "deleted", message: "" };
    });
    const interchange = {
      metadata: { interchange_format_version: "5", genesis_validators_root: `0x${"00".repeat(32)}` },
      data: [],
    };
    return { data, slashing_protection: JSON.stringify(interchange) };
  };

  const server = createServer((req, res) => {
    if (fault === "down") {
      req.socket.destroy();
      return;
    }
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      handle(req, res, Buffer.concat(chunks).toString("utf8")).catch((error: unknown) => {
        if (error instanceof ApiError)
          sendJson(res, error.status, { code: error.status, message: error.message });
        else sendJson(res, 500, { code: 500, message: String(error) });
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    keys: () => [...keys.keys()],
    addKey(secret) {
      const secretKey = SecretKey.fromBytes(secret);
      const pubkey = toPrefixedHex(secretKey.toPublicKey().toBytes(true));
      keys.set(pubkey, secretKey);
      return pubkey;
    },
    setFault(next) {
      fault = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** What Web3Signer checks on a sign request; the root it signs. */
function checkedSigningRoot(body: unknown): Uint8Array {
  const request = (body ?? {}) as Record<string, unknown>;
  let root: Uint8Array;
  if (request.type === "VOLUNTARY_EXIT") root = voluntaryExitRoot(request);
  else if (request.type === "DEPOSIT") root = depositRoot(request);
  else throw new ApiError(400, `unsupported type ${String(request.type)}`);
  if (request.signing_root !== undefined) {
    const given = parseHex(String(request.signing_root), 32);
    if (!given || toPrefixedHex(given) !== toPrefixedHex(root)) {
      throw new ApiError(400, "Signing root does not match the signing data");
    }
  }
  return root;
}

/** A string field matching `pattern`, or a 400 naming it. */
function field(value: unknown, name: string, pattern: RegExp): string {
  if (typeof value !== "string" || !pattern.test(value))
    throw new ApiError(400, `invalid or missing ${name}`);
  return value;
}

const VERSION = /^0x[0-9a-fA-F]{8}$/;
const BYTES32 = /^0x[0-9a-fA-F]{64}$/;
const UINT64_MAX = 2n ** 64n - 1n;

/** A uint64 as Web3Signer takes it: a decimal string within range. */
function uint64(value: unknown, name: string): bigint {
  const number = BigInt(field(value, name, DECIMAL));
  if (number > UINT64_MAX) throw new ApiError(400, `invalid ${name}: not a uint64`);
  return number;
}

/**
 * A DEPOSIT request: no fork_info, the signer takes the genesis fork version from the body and
 * computes the root over the deposit message it describes.
 */
function depositRoot(request: Record<string, unknown>): Uint8Array {
  const deposit = request.deposit as Record<string, unknown> | undefined;
  const pubkey = field(deposit?.pubkey, "deposit.pubkey", /^0x[0-9a-fA-F]{96}$/);
  const credentials = field(deposit?.withdrawal_credentials, "deposit.withdrawal_credentials", BYTES32);
  const amount = uint64(deposit?.amount, "deposit.amount");
  const version = field(deposit?.genesis_fork_version, "deposit.genesis_fork_version", VERSION);
  return depositSigningRootOf({
    pubkey: pubkey as Hex,
    withdrawalCredentials: credentials as Hex,
    amountGwei: amount,
    genesisForkVersion: version as Hex,
  });
}

/** A VOLUNTARY_EXIT request: the fork that applies at the exit's epoch gives the domain. */
function voluntaryExitRoot(request: Record<string, unknown>): Uint8Array {
  const forkInfo = request.fork_info as Record<string, unknown> | undefined;
  const fork = forkInfo?.fork as Record<string, unknown> | undefined;
  const exit = request.voluntary_exit as Record<string, unknown> | undefined;
  const previous = field(fork?.previous_version, "fork_info.fork.previous_version", VERSION);
  const current = field(fork?.current_version, "fork_info.fork.current_version", VERSION);
  const forkEpoch = uint64(fork?.epoch, "fork_info.fork.epoch");
  const gvr = field(forkInfo?.genesis_validators_root, "fork_info.genesis_validators_root", BYTES32);
  const epoch = uint64(exit?.epoch, "voluntary_exit.epoch");
  const index = uint64(exit?.validator_index, "voluntary_exit.validator_index");
  return voluntaryExitSigningRoot({
    forkVersion: (epoch >= forkEpoch ? current : previous) as Hex,
    genesisValidatorsRoot: gvr as Hex,
    epoch,
    validatorIndex: index,
  });
}

const sha256 = (...parts: Uint8Array[]) => {
  const hash = createHash("sha256");
  for (const part of parts) hash.update(part);
  return new Uint8Array(hash.digest());
};

/** A 32-byte SSZ chunk: `bytes` followed by zeros. */
function chunk(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(32);
  out.set(bytes);
  return out;
}

function uint64Chunk(value: bigint): Uint8Array {
  const out = new Uint8Array(32);
  new DataView(out.buffer).setBigUint64(0, value, true);
  return out;
}

/**
 * The signing root of a voluntary exit, written here from the consensus specs (phase0
 * `compute_signing_root`, `compute_domain`), independent of the operator's code:
 * hash_tree_root(SigningData{hash_tree_root(VoluntaryExit), DOMAIN_VOLUNTARY_EXIT ‖
 * hash_tree_root(ForkData{fork_version, genesis_validators_root})[:28]}).
 */
export function voluntaryExitSigningRoot(exit: {
  forkVersion: Hex;
  genesisValidatorsRoot: Hex;
  epoch: bigint;
  validatorIndex: bigint;
}): Uint8Array {
  const bytes = (hex: Hex) => Uint8Array.from(Buffer.from(hex.slice(2), "hex"));
  const objectRoot = sha256(uint64Chunk(exit.epoch), uint64Chunk(exit.validatorIndex));
  const forkDataRoot = sha256(chunk(bytes(exit.forkVersion)), bytes(exit.genesisValidatorsRoot));
  const domain = new Uint8Array(32);
  domain.set([4, 0, 0, 0]);
  domain.set(forkDataRoot.subarray(0, 28), 4);
  return sha256(objectRoot, domain);
}

/**
 * The signing root of a deposit message, written here from the consensus specs (phase0
 * `DepositMessage`, `compute_domain(DOMAIN_DEPOSIT, fork_version)` with a zero genesis validators
 * root), independent of the operator's code: hash_tree_root(SigningData{
 * hash_tree_root(DepositMessage{pubkey, withdrawal_credentials, amount}), DOMAIN_DEPOSIT ‖
 * hash_tree_root(ForkData{genesis_fork_version, 0x00…00})[:28]}).
 */
export function depositSigningRootOf(deposit: {
  pubkey: Hex;
  withdrawalCredentials: Hex;
  amountGwei: bigint;
  genesisForkVersion: Hex;
}): Uint8Array {
  const bytes = (hex: Hex) => Uint8Array.from(Buffer.from(hex.slice(2), "hex"));
  const pubkey = bytes(deposit.pubkey);
  // Bytes48 is two chunks; a container of three fields is a tree of four leaves, the last zero.
  const pubkeyRoot = sha256(chunk(pubkey.subarray(0, 32)), chunk(pubkey.subarray(32)));
  const messageRoot = sha256(
    sha256(pubkeyRoot, bytes(deposit.withdrawalCredentials)),
    sha256(uint64Chunk(deposit.amountGwei), new Uint8Array(32)),
  );
  const forkDataRoot = sha256(chunk(bytes(deposit.genesisForkVersion)), new Uint8Array(32));
  const domain = new Uint8Array(32);
  domain.set([3, 0, 0, 0]);
  domain.set(forkDataRoot.subarray(0, 28), 4);
  return sha256(messageRoot, domain);
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(value));
}

function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { "content-type": "text/plain; charset=utf-8" });
  res.end(text);
}
