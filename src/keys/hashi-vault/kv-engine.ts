import { z } from "zod";
import { UserInputError } from "../../lib/errors.ts";
import type { Logger } from "../../lib/logger.ts";
import type { HashiVaultClient } from "./client.ts";
import { HashiVaultNotFoundError, HashiVaultRequestError } from "./errors.ts";
import { type HashiVaultEngineVersion, trimVaultPath } from "./options.ts";

/**
 * Where a KV engine keeps secrets, as API paths. KV v2 reads `{mount}/data/{path}` (the secret is
 * `data.data`) and lists `{mount}/metadata/{prefix}`; KV v1 reads and lists `{mount}/{path}` (the
 * secret is `data`). `base` is the part of `--hashi-vault-engine-name` below the real mount
 * ("kv/validators" on mount "kv"), joined before every path as Vault's CLI does.
 */
export interface KvEngine {
  mount: string;
  base: string;
  version: 1 | 2;
}

function join(...parts: string[]): string {
  return parts.filter((part) => part !== "").join("/");
}

export function kvReadPath(engine: KvEngine, path: string): string {
  return engine.version === 2
    ? join(engine.mount, "data", engine.base, path)
    : join(engine.mount, engine.base, path);
}

export function kvListPath(engine: KvEngine, prefix: string): string {
  return engine.version === 2
    ? join(engine.mount, "metadata", engine.base, prefix)
    : join(engine.mount, engine.base, prefix);
}

/** The secret's key/value map inside a read's `data`: `data.data` on KV v2, `data` itself on v1. */
export function kvSecretData(engine: KvEngine, data: Record<string, unknown>): unknown {
  return engine.version === 2 ? data.data : data;
}

const mountSchema = z.looseObject({
  path: z.string().optional(),
  type: z.string().optional(),
  options: z.looseObject({ version: z.string().nullish() }).nullish(),
});

/**
 * The KV engine at `engineName`. With a fixed version it trusts the flag; with "auto" it asks
 * `GET sys/internal/ui/mounts/{engineName}` like Vault's CLI: `options.version` "2" is KV v2,
 * anything else (absent, null, "", "1") KV v1, and a 404 (Vault before 0.10) KV v1.
 */
export async function resolveKvEngine(
  client: HashiVaultClient,
  engineName: string,
  version: HashiVaultEngineVersion,
  logger: Logger,
): Promise<KvEngine> {
  if (version !== "auto") return { mount: engineName, base: "", version };
  let data: Record<string, unknown>;
  try {
    data = await client.read(`sys/internal/ui/mounts/${engineName}`, {
      subject: `KV engine "${engineName}"`,
      notFoundHint: "",
      capability: "read",
      forbiddenHint: `check --hashi-vault-token, --hashi-vault-engine-name, and that the token's policy grants access under ${engineName}/ (or pass --hashi-vault-engine-version 1 or 2 to skip this check)`,
    });
  } catch (error) {
    if (!(error instanceof HashiVaultNotFoundError)) throw error;
    logger.debug("Vault has no mounts endpoint; assuming KV v1", { engine: engineName });
    return { mount: engineName, base: "", version: 1 };
  }
  const mount = mountSchema.safeParse(data);
  if (!mount.success) {
    throw new HashiVaultRequestError(
      `HashiCorp Vault at ${client.displayUrl} described KV engine "${engineName}" in an unexpected form: pass --hashi-vault-engine-version 1 or 2`,
    );
  }
  const type = mount.data.type;
  if (type !== undefined && type !== "kv" && type !== "generic") {
    throw new UserInputError(
      `--hashi-vault-engine-name "${engineName}" is a "${type}" secrets engine, not KV: pass the mount path of the KV engine that holds the keys`,
    );
  }
  const detected = mount.data.options?.version === "2" ? 2 : 1;
  const mountPath = trimVaultPath(mount.data.path ?? "");
  const nested = mountPath !== "" && engineName.startsWith(`${mountPath}/`);
  const engine: KvEngine = nested
    ? { mount: mountPath, base: engineName.slice(mountPath.length + 1), version: detected }
    : { mount: engineName, base: "", version: detected };
  logger.debug("detected the Vault KV engine", { ...engine });
  return engine;
}
