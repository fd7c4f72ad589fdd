import { UserInputError } from "../lib/errors.ts";

/**
 * The validator clients' files of `remote-db setup-validator` (spec §7.5), byte for byte as the
 * Python operator writes them: Lighthouse `validator_definitions.yml` (PyYAML `yaml.dump` with an
 * explicit document start, keys sorted), Teku/Prysm `signer_keys.yml` and `proposer_config.json`
 * (json.dump, indent 4), none with a trailing newline added beyond PyYAML's own.
 */
export const VALIDATOR_DEFINITIONS_FILE = "validator_definitions.yml";
export const SIGNER_KEYS_FILE = "signer_keys.yml";
export const PROPOSER_CONFIG_FILE = "proposer_config.json";

export interface KeyRange {
  start: number;
  end: number;
  keysPerValidator: number;
}

/**
 * The keys of validator client `index` of `total`: ⌈count/total⌉ each, slice [k·i, min(k·i+k, count)).
 * A client that gets no key is a user error.
 */
export function validatorKeyRange(count: number, total: number, index: number): KeyRange {
  if (index >= total) {
    throw new UserInputError(
      `--validator-index ${index} must be less than --total-validators ${total} (indexes start at 0)`,
    );
  }
  const keysPerValidator = Math.ceil(count / total);
  const start = keysPerValidator * index;
  const end = Math.min(start + keysPerValidator, count);
  if (start >= end) {
    throw new UserInputError(
      `--validator-index ${index} gets no keys: the vault's ${count} validator keys split over --total-validators ${total} give ${keysPerValidator} per validator client; lower --total-validators`,
    );
  }
  return { start, end, keysPerValidator };
}

/** YAML 1.1 plain scalars PyYAML would read back as something other than a string. */
const NOT_A_STRING =
  /^(?:[-+]?(?:0b[01_]+|0x[0-9a-fA-F_]+|0[0-7_]*|[1-9][0-9_]*(?::[0-5]?[0-9])*|\.[0-9_]+(?:[eE][-+][0-9]+)?|[0-9][0-9_]*(?:\.[0-9_]*)?(?:[eE][-+][0-9]+)?|\.(?:inf|Inf|INF))|\.(?:nan|NaN|NAN)|~|null|Null|NULL|yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|y|Y|n|N|=|<<|\d{4}-\d\d?-\d\d?.*)$/;
/** Characters a plain scalar may hold (no indicators that need quoting in block context). */
const PLAIN = /^[A-Za-z0-9_./:?&=%+@~$!()*'[\] -]+$/;

/**
 * A string scalar the way PyYAML emits one in block context: plain when it reads back as the
 * same string, else single-quoted. Covers the URLs, addresses and hex keys these files hold.
 */
export function yamlString(value: string): string {
  const plain =
    value !== "" &&
    PLAIN.test(value) &&
    !NOT_A_STRING.test(value) &&
    !/^[?:,[\]{}#&*!|>'"%@` ]/.test(value) &&
    !/^-(?: |$)/.test(value) &&
    !value.endsWith(" ") &&
    !value.includes(": ") &&
    !value.endsWith(":") &&
    !value.includes(" #");
  return plain ? value : `'${value.replaceAll("'", "''")}'`;
}

export interface ValidatorConfigParameters {
  publicKeys: readonly string[];
  web3signerUrl: string;
  feeRecipient: string;
}

export function lighthouseValidatorDefinitions(params: ValidatorConfigParameters): string {
  const url = yamlString(params.web3signerUrl);
  const feeRecipient = yamlString(params.feeRecipient);
  let text = "---\n";
  for (const publicKey of params.publicKeys) {
    text +=
      `- enabled: true\n  suggested_fee_recipient: ${feeRecipient}\n  type: web3signer\n` +
      `  url: ${url}\n  voting_public_key: ${yamlString(publicKey)}\n`;
  }
  return text;
}

export function tekuSignerKeys(publicKeys: readonly string[]): string {
  return `validators-external-signer-public-keys: [${publicKeys.map((k) => `"${k}"`).join(",")}]`;
}

export function proposerConfig(feeRecipient: string, builderEnabled: boolean): string {
  return JSON.stringify(
    { default_config: { fee_recipient: feeRecipient, builder: { enabled: builderEnabled } } },
    null,
    4,
  );
}
