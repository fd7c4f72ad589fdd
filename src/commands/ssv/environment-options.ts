import type { Command } from "commander";
import type { Address } from "viem";
import type { NetworkName } from "../../config/networks.ts";
import { addressValue } from "../../lib/address.ts";
import { httpUrl } from "../../lib/values.ts";
import { endpointsOption } from "../endpoints-input.ts";
import {
  dataDirOption,
  depositDataFileOption,
  executionJwtSecretOption,
  keystoresOptions,
  maxFeePerGasOption,
  valueOption,
  vaultNetworkOption,
  vaultOption,
  walletFileOptions,
} from "../options.ts";

/** The options every `operator ssv …` command and `operator ssv-manager` share, as commander parses them. */
export interface SsvEnvironmentOptionValues {
  network?: NetworkName;
  vault?: Address;
  dataDir: string;
  executionEndpoints?: string[];
  executionJwtSecret?: Uint8Array;
  consensusEndpoints?: string[];
  walletFile?: string;
  walletPasswordFile?: string;
  keystoresDir?: string;
  keystoresPasswordFile?: string;
  depositDataFile?: string;
  maxFeePerGasGwei?: number;
  ssvNetworkAddress?: Address;
  ssvViewsAddress?: Address;
  ssvApiUrl?: string;
}

/** Adds the shared options (with start's env vars) to an SSV command. */
export function addSsvEnvironmentOptions(command: Command): Command {
  const options = [
    ...walletFileOptions("The cluster owner's wallet; WALLET_PRIVATE_KEY replaces it"),
    ...keystoresOptions(),
  ];
  for (const option of options) command.addOption(option);
  return command
    .addOption(vaultNetworkOption())
    .addOption(vaultOption())
    .addOption(dataDirOption())
    .addOption(endpointsOption("execution"))
    .addOption(executionJwtSecretOption())
    .addOption(endpointsOption("consensus"))
    .addOption(depositDataFileOption())
    .addOption(maxFeePerGasOption())
    .addOption(
      valueOption(
        "--ssv-network-address <address>",
        "The SSVNetwork contract (default: the network's).",
        addressValue,
      ).env("SSV_NETWORK_ADDRESS"),
    )
    .addOption(
      valueOption(
        "--ssv-views-address <address>",
        "The SSVNetworkViews contract (default: the network's).",
        addressValue,
      ).env("SSV_VIEWS_ADDRESS"),
    )
    .addOption(
      valueOption(
        "--ssv-api-url <url>",
        "The SSV API (default: the network's, e.g. https://api.ssv.network); optional: chain data is enough.",
        httpUrl("https://api.ssv.network"),
      ).env("SSV_API_URL"),
    );
}
