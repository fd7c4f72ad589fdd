import { vaultPaths, writeVaultConfig } from "../../config/data-dir.ts";
import type { NetworkName } from "../../config/networks.ts";
import { deriveValidatorKey } from "../../crypto/bls-keys.ts";
import {
  createMnemonic,
  MNEMONIC_LANGUAGES,
  type MnemonicLanguage,
  mnemonicToSeed,
} from "../../crypto/mnemonic.ts";
import { UserInputError } from "../../lib/errors.ts";
import { makeDirs, pathExists } from "../../lib/fs.ts";
import { toPrefixedHex } from "../../lib/hex.ts";
import { resolveInput } from "../../lib/terminal.ts";
import type { CommandContext } from "../context.ts";
import { askNetwork, askVault, checkWritableDir } from "../inputs.ts";
import { mnemonicLanguageValue } from "./options.ts";

export interface InitOptions {
  network?: NetworkName;
  vault?: `0x${string}`;
  language?: MnemonicLanguage;
  /** False with --no-verify. */
  verify: boolean;
  dataDir: string;
}

/** `operator init`: a new mnemonic and the vault's config.json. */
export async function runInit(options: InitOptions, ctx: CommandContext): Promise<void> {
  const { output, prompter } = ctx;
  // First: a data dir that cannot be written fails before any question. Nothing is created until
  // config.json is written, so a failure or Ctrl-C before that leaves no empty directory.
  const dataDir = await checkWritableDir(options.dataDir);
  const network = await askNetwork(ctx, options.network, options.dataDir);
  const vault = await askVault(ctx, options.vault);
  const language = await resolveInput<MnemonicLanguage>(
    prompter,
    {
      value: options.language,
      flag: "--language",
      envVar: "LANGUAGE",
      prompt: `Choose your mnemonic language (${MNEMONIC_LANGUAGES.join(", ")})`,
      default: "english",
      parse: mnemonicLanguageValue,
    },
    output,
  );
  if (options.verify && !prompter.interactive) {
    throw new UserInputError(
      "cannot confirm the mnemonic without a terminal: run init in a terminal, or pass --no-verify and store the printed mnemonic safely",
    );
  }

  const paths = vaultPaths(options.dataDir, vault);
  if (await pathExists(paths.configFile)) {
    throw new UserInputError(
      `vault ${vault} is already initialized (${paths.configFile} exists): use another --data-dir, or "operator recover" to rebuild it`,
    );
  }

  const mnemonic = createMnemonic(language);
  output.line(
    "This is your seed phrase. Write it down and store it safely, it is the ONLY way to recover your validator keys.",
  );
  output.line();
  output.line(mnemonic);
  output.line();

  if (options.verify) {
    await prompter.pause("Press any key when you have written down your mnemonic.");
    prompter.clearScreen();
    const expected = normaliseWords(mnemonic);
    for (;;) {
      const typed = await prompter.ask(
        "Please type your mnemonic (separated by spaces) to confirm you have written it down\n",
      );
      if (normaliseWords(typed) === expected) break;
      output.line("The mnemonic you typed does not match. Please try again.");
    }
    output.line("done.");
  }

  const seed = mnemonicToSeed(mnemonic);
  const firstPublicKey = toPrefixedHex(deriveValidatorKey(seed, 0).publicKey);
  seed.fill(0);
  await makeDirs(dataDir, { mode: 0o700 });
  await writeVaultConfig(paths, {
    network: network.name,
    mnemonic_next_index: 0,
    first_public_key: firstPublicKey,
  });
  output.line(`Successfully initialized configuration for vault ${vault}`);
}

function normaliseWords(text: string): string {
  return text.normalize("NFKD").trim().toLowerCase().split(/\s+/u).join(" ");
}
