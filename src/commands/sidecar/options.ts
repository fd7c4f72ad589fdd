import { type Command, Option } from "commander";
import type { NetworkName } from "../../config/networks.ts";
import { addressValue } from "../../lib/address.ts";
import { httpUrl, oneOf, positiveNumber, wholeNumber } from "../../lib/values.ts";
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
  obolClusterLock?: string;
  obolNodeIndex?: number;
  ssvOperatorId?: number;
  ssvOperatorKeyFile?: string;
  ssvOperatorPasswordFile?: string;
  executionEndpoints?: string[];
  consensusEndpoints?: string[];
  ssvNetworkAddress?: `0x${string}`;
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
      "Obol: charon's validator_keys (keystore-N.json + keystore-N.txt).",
    ).env("OBOL_KEYSTORES_DIR"),
    new Option("--obol-cluster-lock <path>", "Obol: charon's cluster-lock.json.").env(
      "OBOL_CLUSTER_LOCK_FILE",
    ),
    valueOption(
      "--obol-node-index <n>",
      "Obol: this node's index in the cluster, from 0 (share index = n + 1).",
      wholeNumber("a node index", 0, 1000),
    ).env("OBOL_NODE_INDEX"),
    valueOption(
      "--ssv-operator-id <id>",
      "SSV: this node's operator id (its share index).",
      wholeNumber("an operator id", 1),
    ).env("SSV_OPERATOR_ID"),
    new Option(
      "--ssv-operator-key-file <path>",
      "SSV: the operator's RSA private key: a PEM (or its base64), or the node's encrypted key file.",
    ).env("SSV_OPERATOR_KEY_FILE"),
    new Option("--ssv-operator-password-file <path>", "SSV: the encrypted key file's password file.").env(
      "SSV_OPERATOR_PASSWORD_FILE",
    ),
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
