import { OperatorError } from "../lib/errors.ts";
import { toPythonJson } from "../lib/python-json.ts";

/**
 * `remote_signer_config.json` for the operator (spec §1.4): {"pubkeys_to_shares": {...}}, from the
 * config row. The Python operator stores the inner map; a row holding the whole file is read too.
 */
export function remoteSignerConfigFile(data: string, table: string): string {
  const parsed = parseRow(data, table, "remote_signer_config.json");
  const map =
    isObject(parsed) && Object.keys(parsed).length === 1 && isObject(parsed.pubkeys_to_shares)
      ? parsed.pubkeys_to_shares
      : parsed;
  if (!isObject(map) || Object.keys(map).length === 0) {
    throw new OperatorError(`the remote_signer_config.json row of ${table} holds no public keys`);
  }
  for (const [publicKey, shares] of Object.entries(map)) {
    if (!Array.isArray(shares) || !shares.every((s) => typeof s === "string")) {
      throw new OperatorError(
        `the remote_signer_config.json row of ${table} lists no share public keys for ${publicKey}`,
      );
    }
  }
  return toPythonJson({ pubkeys_to_shares: map });
}

/** `deposit_data.json` from its config row, as json.dump writes the list. */
export function depositDataFile(data: string, table: string): string {
  const parsed = parseRow(data, table, "deposit_data.json");
  if (!Array.isArray(parsed)) throw new OperatorError(`the deposit_data.json row of ${table} is not a list`);
  return toPythonJson(parsed);
}

function parseRow(data: string, table: string, name: string): unknown {
  try {
    return JSON.parse(data);
  } catch {
    throw new OperatorError(`the ${name} row of ${table} is not valid JSON`);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
