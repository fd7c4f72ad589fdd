import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { SsvFeeEra } from "../../chain/abi/ssv-network.ts";
import { expandHome } from "../../config/data-dir.ts";
import { startControlServer } from "../../devnet/control/control-server.ts";
import { type Devnet, startDevnet } from "../../devnet/devnet.ts";
import type { DevnetDvtDescription } from "../../devnet/dvt/devnet-dvt.ts";
import type { DevnetDvtOptions, DvtClusterType, DvtProtocol } from "../../devnet/dvt/dvt-options.ts";
import { type ExternalDevnetStart, startExternalDevnet } from "../../devnet/external.ts";
import type { DevnetVaultVersion } from "../../devnet/vault-version.ts";
import { UserInputError } from "../../lib/errors.ts";
import { pathExists } from "../../lib/fs.ts";
import { createLogger } from "../../lib/logger.ts";
import type { CommandContext } from "../context.ts";
import { runDemo } from "./demo.ts";
import { type GivenOption, refuseInapplicableOptions } from "./external-flags.ts";

/** The options as commander parsed them (devnet/command.ts checks the thresholds against --oracles). */
export interface DevnetCommandOptions {
  oracles: number;
  threshold?: number;
  recoverThreshold?: number;
  blockTime: number;
  slotsPerEpoch: number;
  vaultDepositEth: number;
  vaultVersion: DevnetVaultVersion;
  ssvOperators: number;
  ssvFeeEra: SsvFeeEra;
  dvt?: DvtClusterType;
  dvtValidators?: number;
  clusterSize?: number;
  dvtThreshold?: number;
  dvtProtocol?: DvtProtocol;
  dataDir: string;
  rpcUrl?: string;
  contracts?: string;
  demo?: boolean;
  /** False when --data-dir is the default (the demo then works in a new temp dir). */
  dataDirGiven?: boolean;
  /** --no-publish-config: with --rpc-url, never write the Keeper's config. */
  publishConfig?: boolean;
  /** The options the user set (flag or env var): those that do not apply to the mode are refused. */
  given?: readonly GivenOption[];
}

