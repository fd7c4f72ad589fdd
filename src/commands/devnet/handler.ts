import { join } from "node:path";
import { expandHome } from "../../config/data-dir.ts";
import { startDevnet } from "../../devnet/devnet.ts";
import { startExternalDevnet } from "../../devnet/external.ts";
import { UserInputError } from "../../lib/errors.ts";
import type { CommandContext } from "../context.ts";

/** The options as commander parsed them (devnet/command.ts checks the thresholds against --oracles). */
export interface DevnetCommandOptions {
  oracles: number;
  threshold?: number;
  recoverThreshold?: number;
  blockTime: number;
  slotsPerEpoch: number;
  vaultDepositEth: number;
  dataDir: string;
  rpcUrl?: string;
  contracts?: string;
}

/** `operator devnet`: the local rehearsal chain, until Ctrl-C. */
export async function runDevnet(options: DevnetCommandOptions, ctx: CommandContext): Promise<void> {
  const { oracles, threshold, recoverThreshold, blockTime, slotsPerEpoch, vaultDepositEth } = options;
  const outputDir = join(expandHome(options.dataDir), "devnet");
  const { output } = ctx;
  if (options.rpcUrl !== undefined || options.contracts !== undefined) {
    if (!options.rpcUrl || !options.contracts) {
      throw new UserInputError(
        "--rpc-url and --contracts go together: pass both to run against an existing deployment",
      );
    }
    await runExternal(options.rpcUrl, options.contracts, outputDir, ctx);
    return;
  }

  const started = performance.now();
  const devnet = await startDevnet({
    oracles,
    ...(threshold !== undefined ? { threshold } : {}),
    ...(recoverThreshold !== undefined ? { recoverThreshold } : {}),
    blockTime,
    slotsPerEpoch,
    vaultDepositEth,
    outputDir,
    signal: ctx.signal,
  });
  const d = devnet.describe();
  output.line(
    `Devnet is up in ${((performance.now() - started) / 1000).toFixed(1)} s (chain id ${d.chainId}).`,
  );
  output.line();
  output.line(`Execution endpoint:  ${d.executionEndpoint}`);
  output.line(`Consensus endpoint:  ${d.consensusEndpoint}`);
  output.line(`IPFS gateway:        ${d.ipfsGateway}`);
  d.oracles.forEach((o, i) => {
    output.line(
      `Oracle ${i + 1}:${" ".repeat(Math.max(1, 12 - String(i + 1).length))}${o.endpoint}  ${o.address}`,
    );
  });
  output.line();
  for (const [name, address] of Object.entries(d.contracts)) output.line(`${name.padEnd(20)} ${address}`);
  output.line(`${"vault".padEnd(20)} ${d.vault.address} (admin and keys manager: test accounts)`);
  output.line();
  output.line(`Network file:  ${devnet.files?.network}  (read by --network devnet)`);
  output.line(`Devnet file:   ${devnet.files?.devnet}  (endpoints, contracts, test account keys)`);
  output.line();
  output.line("Rehearse:");
  output.line(`  operator init --network devnet --vault ${d.vault.address} --data-dir ${options.dataDir}`);
  output.line(`  operator create-keys --vault ${d.vault.address} --count 3 --data-dir ${options.dataDir}`);
  output.line();
  output.line("Press Ctrl-C to stop.");

  await untilAborted(ctx.signal);
  await devnet.stop();
  output.line("Devnet stopped.");
}

async function runExternal(
  rpcUrl: string,
  contracts: string,
  outputDir: string,
  ctx: CommandContext,
): Promise<void> {
  const { output } = ctx;
  const devnet = await startExternalDevnet({
    rpcUrl,
    contractsFile: contracts,
    outputDir,
    signal: ctx.signal,
  });
  output.line(`Devnet services are up against chain ${devnet.network.chainId} at ${new URL(rpcUrl).origin}.`);
  output.line(`Consensus endpoint:  ${devnet.beaconServer.url}`);
  output.line(`IPFS gateway:        ${devnet.ipfsGateway.url}`);
  devnet.committee.oracles.forEach((o, i) => {
    output.line(`Oracle ${i + 1}:  ${o.server.url}  ${o.key.address}`);
  });
  output.line(`Network file:  ${devnet.files?.network}  (read by --network devnet)`);
  output.line("Press Ctrl-C to stop.");
  await untilAborted(ctx.signal);
  await devnet.stop();
  output.line("Devnet stopped.");
}

function untilAborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    signal.addEventListener("abort", () => resolve(), { once: true });
  });
}
