import { type Command, Option } from "commander";
import type { NetworkName } from "../../config/networks.ts";
import { addressValue } from "../../lib/address.ts";
import {
  httpUrl,
  InvalidValueError,
  oneOf,
  positiveNumber,
  type ValueParser,
  wholeNumber,
} from "../../lib/values.ts";
import { endpointsOption } from "../endpoints-input.ts";
import { dataDirOption, networkOption, valueOption } from "../options.ts";

/** `operator sidecar`'s own flags as commander parses them. */
export interface SidecarOptionValues {
  relayerEndpoint?: string;
  network?: NetworkName;
  clusterType?: "obol" | "ssv";
  protocol: "v4" | "legacy";
  pollInterval: number;
  relayerTimeout: number;
  dataDir: string;
  obolKeystoresDir?: string;
  /** OBOL_KEYSTORES_DIR_TEMPLATE (the Python sidecar's name for a dir with `{node_index}`). */
  obolKeystoresDirTemplate?: string;
  obolClusterLock?: string;
  obolNodeIndex?: number[];
  /** OBOL_NODE_INDEXES (the Python sidecar's name for several nodes in one process). */
  obolNodeIndexes?: number[];
  ssvOperatorId?: number[];
  /** SSV_OPERATOR_IDS. */
  ssvOperatorIds?: number[];
  ssvOperatorKeyFile?: string;
  /** SSV_OPERATOR_KEY_FILE_TEMPLATE. */
  ssvOperatorKeyFileTemplate?: string;
  ssvOperatorPasswordFile?: string;
  /** SSV_OPERATOR_PASSWORD_FILE_TEMPLATE. */
  ssvOperatorPasswordFileTemplate?: string;
  executionEndpoints?: string[];
  consensusEndpoints?: string[];
  ssvNetworkAddress?: `0x${string}`;
}

/** "0" or "0,1,2": each a whole number from min to max, no repeats. */
function wholeNumberList(what: string, min: number, max?: number): ValueParser<number[]> {
  const one = wholeNumber(what, min, max);
  return (text) => {
    const values = text.split(",").map((part) => one(part));
    if (new Set(values).size !== values.length) {
      throw new InvalidValueError(`names a ${what.replace(/^an? /, "")} twice: list each once`);
    }
    return values;
  };
}

/** An option read only from the environment: the Python sidecar's variable names. */
function envAlias(name: string, envVar: string, parse?: ValueParser<unknown>): Option {
  const option = parse ? valueOption(`--${name} <value>`, envVar, parse) : new Option(`--${name} <value>`);
  return option.env(envVar).hideHelp();
}

export function addSidecarOptions(command: Command): Command {
  const options: Option[] = [
    valueOption("--relayer-endpoint <url>", "The DVT relayer's URL.", httpUrl("http://relayer:8000")).env(
      "RELAYER_ENDPOINT",
    ),
    networkOption("The network the cluster validates on (the relayer must serve the same)."),
    valueOption(
      "--cluster-type <type>",
      "obol or ssv.",
      oneOf("a cluster type", ["obol", "ssv"] as const),
    ).env("CLUSTER_TYPE"),
    valueOption(
      "--protocol <generation>",
      "The relayer's API: v4 (GET /validators, POST /signatures; exits and deposits) or legacy (GET /exits, POST /exit-signature).",
      oneOf("a relayer protocol", ["v4", "legacy"] as const),
    )
      .env("RELAYER_PROTOCOL")
      .default("v4"),
    valueOption(
      "--poll-interval <seconds>",
      "Seconds between relayer polls.",
      positiveNumber("an interval", "seconds, e.g. 2"),
    )
      .env("POLL_INTERVAL")
      .default(2),
    valueOption(
      "--relayer-timeout <seconds>",
      "Seconds one relayer request may take.",
      positiveNumber("a timeout", "seconds, e.g. 10"),
    )
      .env("RELAYER_TIMEOUT")
      .default(10),
    dataDirOption("Where the sidecar keeps its SSV database (<data-dir>/dvt-sidecar)."),
    new Option(
      "--obol-keystores-dir <path>",
      "Obol: charon's validator_keys (keystore-N.json + keystore-N.txt); with several node indexes, a path with {node_index} in it (OBOL_KEYSTORES_DIR_TEMPLATE).",
    ).env("OBOL_KEYSTORES_DIR"),
    envAlias("obol-keystores-dir-template", "OBOL_KEYSTORES_DIR_TEMPLATE"),
    new Option("--obol-cluster-lock <path>", "Obol: charon's cluster-lock.json.").env(
      "OBOL_CLUSTER_LOCK_FILE",
    ),
    valueOption(
      "--obol-node-index <n>",
      "Obol: this node's index in the cluster, from 0 (share index = n + 1); a comma separated list acts for several nodes in one process (OBOL_NODE_INDEXES), for rehearsals.",
      wholeNumberList("a node index", 0, 1000),
    ).env("OBOL_NODE_INDEX"),
    envAlias("obol-node-indexes", "OBOL_NODE_INDEXES", wholeNumberList("a node index", 0, 1000)),
    valueOption(
      "--ssv-operator-id <id>",
      "SSV: this node's operator id (its share index); a comma separated list acts for several operators in one process (SSV_OPERATOR_IDS).",
      wholeNumberList("an operator id", 1),
    ).env("SSV_OPERATOR_ID"),
    envAlias("ssv-operator-ids", "SSV_OPERATOR_IDS", wholeNumberList("an operator id", 1)),
    new Option(
      "--ssv-operator-key-file <path>",
      "SSV: the operator's RSA private key: a PEM (or its base64), or the node's encrypted key file; with several operator ids, a path with {operator_id} in it (SSV_OPERATOR_KEY_FILE_TEMPLATE).",
    ).env("SSV_OPERATOR_KEY_FILE"),
    envAlias("ssv-operator-key-file-template", "SSV_OPERATOR_KEY_FILE_TEMPLATE"),
    new Option(
      "--ssv-operator-password-file <path>",
      "SSV: the encrypted key file's password file (with several operator ids, {operator_id} in the path).",
    ).env("SSV_OPERATOR_PASSWORD_FILE"),
    envAlias("ssv-operator-password-file-template", "SSV_OPERATOR_PASSWORD_FILE_TEMPLATE"),
    endpointsOption("execution", "SSV: comma separated execution node endpoints (ValidatorAdded events)."),
    endpointsOption("consensus", "SSV: comma separated consensus node endpoints (the finalized block)."),
    valueOption(
      "--ssv-network-address <address>",
      "SSV: the SSVNetwork contract (default: the network's).",
      addressValue,
    ).env("SSV_NETWORK_ADDRESS"),
  ];
  for (const option of options) command.addOption(option);
  return command;
}
