/**
 * Every env var the operator CLI reads (flags' env vars and env-only settings). Child processes
 * of the tests and benches run without them, so that a developer's shell (or a .env) cannot
 * change what a test sees. test/architecture/operator-env.test.ts fails when a command gains an
 * env var that is not listed here.
 */
export const OPERATOR_ENV: readonly string[] = [
  // flags
  "CONCURRENCY",
  "CONSENSUS_ENDPOINTS",
  "COUNT",
  "DATABASE_DIR",
  "DATA_DIR",
  "DB_URL",
  "DEPOSIT_DATA_FILE",
  "DEPOSIT_DATA_FILES",
  "DEVNET_BLOCK_TIME",
  "DEVNET_CONTRACTS",
  "DEVNET_ORACLES",
  "DEVNET_RECOVER_THRESHOLD",
  "DEVNET_RPC_URL",
  "DEVNET_SLOTS_PER_EPOCH",
  "DEVNET_THRESHOLD",
  "DEVNET_VAULT_DEPOSIT_ETH",
  "DEVNET_VAULT_VERSION",
  "DISABLE_PROPOSAL_BUILDER",
  "ENABLE_METRICS",
  "EXECUTION_ENDPOINTS",
  "FEE_RECIPIENT",
  "FORCE",
  "HARVEST_VAULT",
  "HASHI_VAULT_ENGINE_NAME",
  "HASHI_VAULT_ENGINE_VERSION",
  "HASHI_VAULT_KEY_PATH",
  "HASHI_VAULT_KEY_PREFIX",
  "HASHI_VAULT_NAMESPACE",
  "HASHI_VAULT_PARALLELISM",
  "HASHI_VAULT_TOKEN",
  "HASHI_VAULT_URL",
  "HOT_WALLET_FILE",
  "HOT_WALLET_PASSWORD_FILE",
  "KEYSTORES_DIR",
  "KEYSTORES_PASSWORD_FILE",
  "LANGUAGE",
  "LOG_FORMAT",
  "LOG_LEVEL",
  "MAX_FEE_PER_GAS_GWEI",
  "METRICS_HOST",
  "METRICS_PORT",
  "MNEMONIC",
  "NETWORK",
  "NO_CONFIRM",
  "NO_VERIFY",
  "OUTPUT_FILE",
  "PER_KEYSTORE_PASSWORD",
  "REMOTE_DB_ENCRYPT_KEY",
  "REMOTE_DB_LAYOUT",
  "REMOTE_DB_OUTPUT_DIR",
  "REMOTE_DB_YES",
  "REMOTE_SIGNER_URL",
  "REMOVE_EXISTING_KEYS",
  "TOTAL_VALIDATORS",
  "VALIDATORS_EXIT_YES",
  "VALIDATOR_INDEX",
  "VAULT",
  "VERBOSE",
  "WEB3SIGNER_ENDPOINT",
  // env-only settings
  "DEVNET_CONFIG_FILE",
  "HASHI_VAULT_TIMEOUT",
  "IPFS_FETCH_ENDPOINTS",
  "KEYSTORES_PASSWORD_DIR",
  "OPERATOR_NODE_FLAGS",
  "ORACLES_VALIDATORS_TIMEOUT",
];

/** This process's env without the operator's variables, plus `extra`. */
export function operatorChildEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of OPERATOR_ENV) delete env[name];
  return { ...env, ...extra };
}