/** `operator devnet`: the local rehearsal chain, until Ctrl-C. */
export async function runDevnet(options: DevnetCommandOptions, ctx: CommandContext): Promise<void> {
  const { oracles, threshold, recoverThreshold, blockTime, slotsPerEpoch, vaultDepositEth } = options;
  const { output } = ctx;
  if (options.demo && (options.rpcUrl !== undefined || options.contracts !== undefined)) {
    throw new UserInputError("--demo runs on a devnet of its own: leave out --rpc-url and --contracts");
  }
  const dataDir =
    options.demo && !options.dataDirGiven
      ? await mkdtemp(join(tmpdir(), "vault-operator-demo-"))
      : expandHome(options.dataDir);
  const outputDir = join(dataDir, "devnet");
  if (options.rpcUrl !== undefined || options.contracts !== undefined) {
    if (!options.rpcUrl || !options.contracts) {
      throw new UserInputError(
        "--rpc-url and --contracts go together: pass both to run against an existing deployment",
      );
    }
    refuseInapplicableOptions(options.given ?? [], true);
    await runExternal(
      {
        rpcUrl: options.rpcUrl,
        contracts: options.contracts,
        publishConfig: options.publishConfig !== false,
      },
      outputDir,
      ctx,
    );
    return;
  }
  refuseInapplicableOptions(options.given ?? [], false);
  const dvt = dvtOptions(options);

  const started = performance.now();
  // Ctrl-C while it starts stops the devnet at once; after that, the devnet stops last (below), so
  // that the demo's `start` ends while its endpoints still answer.
  const starting = new AbortController();
  const stopStarting = () => starting.abort();
  ctx.signal.addEventListener("abort", stopStarting, { once: true });
  const devnet = await startDevnet({
    oracles,
    ...(threshold !== undefined ? { threshold } : {}),
    ...(recoverThreshold !== undefined ? { recoverThreshold } : {}),
    blockTime,
    slotsPerEpoch,
    vaultDepositEth,
    vaultVersion: options.vaultVersion,
    ...(options.ssvOperators > 0
      ? { ssv: { operators: options.ssvOperators, feeEra: options.ssvFeeEra } }
      : {}),
    ...(dvt ? { dvt } : {}),
    // The demo waits for its validators' activation: one epoch instead of two keeps it short.
    ...(options.demo ? { activationDelaySlots: slotsPerEpoch } : {}),
    // The oracles' decisions (approved / rejected and why), one line each; the demo's own `start`
    // output stays readable without them.
    ...(options.demo
      ? {}
      : {
          logger: decisionsLogger(ctx),
        }),
    outputDir,
    signal: starting.signal,
  }).finally(() => ctx.signal.removeEventListener("abort", stopStarting));
  const d = devnet.describe();
  if (options.demo && (await pathExists(join(dataDir, d.vault.address.toLowerCase())))) {
    await devnet.stop();
    throw new UserInputError(
      `--data-dir ${dataDir} already holds vault ${d.vault.address}: the demo starts from nothing, so pass a new --data-dir or none (a new temp dir)`,
    );
  }
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
  output.line(
    d.vault.version === 5
      ? `${"vault".padEnd(20)} ${d.vault.address} (version 5; admin and validators manager: test accounts)`
      : `${"vault".padEnd(20)} ${d.vault.address} (admin and keys manager: test accounts)`,
  );
  output.line();
  output.line(`Network file:  ${devnet.files?.network}  (read by --network devnet)`);
  output.line(`Devnet file:   ${devnet.files?.devnet}  (endpoints, contracts, test account keys)`);
  output.line();
  if (d.dvt) describeDvt(output, d.dvt);
  try {
    if (options.demo) {
      const demo = await runDemo({
        devnet,
        dataDir,
        operator: [process.execPath, process.argv[1] ?? ""],
        output,
        signal: ctx.signal,
      }).catch((error: unknown) => {
        // Ctrl-C during the walk ends it like Ctrl-C after it: the devnet stops, exit 0.
        if (!ctx.signal.aborted) throw error;
        output.line();
        output.line(`Demo stopped before its end; what it made is in ${dataDir}.`);
        return undefined;
      });
      if (demo) {
        output.line();
        output.line("Press Ctrl-C to stop start and the devnet.");
        await untilAborted(ctx.signal);
        await demo.stop();
        output.line(`The demo's data dir stays for you to read: ${dataDir}`);
      }
    } else {
      const control = await serveControl(devnet, outputDir, ctx);
      try {
        if (d.dvt) rehearseDvt(output, d.vault.address, dataDir, d.dvt);
        else rehearse(output, d.vault.address, dataDir);
        await untilAborted(ctx.signal);
      } finally {
        await control.close();
      }
    }
  } finally {
    await devnet.stop();
  }
  output.line("Devnet stopped.");
}

/** --dvt and its companions, or undefined; a companion without --dvt, or --dvt with --demo, is one line. */
function dvtOptions(options: DevnetCommandOptions): DevnetDvtOptions | undefined {
  const companions = [
    ["dvtValidators", "--dvt-validators"],
    ["clusterSize", "--cluster-size"],
    ["dvtThreshold", "--dvt-threshold"],
    ["dvtProtocol", "--dvt-protocol"],
  ] as const;
  if (options.dvt === undefined) {
    const stray = companions.find(([key]) => options[key] !== undefined);
    if (stray) throw new UserInputError(`${stray[1]} shapes the DVT cluster: add --dvt obol or --dvt ssv`);
    return undefined;
  }
  if (options.demo) {
    throw new UserInputError(
      "--demo walks a vault with its own keys: leave out --dvt (or run the devnet without --demo)",
    );
  }
  return {
    cluster: options.dvt,
    ...(options.dvtValidators !== undefined ? { validators: options.dvtValidators } : {}),
    ...(options.clusterSize !== undefined ? { size: options.clusterSize } : {}),
    ...(options.dvtThreshold !== undefined ? { threshold: options.dvtThreshold } : {}),
    ...(options.dvtProtocol !== undefined ? { protocol: options.dvtProtocol } : {}),
  };
}

