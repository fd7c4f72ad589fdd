import { vaultPaths } from "../../config/data-dir.ts";
import { remoteSignerConfigFile } from "../../keys/remote-signer/config-file.ts";
import { assertKeymanagerReachable } from "../../keys/remote-signer/setup.ts";
import { SignerApi } from "../../keys/remote-signer/signer-api.ts";
import { runWholeKeySetup } from "../../keys/remote-signer/whole-key-setup.ts";
import { InterruptedError } from "../../lib/errors.ts";
import type { CommandContext } from "../context.ts";
import { askRemoteSignerUrl, askVault, findKeystores } from "../inputs.ts";

export interface SetupRemoteSignerOptions {
  vault?: `0x${string}`;
  remoteSignerUrl?: string;
  removeKeystores: boolean;
  dataDir: string;
  keystoresDir?: string;
  keystoresPasswordFile?: string;
  verbose?: boolean;
}

/** `operator setup-remote-signer`: the keystores, whole, into Web3Signer (spec §1.2, §4.3). */
export async function runSetupRemoteSignerCommand(
  options: SetupRemoteSignerOptions,
  ctx: CommandContext,
): Promise<void> {
  const { output, prompter, signal } = ctx;
  const vault = await askVault(ctx, options.vault);
  const url = await askRemoteSignerUrl(
    ctx,
    options.remoteSignerUrl,
    "Enter the URL of the remote signer (e.g. https://signer:9000)",
  );
  const paths = vaultPaths(options.dataDir, vault);
  const { index, keystoresDir, keystoresPasswordFile } = await findKeystores(options, paths.keystoresDir);
  const api = new SignerApi({ url });
  await assertKeymanagerReachable(api, signal);
  const debug = options.verbose ? (line: string) => output.line(`[debug] ${line}`) : undefined;
  await runWholeKeySetup({
    api,
    keystores: index.entries,
    configFile: remoteSignerConfigFile(paths.vaultDir),
    sharedPasswordFile: keystoresPasswordFile,
    removeKeystores: async () => {
      if (options.removeKeystores) return true;
      if (!prompter.interactive) {
        output.line(
          `Kept the local keystores in ${keystoresDir} (pass --remove-keystores to remove them once they are in the remote signer).`,
        );
        return false;
      }
      try {
        const answer = await prompter.ask("Remove local keystores? [y/N]");
        return /^y(es)?$/i.test(answer.trim());
      } catch (error) {
        // The keys are in the signer by now: say so, not "nothing was changed".
        if (!(error instanceof InterruptedError)) throw error;
        throw new InterruptedError(
          `the remote signer holds the ${index.size} keys; the local keystores in ${keystoresDir} were kept`,
          { cause: error },
        );
      }
    },
    report: (line) => output.line(line),
    ...(debug ? { debug } : {}),
    signal,
  });
}
