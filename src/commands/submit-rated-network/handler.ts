import { checkConsensusEndpoints, createConsensusClient } from "../../chain/consensus-client.ts";
import { checkExecutionEndpoints, createExecutionClient } from "../../chain/execution-client.ts";
import { scanRegisteredKeys } from "../../chain/vault-validator-events.ts";
import type { NetworkName } from "../../config/networks.ts";
import { OperatorError, UserInputError } from "../../lib/errors.ts";
import { resolveInput } from "../../lib/terminal.ts";
import { RATED_API_URL, reportToRated } from "../../rated/self-report.ts";
import type { CommandContext } from "../context.ts";
import { askEndpoints } from "../endpoints-input.ts";
import { askVault, vaultNetwork } from "../inputs.ts";

export interface SubmitRatedNetworkOptions {
  vault?: `0x${string}`;
  network?: NetworkName;
  dataDir: string;
  poolTag?: string;
  token?: string;
  executionEndpoints?: string[];
  consensusEndpoints?: string[];
  executionJwtSecret?: Uint8Array;
  vaultFirstBlock?: number;
}

/** The networks Rated rates (the Python operator's RATED_NETWORKS). */
const RATED_NETWORKS = new Set(["mainnet"]);

/**
 * `operator submit-rated-network`: the vault's active validators self-reported to Rated Network.
 * The Python operator asks StakeWise's backend for them; here they come from the chain, as
 * exit-validators finds them: the vault's ValidatorRegistered events, then the beacon node's
 * status (active_ongoing), so no third party stands between the vault and the report.
 */
export async function runSubmitRatedNetwork(
  options: SubmitRatedNetworkOptions,
  ctx: CommandContext,
): Promise<void> {
  const { output } = ctx;
  const vault = await askVault(ctx, options.vault);
  const network = await vaultNetwork(ctx, options, vault);
  // A rehearsal on the devnet reports to the Rated API RATED_API_URL names (a double), never Rated.
  const apiUrl = process.env.RATED_API_URL?.trim() || undefined;
  if (!RATED_NETWORKS.has(network.name) && !(network.name === "devnet" && apiUrl)) {
    output.line(`${network.name} network is not yet rated supported`);
    return;
  }
  const poolTag = await resolveInput(
    ctx.prompter,
    {
      value: options.poolTag,
      flag: "--pool-tag",
      envVar: "POOL_TAG",
      prompt: "Enter the pool tag (if any)",
      default: "",
      parse: (text) => text.trim(),
    },
    output,
  );
  const token = await resolveInput(
    ctx.prompter,
    {
      value: options.token,
      flag: "--token",
      envVar: "RATED_TOKEN",
      prompt: "Enter your OAuth token",
      hidden: true,
      parse: (text) => {
        const value = text.trim();
        if (value === "") throw new UserInputError("--token is empty: pass the OAuth token Rated gave you");
        return value;
      },
    },
    output,
  );
  const executionEndpoints = await askEndpoints(ctx, options.executionEndpoints, "execution");
  const consensusEndpoints = await askEndpoints(ctx, options.consensusEndpoints, "consensus");
  const jwtSecret = options.executionJwtSecret;
  await checkExecutionEndpoints(executionEndpoints, network, { jwtSecret });
  await checkConsensusEndpoints(consensusEndpoints, network);
  const execution = createExecutionClient({ endpoints: executionEndpoints, network, jwtSecret });
  const consensus = createConsensusClient({ endpoints: consensusEndpoints });

  output.line("Starting rated self report...");
  const keys = await scanRegisteredKeys({
    client: execution,
    vault,
    fromBlock: BigInt(options.vaultFirstBlock ?? network.keeper.genesisBlock),
    toBlock: await execution.getBlockNumber(),
    signal: ctx.signal,
  });
  const active =
    keys.length === 0
      ? []
      : (await consensus.getValidators(keys, { signal: ctx.signal }))
          .filter((v) => v.status === "active_ongoing")
          .map((v) => v.pubkey);
  if (active.length === 0) {
    output.line(`No active validators found for vault ${vault}: nothing to report.`);
    return;
  }
  const { failures } = await reportToRated({
    apiUrl: apiUrl ?? RATED_API_URL,
    token,
    network: network.name,
    poolTag,
    publicKeys: active,
    report: (line) => output.line(line),
    signal: ctx.signal,
  });
  if (failures.length > 0) {
    throw new OperatorError(
      `${failures.length} of the ${Math.ceil(active.length / 1000)} reports failed (see above): run the command again`,
    );
  }
}
