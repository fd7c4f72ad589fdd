import { type Command, Option } from "commander";
import {
  DEFAULT_HASHI_VAULT_ENGINE_NAME,
  DEFAULT_HASHI_VAULT_PARALLELISM,
  type HashiVaultEngineVersion,
  type HashiVaultOptions,
  resolveHashiVaultOptions,
} from "../keys/hashi-vault/options.ts";
import { UserInputError } from "../lib/errors.ts";
import { httpUrl, oneOf, wholeNumber } from "../lib/values.ts";
import { valueOption } from "./options.ts";

/** The Hashi Vault flags as commander hands them over (`command.opts()`). */
export interface HashiVaultCliOptions {
  hashiVaultUrl?: string;
  hashiVaultToken?: string;
  hashiVaultKeyPath?: string[];
  hashiVaultKeyPrefix?: string[];
  hashiVaultEngineName?: string;
  hashiVaultEngineVersion?: (typeof ENGINE_VERSIONS)[number];
  hashiVaultNamespace?: string;
  hashiVaultParallelism?: number;
}

const ENGINE_VERSIONS = ["auto", "1", "2"] as const;

/** Repeatable flags: each occurrence adds one path. */
const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

/** An env var may list several paths, separated by commas or whitespace. */
export function splitPathList(value: string): string[] {
  return value.split(/[\s,]+/).filter((item) => item !== "");
}

const LIST_OPTIONS = [
  { key: "hashiVaultKeyPath", envVar: "HASHI_VAULT_KEY_PATH" },
  { key: "hashiVaultKeyPrefix", envVar: "HASHI_VAULT_KEY_PREFIX" },
] as const;

/**
 * Adds the Hashi Vault flags (spec §1.1, §7.4), each with its env var, to `start` or
 * `validators-exit`. A preAction hook splits list env vars and checks the combination, so a
 * URL without a token or without any key path fails as a usage error (exit 2) before the action.
 */
export function addHashiVaultOptions(command: Command): Command {
  return command
    .addOption(
      valueOption(
        "--hashi-vault-url <url>",
        "HashiCorp Vault address, e.g. https://vault:8200.",
        httpUrl("https://vault:8200"),
      ).env("HASHI_VAULT_URL"),
    )
    .addOption(
      new Option(
        "--hashi-vault-token <token>",
        "Token for HashiCorp Vault. Prefer HASHI_VAULT_TOKEN: flags are visible to other local users.",
      ).env("HASHI_VAULT_TOKEN"),
    )
    .addOption(
      new Option(
        "--hashi-vault-key-path <path>",
        'Secret in the KV engine holding {"<public key>": "<private key>", …}; repeat for several (env: comma-separated).',
      )
        .env("HASHI_VAULT_KEY_PATH")
        .argParser(collect),
    )
    .addOption(
      new Option(
        "--hashi-vault-key-prefix <prefix>",
        "Prefix under which each secret is named by a public key and holds its private key; repeat for several.",
      )
        .env("HASHI_VAULT_KEY_PREFIX")
        .argParser(collect),
    )
    .addOption(
      new Option("--hashi-vault-engine-name <mount>", "Mount path of the KV secrets engine.")
        .env("HASHI_VAULT_ENGINE_NAME")
        .default(DEFAULT_HASHI_VAULT_ENGINE_NAME),
    )
    .addOption(
      valueOption(
        "--hashi-vault-engine-version <version>",
        "KV engine version: 1, 2, or auto (ask Vault, as its CLI does).",
        oneOf("a KV engine version", ENGINE_VERSIONS),
      )
        .env("HASHI_VAULT_ENGINE_VERSION")
        .default("auto"),
    )
    .addOption(
      new Option(
        "--hashi-vault-namespace <namespace>",
        "Vault Enterprise namespace (X-Vault-Namespace).",
      ).env("HASHI_VAULT_NAMESPACE"),
    )
    .addOption(
      valueOption(
        "--hashi-vault-parallelism <n>",
        "Secrets read from HashiCorp Vault at once.",
        wholeNumber("a number of parallel reads", 1, 1024),
      )
        .env("HASHI_VAULT_PARALLELISM")
        .default(DEFAULT_HASHI_VAULT_PARALLELISM),
    )
    .hook("preAction", (_, actionCommand) => {
      for (const { key, envVar } of LIST_OPTIONS) {
        const raw = process.env[envVar];
        if (actionCommand.getOptionValueSource(key) === "env" && raw !== undefined) {
          actionCommand.setOptionValueWithSource(key, splitPathList(raw), "env");
        }
      }
      try {
        hashiVaultOptionsFrom(actionCommand.opts<HashiVaultCliOptions>());
      } catch (error) {
        if (!(error instanceof UserInputError)) throw error;
        actionCommand.error(error.shortMessage, { exitCode: 2, code: "operator.hashiVaultUsage" });
      }
    });
}

/**
 * The Vault key source the flags describe, or undefined when `--hashi-vault-url` is not given
 * (keys come from elsewhere). A URL without a token or without any key path / prefix, or key
 * paths without a URL, is a UserInputError naming the missing flag; the token is never quoted.
 */
export function hashiVaultOptionsFrom(options: HashiVaultCliOptions): HashiVaultOptions | undefined {
  const url = options.hashiVaultUrl?.trim() ?? "";
  const keyPaths = options.hashiVaultKeyPath ?? [];
  const keyPrefixes = options.hashiVaultKeyPrefix ?? [];
  if (url === "") {
    if (keyPaths.length > 0 || keyPrefixes.length > 0) {
      const flag = keyPaths.length > 0 ? "--hashi-vault-key-path" : "--hashi-vault-key-prefix";
      throw new UserInputError(
        `missing --hashi-vault-url: ${flag} needs it; pass --hashi-vault-url or set HASHI_VAULT_URL`,
      );
    }
    return undefined;
  }
  const token = options.hashiVaultToken?.trim() ?? "";
  if (token === "") {
    throw new UserInputError(
      "missing --hashi-vault-token: pass --hashi-vault-token or set HASHI_VAULT_TOKEN (required with --hashi-vault-url)",
    );
  }
  const versionText = options.hashiVaultEngineVersion ?? "auto";
  const engineVersion: HashiVaultEngineVersion =
    versionText === "auto" ? "auto" : versionText === "1" ? 1 : 2;
  const namespace = options.hashiVaultNamespace?.trim();
  const result: HashiVaultOptions = {
    url,
    token,
    keyPaths,
    keyPrefixes,
    engineName: options.hashiVaultEngineName ?? DEFAULT_HASHI_VAULT_ENGINE_NAME,
    engineVersion,
    parallelism: options.hashiVaultParallelism ?? DEFAULT_HASHI_VAULT_PARALLELISM,
    ...(namespace ? { namespace } : {}),
  };
  // URL form, token characters, at least one key path or prefix.
  resolveHashiVaultOptions(result);
  return result;
}
