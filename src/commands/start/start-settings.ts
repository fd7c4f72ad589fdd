import { parseStartSettings, type StartOptionValues, type StartSettings } from "../../operator/settings.ts";
import { type HashiVaultCliOptions, hashiVaultOptionsFrom } from "../hashi-vault-options.ts";
import { dbUrlSetting } from "./db-url-setting.ts";

/** The settings of `start` and `status` from their flags: --db-url or --db-url-file resolved first, then the rest. */
export function startSettingsFrom(
  options: StartOptionValues & HashiVaultCliOptions,
  vault: `0x${string}`,
): StartSettings {
  const dbUrl = dbUrlSetting(options);
  return parseStartSettings(
    { ...options, ...(dbUrl === undefined ? {} : { dbUrl }) },
    vault,
    process.env,
    hashiVaultOptionsFrom(options),
  );
}
