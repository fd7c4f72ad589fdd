import { readdir } from "node:fs/promises";
import type { HashiVaultOptions } from "../keys/hashi-vault/options.ts";
import type { ExitSigner } from "../keys/sources/exit-signer.ts";
import { LocalKeystores } from "../keys/sources/local-keystores.ts";
import { SecretKeySigner } from "../keys/sources/secret-key-signer.ts";
import { UserInputError } from "../lib/errors.ts";
import type { Logger } from "../lib/logger.ts";

/** The key sources, as start-local, start-remote-signer and start-hashi-vault name them (spec §1.2). */
export type KeySourceKind = "local-keystores" | "remote-signer" | "hashi-vault";

/** Where `start` and `validators-exit` find the validator keys (spec §7.3, §7.4). */
export interface KeySourceSettings {
  keystoresDir: string;
  keystoresPasswordFile: string;
  /** One password file per keystore (KEYSTORES_PASSWORD_DIR), instead of the shared one. */
  keystoresPasswordDir?: string;
  /**
   * --remote-signer-url: a Web3Signer holding key shares (remote-signer-setup, remote-db v1.0.x)
   * or, without a remote_signer_config.json, the whole keys (remote-db v1.1+).
   */
  remoteSignerUrl?: string;
  /** The vault dir's remote_signer_config.json: which share keys belong to which validator. */
  remoteSignerConfigFile: string;
  /** --hashi-vault-*: keys in HashiCorp Vault KV secrets. */
  hashiVault?: HashiVaultOptions;
  /**
   * The key source the command preselected (start-local, start-remote-signer, start-hashi-vault):
   * only that one is opened, never another found beside it. Absent (`start`): chosen from the
   * settings as openKeySource says.
   */
  only?: KeySourceKind;
}

export interface KeySourceDeps {
  log: Logger;
  signal?: AbortSignal;
}

async function hasKeystores(dir: string): Promise<boolean> {
  try {
    return (await readdir(dir)).some((name) => name.startsWith("keystore") && name.endsWith(".json"));
  } catch {
    return false;
  }
}

/**
 * Opens the key source the settings name. A preselected one (`only`) is the one opened. Else a
 * remote signer wins when its URL is given, and local keystores win over HashiCorp Vault when the
 * keystores dir holds any (as the seeds document: "otherwise operator will prefer local
 * keystores"), with a warning, so that keys are never loaded from two places at once.
 */
export async function openKeySource(settings: KeySourceSettings, deps: KeySourceDeps): Promise<ExitSigner> {
  const kind = chooseKeySource(settings);
  if (kind === "remote-signer" && settings.remoteSignerUrl) {
    const { openRemoteSigner } = await import("../keys/remote-signer/open.ts");
    return openRemoteSigner({ url: settings.remoteSignerUrl, configFile: settings.remoteSignerConfigFile });
  }
  if (kind === "hashi-vault" && settings.hashiVault) {
    if (settings.only === undefined && (await hasKeystores(settings.keystoresDir))) {
      deps.log.warn("local keystores found: using them, not HashiCorp Vault", {
        keystoresDir: settings.keystoresDir,
      });
    } else {
      const { openHashiVaultSigner } = await import("../keys/hashi-vault/open.ts");
      return openHashiVaultSigner(settings.hashiVault, {
        logger: deps.log,
        ...(deps.signal ? { signal: deps.signal } : {}),
      });
    }
  }
  const keystores = await LocalKeystores.load({
    keystoresDir: settings.keystoresDir,
    passwordFile: settings.keystoresPasswordFile,
    ...(settings.keystoresPasswordDir ? { passwordDir: settings.keystoresPasswordDir } : {}),
  });
  return new SecretKeySigner(keystores, `local keystores in ${settings.keystoresDir}`);
}

/**
 * Which key source the settings name, before anything is opened. A preselected kind must come
 * with what it needs: start-remote-signer without --remote-signer-url, or start-hashi-vault
 * without --hashi-vault-url, is a UserInputError naming the missing flag.
 */
export function chooseKeySource(settings: KeySourceSettings): KeySourceKind {
  switch (settings.only) {
    case "remote-signer":
      if (!settings.remoteSignerUrl) {
        throw new UserInputError(
          "missing --remote-signer-url: start-remote-signer needs it; pass --remote-signer-url or set REMOTE_SIGNER_URL",
        );
      }
      return "remote-signer";
    case "hashi-vault":
      if (!settings.hashiVault) {
        throw new UserInputError(
          "missing --hashi-vault-url: start-hashi-vault needs it; pass --hashi-vault-url or set HASHI_VAULT_URL",
        );
      }
      return "hashi-vault";
    case "local-keystores":
      return "local-keystores";
    default:
      if (settings.remoteSignerUrl) return "remote-signer";
      return settings.hashiVault ? "hashi-vault" : "local-keystores";
  }
}