/** What --dvt made and started, and how `start` reaches it. */
function describeDvt(output: CommandContext["output"], dvt: DevnetDvtDescription): void {
  const kind = dvt.cluster === "obol" ? "Obol" : "SSV";
  output.line(
    `DVT cluster:   ${kind}, ${dvt.threshold} of ${dvt.size}, ${dvt.publicKeys.length} validators, relayer protocol ${dvt.protocol}`,
  );
  output.line(`DVT relayer:   ${dvt.relayerEndpoint}  (one sidecar per node polls it)`);
  if (dvt.clusterLockFile) output.line(`Cluster lock:  ${dvt.clusterLockFile}`);
  if (dvt.clusterOwner) {
    output.line(
      `SSV cluster:   owner ${dvt.clusterOwner}, operators ${dvt.nodes.map((n) => n.shareIndex).join(", ")}`,
    );
  }
  if (dvt.publicKeysFile) output.line(`Public keys:   ${dvt.publicKeysFile}  (the relayer's keys)`);
  if (dvt.validatorsManager) {
    output.line(
      `Manager:       ${dvt.validatorsManager}  (the relayer's wallet, the vault's validators manager)`,
    );
  }
  if (dvt.depositDataFile) output.line(`Deposit data:  ${dvt.depositDataFile}  (the DV keys' deposit data)`);
  output.line();
}

/** Registering the DVT cluster's validators through the relayer, as the README gives it. */
function rehearseDvt(
  output: CommandContext["output"],
  vault: string,
  dataDir: string,
  dvt: DevnetDvtDescription,
): void {
  const d = `--data-dir ${dataDir}`;
  output.line("Register the cluster's validators (in another terminal; no validator keys needed):");
  output.line(`  operator init --network devnet --vault ${vault} --no-verify ${d}`);
  output.line(`  operator create-wallet --vault ${vault} ${d}`);
  output.line(`  operator devnet fund --eth 1 ${d}`);
  output.line(`  operator devnet deposit --eth ${32 * dvt.publicKeys.length} ${d}`);
  if (dvt.protocol === "v4") {
    output.line(
      `  operator start --vault ${vault} ${d} --relayer-endpoint ${dvt.relayerEndpoint} --validator-type 0x01 --execution-endpoints <execution endpoint> --consensus-endpoints <consensus endpoint>`,
    );
  } else {
    output.line(`  operator devnet set-root --deposit-data-file ${dvt.depositDataFile} ${d}`);
    output.line(
      `  (legacy: the operator registers with that deposit data and asks ${dvt.relayerEndpoint} for the exit signatures)`,
    );
  }
  output.line();
  output.line("Press Ctrl-C to stop.");
}

/** The steps of a rehearsal by hand, as the README gives them. */
function rehearse(output: CommandContext["output"], vault: string, dataDir: string): void {
  const d = `--data-dir ${dataDir}`;
  output.line("Rehearse (in another terminal; or run operator devnet --demo to see it done):");
  output.line(`  operator init --network devnet --vault ${vault} ${d}`);
  output.line(`  operator create-keys --vault ${vault} --count 2 ${d}`);
  output.line(`  operator create-wallet --vault ${vault} ${d}`);
  output.line(`  operator devnet set-root ${d}`);
  output.line(`  operator devnet fund --eth 1 ${d}`);
  output.line(`  operator devnet deposit --eth 64 ${d}`);
  output.line(
    `  operator start --vault ${vault} ${d} --execution-endpoints <execution endpoint> --consensus-endpoints <consensus endpoint>`,
  );
  output.line();
  output.line("Press Ctrl-C to stop.");
}

