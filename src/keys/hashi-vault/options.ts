import { UserInputError } from "../../lib/errors.ts";

/** KV secrets engine version: 1, 2, or "auto" to ask Vault (`sys/internal/ui/mounts`, as its CLI does). */
export type HashiVaultEngineVersion = 1 | 2 | "auto";

/** Where the validator keys live in HashiCorp Vault (spec §7.4), as the CLI flags give it. */
export interface HashiVaultOptions {
  /** Vault's address, e.g. "https://vault:8200" (a path prefix is kept: "https://proxy/vault"). */
  url: string;
  /** Sent only as the `X-Vault-Token` header; never logged. */
  token: string;
  /** Bundled secrets: each one a map `{pubkeyHex: privkeyHex}`. */
  keyPaths: readonly string[];
  /** Prefixed secrets: one secret per public key under each prefix, holding one value (the private key). */
  keyPrefixes: readonly string[];
  /** Mount path of the KV engine; default "secret". */
  engineName?: string;
  /** Default "auto". */
  engineVersion?: HashiVaultEngineVersion;
  /** Vault Enterprise namespace, sent as `X-Vault-Namespace`. */
  namespace?: string;
  /** Secrets read at once; default 8. */
  parallelism?: number;
  /** Per request; default 10 s (HASHI_VAULT_TIMEOUT). */
  timeoutMs?: number;
}

export const DEFAULT_HASHI_VAULT_ENGINE_NAME = "secret";
export const DEFAULT_HASHI_VAULT_PARALLELISM = 8;
export const HASHI_VAULT_TIMEOUT_MS = 10_000;

/** Visible ASCII only: anything else cannot go in an HTTP header (and the error would echo it). */
const HEADER_SAFE = /^[\x21-\x7e]+$/;

/** Strips the slashes around a Vault path: " /validators/keys/ " → "validators/keys". */
export function trimVaultPath(path: string): string {
  return path.trim().replace(/^\/+|\/+$/g, "");
}

/** The trimmed, non-empty paths in their first-seen order, each once. */
function uniqueVaultPaths(paths: readonly string[]): string[] {
  return [...new Set(paths.map(trimVaultPath).filter((path) => path !== ""))];
}

/**
 * Checks what the flags cannot (a usable URL, a header-safe token, at least one source) and
 * fills the defaults. Messages name the flag and never hold the token.
 */
export function resolveHashiVaultOptions(options: HashiVaultOptions): Required<
  Omit<HashiVaultOptions, "namespace">
> & {
  namespace: string | undefined;
} {
  let url: URL;
  try {
    url = new URL(options.url.trim());
  } catch {
    throw new UserInputError(
      "--hashi-vault-url is not a URL: pass Vault's address, e.g. --hashi-vault-url https://vault:8200",
    );
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new UserInputError(
      "--hashi-vault-url must be an http:// or https:// URL, e.g. --hashi-vault-url https://vault:8200",
    );
  }
  const token = options.token.trim();
  if (token === "") throw new UserInputError("--hashi-vault-token is empty: pass a Vault token");
  if (!HEADER_SAFE.test(token)) {
    throw new UserInputError(
      "--hashi-vault-token contains spaces or control characters: pass the token alone (HASHI_VAULT_TOKEN)",
    );
  }
  const namespace = options.namespace?.trim() || undefined;
  if (namespace !== undefined && !HEADER_SAFE.test(namespace)) {
    throw new UserInputError("--hashi-vault-namespace contains spaces or control characters");
  }
  // A path given twice (the flag repeated, or "a/b" and "/a/b/") is read once.
  const keyPaths = uniqueVaultPaths(options.keyPaths);
  const keyPrefixes = uniqueVaultPaths(options.keyPrefixes);
  if (keyPaths.length === 0 && keyPrefixes.length === 0) {
    throw new UserInputError(
      "missing --hashi-vault-key-path: pass --hashi-vault-key-path or --hashi-vault-key-prefix (or set HASHI_VAULT_KEY_PATH / HASHI_VAULT_KEY_PREFIX)",
    );
  }
  const engineName = trimVaultPath(options.engineName ?? DEFAULT_HASHI_VAULT_ENGINE_NAME);
  if (engineName === "") {
    throw new UserInputError(
      "--hashi-vault-engine-name is empty: pass the KV engine's mount path, e.g. secret",
    );
  }
  const parallelism = options.parallelism ?? DEFAULT_HASHI_VAULT_PARALLELISM;
  if (!Number.isSafeInteger(parallelism) || parallelism < 1) {
    throw new UserInputError("--hashi-vault-parallelism must be a positive integer, e.g. 8");
  }
  const engineVersion = options.engineVersion ?? "auto";
  if (engineVersion !== 1 && engineVersion !== 2 && engineVersion !== "auto") {
    throw new UserInputError("--hashi-vault-engine-version must be 1, 2 or auto");
  }
  url.search = "";
  url.hash = "";
  return {
    url: url.href.replace(/\/+$/, ""),
    token,
    keyPaths,
    keyPrefixes,
    engineName,
    engineVersion,
    namespace,
    parallelism,
    timeoutMs: options.timeoutMs ?? HASHI_VAULT_TIMEOUT_MS,
  };
}

export type ResolvedHashiVaultOptions = ReturnType<typeof resolveHashiVaultOptions>;
