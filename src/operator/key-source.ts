import { readdir } from "node:fs/promises";
import type { HashiVaultOptions } from "../keys/hashi-vault/options.ts";
import type { ExitSigner } from "../keys/sources/exit-signer.ts";
import { LocalKeystores } from "../keys/sources/local-keystores.ts";
import { SecretKeySigner } from "../keys/sources/secret-key-signer.ts";
import type { Logger } from "../lib/logger.ts";

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
 * Opens the key source the settings name. A remote signer wins when its URL is given. Local
 * keystores win over HashiCorp Vault when the keystores dir holds any (as the seeds document:
 * "otherwise operator will prefer local keystores"), with a warning, so that keys are never
 * loaded from two places at once.
 */
export async function openKeySource(settings: KeySourceSettings, deps: KeySourceDeps): Promise<ExitSigner> {
  if (settings.remoteSignerUrl) {
    const { openRemoteSigner } = await import("../keys/remote-signer/open.ts");
    return openRemoteSigner({ url: settings.remoteSignerUrl, configFile: settings.remoteSignerConfigFile });
  }
  if (settings.hashiVault) {
    if (await hasKeystores(settings.keystoresDir)) {
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