async function runExternal(
  external: { rpcUrl: string; contracts: string; publishConfig: boolean },
  outputDir: string,
  ctx: CommandContext,
): Promise<void> {
  const { output } = ctx;
  const devnet = await startExternalDevnet({
    rpcUrl: external.rpcUrl,
    contractsFile: external.contracts,
    outputDir,
    publishConfig: external.publishConfig,
    // The oracles' decisions (approved / rejected and why), one line each, as on the local devnet.
    logger: decisionsLogger(ctx),
    signal: ctx.signal,
  });
  const { started } = devnet;
  const origin = new URL(external.rpcUrl).origin;
  output.line(`Devnet services are up against chain ${devnet.network.chainId} at ${origin}.`);
  output.line(`Consensus endpoint:  ${devnet.beaconServer.url}`);
  output.line(`IPFS gateway:        ${devnet.ipfsGateway.url}`);
  devnet.committee.oracles.forEach((o, i) => {
    output.line(`Oracle ${i + 1}:  ${o.server.url}  ${o.key.address}`);
  });
  output.line();
  const multicall3 = devnet.network.multicall3;
  output.line(
    started.multicall3 === "placed"
      ? `Multicall3:    ${multicall3} (absent: placed there with anvil_setCode)`
      : `Multicall3:    ${multicall3}`,
  );
  output.line(
    `Keeper owner:  ${started.keeperOwner.address}${started.keeperOwner.impersonated ? " (impersonated on anvil: no keeperOwnerPrivateKey given)" : ""}`,
  );
  output.line(`Keeper config: ${CONFIG_LINES[started.config]}`);
  if (started.assumed.length > 0) {
    output.line("Assumed (not in --contracts; set the field to change it):");
    for (const line of started.assumed) output.line(`  ${line}`);
  }
  output.line();
  output.line(`Network file:  ${devnet.files?.network}  (read by --network devnet)`);
  output.line(`State:         ${stateLine(started.state, outputDir)}`);
  const control = await serveControl(devnet, outputDir, ctx).catch(async (error: unknown) => {
    await devnet.stop();
    throw error;
  });
  output.line("Change it while it runs: operator devnet set-oracles | publish-rewards (same --data-dir).");
  output.line("Press Ctrl-C to stop.");
  await untilAborted(ctx.signal);
  await control.close();
  await devnet.stop();
  output.line("Devnet stopped.");
}

function stateLine(state: ExternalDevnetStart["state"], dir: string): string {
  const where = join(dir, "state");
  if (state.kind === "none") return `new, kept in ${where} for a restart`;
  if (state.kind === "set-aside")
    return `new (the one in ${where} was moved to ${state.movedTo}: ${state.reason})`;
  const keys = state.oracleKeysChanged ? "; oracle keys from set-oracles, not --contracts" : "";
  return `restored from ${where} (${state.ipfsBlocks} IPFS files, ${state.exitRecords} exit records${keys})`;
}

/** Serves the control endpoint for set-oracles and publish-rewards; its URL and token go in control.json. */
function serveControl(
  devnet: Pick<Devnet, "committee" | "replaceOracles" | "publishRewards">,
  dir: string,
  ctx: CommandContext,
) {
  const { committee } = devnet;
  return startControlServer({
    control: {
      oracles: () => committee.oracles.map((o) => ({ address: o.key.address, endpoint: o.server.url })),
      recoverThreshold: committee.config().exit_signature_recover_threshold,
      replaceOracles: (keys, threshold) => devnet.replaceOracles(keys, threshold),
      publishRewards: (rewards) => devnet.publishRewards(rewards),
    },
    dir,
    logger: decisionsLogger(ctx),
  });
}

const CONFIG_LINES = {
  published: "published (it now names these oracles and endpoints)",
  kept: "kept (it already names these oracles and endpoints)",
  left: "left as it was (--no-publish-config): operators reach the oracles the Keeper names",
} as const;

function decisionsLogger(ctx: CommandContext) {
  return createLogger({
    level: "info",
    format: "text",
    ...(ctx.onOutputError ? { onWriteError: ctx.onOutputError } : {}),
  });
}

function untilAborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    signal.addEventListener("abort", () => resolve(), { once: true });
  });
}
