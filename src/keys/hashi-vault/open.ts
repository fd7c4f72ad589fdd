import { type Logger, silentLogger } from "../../lib/logger.ts";
import type { ExitSigner } from "../sources/exit-signer.ts";
import { SecretKeySigner } from "../sources/secret-key-signer.ts";
import { HashiVaultClient } from "./client.ts";
import { resolveKvEngine } from "./kv-engine.ts";
import { loadHashiVaultKeys } from "./load-keys.ts";
import { type HashiVaultOptions, resolveHashiVaultOptions } from "./options.ts";

export interface OpenHashiVaultSignerDeps {
  /** Default global fetch. */
  fetch?: typeof globalThis.fetch;
  logger?: Logger;
  /** Shutdown: aborts the requests still running. */
  signal?: AbortSignal;
}

/**
 * Loads the validator keys from HashiCorp Vault (spec §7.4) into memory and returns a signer over
 * them: from then on it works like local keystores. Fails with one line naming the Vault path
 * and the fix when Vault is unreachable, refuses the token, lacks a path, or holds a bad or
 * duplicate key. The token goes only into the `X-Vault-Token` header.
 */
export async function openHashiVaultSigner(
  options: HashiVaultOptions,
  deps: OpenHashiVaultSignerDeps = {},
): Promise<ExitSigner> {
  const resolved = resolveHashiVaultOptions(options);
  const logger = (deps.logger ?? silentLogger()).child({ module: "hashi-vault" });
  const client = new HashiVaultClient(
    {
      url: resolved.url,
      token: resolved.token,
      namespace: resolved.namespace,
      timeoutMs: resolved.timeoutMs,
    },
    {
      logger,
      ...(deps.fetch ? { fetch: deps.fetch } : {}),
      ...(deps.signal ? { signal: deps.signal } : {}),
    },
  );
  const engine = await resolveKvEngine(client, resolved.engineName, resolved.engineVersion, logger);
  const store = await loadHashiVaultKeys(client, engine, resolved, logger);
  logger.info("loaded validator keys from HashiCorp Vault", {
    url: client.displayUrl,
    keys: store.size,
    engine: resolved.engineName,
    kvVersion: engine.version,
    keyPaths: resolved.keyPaths.length,
    keyPrefixes: resolved.keyPrefixes.length,
  });
  return new SecretKeySigner(store, hashiVaultDescription(client.displayUrl, store.size));
}

/** "HashiCorp Vault at https://vault:8200 (10 keys)": for the startup line; no token, no path. */
export function hashiVaultDescription(displayUrl: string, keys: number): string {
  return `HashiCorp Vault at ${displayUrl} (${keys} ${keys === 1 ? "key" : "keys"})`;
}
