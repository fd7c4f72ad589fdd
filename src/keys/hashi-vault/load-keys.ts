import type { Logger } from "../../lib/logger.ts";
import type { HashiVaultClient, VaultRequestAbout } from "./client.ts";
import { HashiVaultKeyError } from "./errors.ts";
import { MemoryKeyStore } from "./key-store.ts";
import { type KvEngine, kvListPath, kvReadPath, kvSecretData } from "./kv-engine.ts";
import { mapLimit } from "./map-limit.ts";
import { isEmptyKeyValue, parseVaultKeyPair, type VaultKeyPair } from "./secret-key.ts";

export interface LoadHashiVaultKeysOptions {
  keyPaths: readonly string[];
  keyPrefixes: readonly string[];
  parallelism: number;
}

/** One secret to read: a bundle `{pubkey: privkey, …}` or one key under a prefix. */
type SecretJob =
  | { kind: "bundle"; path: string }
  | { kind: "single"; path: string; prefix: string; publicKeyText: string };

/**
 * Reads every key the options name (spec §7.4): the bundled secrets at the key paths, and one
 * secret per public key listed under each prefix, `parallelism` requests at a time. Each key is
 * checked (format, BLS validity, public key match) as it arrives; the keys enter the store in
 * option order afterwards, so a duplicate is reported the same way on every run.
 */
export async function loadHashiVaultKeys(
  client: HashiVaultClient,
  engine: KvEngine,
  options: LoadHashiVaultKeysOptions,
  logger: Logger,
): Promise<MemoryKeyStore> {
  const listed = await mapLimit(options.keyPrefixes, options.parallelism, async (prefix) => {
    const names = await client.list(kvListPath(engine, prefix), {
      subject: `key prefix "${prefix}"`,
      notFoundHint:
        "check --hashi-vault-key-prefix and --hashi-vault-engine-name (Vault lists nothing under a prefix without secrets)",
      capability: "list",
    });
    const folders = names.filter((name) => name.endsWith("/"));
    if (folders.length > 0) {
      logger.warn("skipping folders under a Vault key prefix", { prefix, folders: folders.length });
    }
    return names
      .filter((name) => !name.endsWith("/"))
      .map((name): SecretJob => ({ kind: "single", path: `${prefix}/${name}`, prefix, publicKeyText: name }));
  });
  const jobs: SecretJob[] = [
    ...options.keyPaths.map((path): SecretJob => ({ kind: "bundle", path })),
    ...listed.flat(),
  ];

  const loaded = await mapLimit(jobs, options.parallelism, async (job) => {
    const apiPath = kvReadPath(engine, job.path);
    const about: VaultRequestAbout =
      job.kind === "bundle"
        ? {
            subject: `key path "${job.path}"`,
            notFoundHint: "check --hashi-vault-key-path and --hashi-vault-engine-name",
            capability: "read",
          }
        : {
            subject: `secret "${job.path}"`,
            notFoundHint: `it was listed under --hashi-vault-key-prefix "${job.prefix}" but cannot be read: check the engine and retry`,
            capability: "read",
          };
    const data = await client.read(apiPath, about);
    const where = `Vault secret ${apiPath}`;
    return { where, pairs: parseSecret(job, kvSecretData(engine, data), where, logger) };
  });

  const store = new MemoryKeyStore();
  for (const { where, pairs } of loaded) {
    for (const pair of pairs) store.add(pair.publicKey, pair.secretKey, where);
  }
  return store;
}

function parseSecret(job: SecretJob, secret: unknown, where: string, logger: Logger): VaultKeyPair[] {
  if (typeof secret !== "object" || secret === null || Array.isArray(secret)) {
    throw new HashiVaultKeyError(
      `${where} does not hold a key/value map: store validator keys as {"<public key hex>": "<private key hex>"}`,
    );
  }
  const entries = Object.entries(secret);
  if (job.kind === "bundle") {
    const pairs = entries
      .filter(([, value]) => !isEmptyKeyValue(value))
      .map(([publicKey, privateKey]) => parseVaultKeyPair(publicKey, privateKey, where));
    if (pairs.length === 0) logger.warn("Vault secret holds no validator keys", { path: where });
    return pairs;
  }
  if (entries.length !== 1) {
    throw new HashiVaultKeyError(
      `${where} holds ${entries.length} values: a secret under --hashi-vault-key-prefix holds exactly one, the private key of public key ${job.publicKeyText}`,
    );
  }
  const [, privateKey] = entries[0] as [string, unknown];
  if (isEmptyKeyValue(privateKey)) {
    logger.warn("Vault secret holds an empty private key; skipped", { path: where });
    return [];
  }
  return [parseVaultKeyPair(job.publicKeyText, privateKey, where)];
}
