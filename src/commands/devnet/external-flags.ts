/**
 * `operator devnet --rpc-url` runs services against contracts it did not deploy: the flags that
 * shape our own chain and deployment do nothing there. A flag given anyway is refused in one line
 * naming it, rather than silently ignored (the user would rehearse something other than intended).
 */
import { UserInputError } from "../../lib/errors.ts";

/** An option the user set, by flag or env var. */
export interface GivenOption {
  /** Commander's attribute name ("blockTime"). */
  key: string;
  /** The long flag ("--block-time"). */
  flag: string;
  /** The env var it came from, when it did. */
  env?: string;
}

/** Why each flag of the local devnet does not apply to --rpc-url, with where to set it instead. */
const LOCAL_ONLY: Readonly<Record<string, string>> = {
  oracles: "the oracles are the keys in --contracts (oraclePrivateKeys)",
  threshold: "the Keeper's threshold is the deployment's",
  recoverThreshold: 'set "recoverThreshold" in --contracts',
  blockTime: "blocks come from the node at --rpc-url",
  slotsPerEpoch: 'set "slotsPerEpoch" in --contracts',
  vaultDepositEth: "no vault is created; deposit into yours with its own tools",
  vaultVersion: "no vault is created; the deployment's vaults are what they are",
  demo: "the demo runs on a devnet of its own; leave out --rpc-url and --contracts",
  dvt: "the DVT cluster is made on the local devnet only",
  dvtValidators: "the DVT cluster is made on the local devnet only",
  clusterSize: "the DVT cluster is made on the local devnet only",
  dvtThreshold: "the DVT cluster is made on the local devnet only",
  dvtProtocol: "the DVT cluster is made on the local devnet only",
};

/** Options that apply only with --rpc-url. */
const EXTERNAL_ONLY: Readonly<Record<string, string>> = {
  publishConfig: "the local devnet always publishes its oracles' config",
};

/** Throws for the first given option that does not apply to the mode (`external`: --rpc-url). */
export function refuseInapplicableOptions(given: readonly GivenOption[], external: boolean): void {
  const reasons = external ? LOCAL_ONLY : EXTERNAL_ONLY;
  const mode = external ? "with --rpc-url" : "without --rpc-url";
  for (const option of given) {
    const why = reasons[option.key];
    if (why === undefined) continue;
    const named = option.env ? `${option.flag} (from ${option.env})` : option.flag;
    throw new UserInputError(`${named} does not apply ${mode}: ${why}`);
  }
}
