import { checkConsensusEndpoints, createConsensusClient } from "../../chain/consensus-client.ts";
import { vaultPaths } from "../../config/data-dir.ts";
import type { NetworkConfig, NetworkName } from "../../config/networks.ts";
import { remoteSignerConfigFile } from "../../keys/remote-signer/config-file.ts";
import type { ExitSigner } from "../../keys/sources/exit-signer.ts";
import { vaultWithdrawalCredentials } from "../../keys/withdrawal-credentials.ts";
import { OperatorError, UserInputError } from "../../lib/errors.ts";
import { toPrefixedHex } from "../../lib/hex.ts";
import { createLogger } from "../../lib/logger.ts";
import { selectExits } from "../../operator/exits/select-exits.ts";
import { submitExits } from "../../operator/exits/submit-exits.ts";
import { openKeySource } from "../../operator/key-source.ts";
import { localKeystoresSettings } from "../../operator/settings.ts";
import type { CommandContext } from "../context.ts";
import { askEndpoints } from "../endpoints-input.ts";
import { type HashiVaultCliOptions, hashiVaultOptionsFrom } from "../hashi-vault-options.ts";
import { askVault, vaultNetwork } from "../inputs.ts";

export interface ValidatorsExitOptions {
  network?: NetworkName;
  vault?: `0x${string}`;
  consensusEndpoints?: string[];
  count?: number;
  dataDir: string;
  keystoresDir?: string;
  keystoresPasswordFile?: string;
  remoteSignerUrl?: string;
  verbose: boolean;
  yes: boolean;
}

/** What `validators-exit` needs once its inputs are resolved; the key source comes separately. */
export interface ExitInputs {
  vault: `0x${string}`;
  network: NetworkConfig;
  consensusEndpoints: string[];
  /** Undefined: every active validator. */
  count: number | undefined;
  yes: boolean;
  verbose: boolean;
}

/** `operator validators-exit`: the composition root (inputs → key source → exits). */
export async function runValidatorsExit(
  options: ValidatorsExitOptions & HashiVaultCliOptions,
  ctx: CommandContext,
): Promise<void> {
  const inputs = await resolveExitInputs(options, ctx);
  const paths = vaultPaths(options.dataDir, inputs.vault);
  const hashiVault = hashiVaultOptionsFrom(options);
  const signer = await openKeySource(
    {
      ...localKeystoresSettings(options, paths.keystoresDir),
      ...(options.remoteSignerUrl ? { remoteSignerUrl: options.remoteSignerUrl } : {}),
      remoteSignerConfigFile: remoteSignerConfigFile(paths.vaultDir),
      ...(hashiVault ? { hashiVault } : {}),
    },
    {
      log: createLogger({
        level: options.verbose ? "debug" : "warn",
        format: "text",
        ...(ctx.onOutputError ? { onWriteError: ctx.onOutputError } : {}),
      }),
      signal: ctx.signal,
    },
  );
  try {
    await exitVaultValidators(inputs, signer, ctx);
  } finally {
    await signer.close();
  }
}

/** Flags, env vars and prompts, in the seed's order: consensus endpoints, vault, network, count. */
export async function resolveExitInputs(
  options: ValidatorsExitOptions,
  ctx: CommandContext,
): Promise<ExitInputs> {
  if (!options.yes && !ctx.prompter.interactive) {
    throw new UserInputError(
      "validators-exit asks for confirmation and no terminal is attached: pass --yes (or set VALIDATORS_EXIT_YES=true) to exit without the prompt",
    );
  }
  const { count } = options;
  const consensusEndpoints = await askEndpoints(ctx, options.consensusEndpoints, "consensus");
  const vault = await askVault(ctx, options.vault);
  const network = await vaultNetwork(ctx, options, vault);
  return { vault, network, consensusEndpoints, count, yes: options.yes, verbose: options.verbose };
}

/**
 * Exits the vault's active validators whose keys `signer` holds (spec §7.1): their beacon
 * statuses, the exitable ones lowest index first (at most `count`), a confirmation, then one
 * signed exit each. Rejected exits are reported and make the command fail after the rest.
 */
export async function exitVaultValidators(
  inputs: ExitInputs,
  signer: ExitSigner,
  ctx: CommandContext,
): Promise<void> {
  const { output } = ctx;
  const debug = (text: string) => {
    if (inputs.verbose) output.line(text);
  };
  await checkConsensusEndpoints(inputs.consensusEndpoints, inputs.network);
  const consensus = createConsensusClient({ endpoints: inputs.consensusEndpoints });
  const publicKeys = signer.publicKeys();
  debug(`Loaded ${publicKeys.length} validator keys from ${signer.description}`);

  // A vault's validators withdraw to it with 0x01 or (version 5) 0x02 credentials.
  const credentials = new Set(
    ([0x01, 0x02] as const).map((prefix) => toPrefixedHex(vaultWithdrawalCredentials(inputs.vault, prefix))),
  );
  const known = await consensus.getValidators(publicKeys, { signal: ctx.signal });
  const ofVault = known.filter((v) =>
    credentials.has(v.withdrawalCredentials.toLowerCase() as `0x${string}`),
  );
  debug(
    `The consensus node knows ${known.length} of them, ${ofVault.length} with the vault's withdrawal credentials`,
  );
  const selected = selectExits(ofVault, inputs.count);
  if (selected.length === 0) {
    output.line(`There are no active validators to exit for vault ${inputs.vault}.`);
    return;
  }
  // A wrong keystore password or an unreachable signer fails here, before the question.
  await signer.check(selected.slice(0, 1).map((v) => v.pubkey));
  const indexes = selected.map((v) => v.index).join(", ");
  if (!inputs.yes) {
    const answer = await ctx.prompter.ask(
      `Are you sure you want to exit ${selected.length} validators with indexes: ${indexes}? [y/N]`,
    );
    if (!/^y(es)?$/i.test(answer.trim())) {
      output.line("Aborted: no exit was submitted.");
      return;
    }
  }

  const results = await submitExits({
    validators: selected.map((v) => ({ index: v.index, publicKey: v.pubkey })),
    signer,
    consensus,
    network: inputs.network,
    signal: ctx.signal,
    onResult: (result) => {
      if (result.outcome === "rejected") {
        output.line(`The exit of validator ${result.index} was rejected: ${result.reason}`);
      } else {
        debug(`The exit of validator ${result.index} was submitted`);
      }
    },
  });
  const submitted = results.filter((r) => r.outcome === "submitted").map((r) => r.index);
  const rejected = results.filter((r) => r.outcome === "rejected").map((r) => r.index);
  if (submitted.length > 0) output.line(`Validators ${submitted.join(", ")} exits successfully initiated`);
  if (rejected.length > 0) {
    throw new OperatorError(
      `${rejected.length} of ${results.length} exits were rejected by the consensus node (validators ${rejected.join(", ")})`,
    );
  }
}
