import { formatGwei, type Hex } from "viem";
import { UserInputError } from "../../lib/errors.ts";
import { registeredValidators } from "../../ssv/cluster-state.ts";
import { parseOperatorPublicKey } from "../../ssv/keyshares/operator-public-key.ts";
import { ssvRegistrationDeps } from "../../ssv/registration/chain-deps.ts";
import { planLines } from "../../ssv/registration/plan.ts";
import { blocksPerDayOf, prepareSsvRegistration } from "../../ssv/registration/prepare.ts";
import { sendSsvRegistration } from "../../ssv/registration/send.ts";
import { readEnvironmentVaultKeys, type VaultKey } from "../../ssv/vault-keys.ts";
import type { CommandContext } from "../context.ts";
import type { SsvEnvironmentOptionValues } from "./environment-options.ts";
import type { SsvRegisterOptionValues } from "./register-options.ts";
import { selectionOptions } from "./selection-options.ts";
import { openSsvSession, ownerFunds } from "./session.ts";

export interface RegisterOptions extends SsvEnvironmentOptionValues, SsvRegisterOptionValues {
  publicKeys?: Hex[];
  count?: number;
  dryRun: boolean;
  /** False with --no-confirm. */
  confirm: boolean;
  verbose?: boolean;
}

/**
 * `operator ssv register`: the vault's keys not on SSV → one cluster (selected, or an existing
 * healthy one reused), funded for --runway-days; the plan is printed, confirmed and sent through
 * the journaled TransactionSender. --dry-run opens nothing that can send (no wallet password).
 * Every refusal happens before the first transaction.
 */
export async function runSsvRegister(options: RegisterOptions, ctx: CommandContext): Promise<void> {
  if (options.publicKeys && options.count !== undefined) {
    throw new UserInputError("both --public-keys and --count are given: pass only one of them");
  }
  if (!options.dryRun && options.confirm && !ctx.prompter.interactive) {
    throw new UserInputError(
      "ssv register asks for confirmation and no terminal is attached: pass --no-confirm to send without the prompt, or --dry-run to see the plan",
    );
  }
  const session = await openSsvSession(ctx, options, {
    mode: options.dryRun ? "read" : "send",
    pinned: options.operatorIds ?? [],
  });
  const { env, reading } = session;
  try {
    const vaultKeys = await readEnvironmentVaultKeys(env, {
      depositDataFile: session.depositDataFile,
      onSsv: new Set(registeredValidators(reading.state)),
      prepareKeys: options.prepareKeys,
      signal: ctx.signal,
    });
    const keys = keysToRegister(vaultKeys, options);
    if (keys.length === 0) {
      ctx.output.line(
        "Nothing to register: every key registered on the vault and the next --prepare-keys keys are on SSV already",
      );
      return;
    }
    const prepared = prepareSsvRegistration({
      owner: env.owner,
      era: reading.reader.era,
      keys,
      candidates: reading.candidates,
      state: reading.state,
      params: reading.params,
      selection: selectionOptions(options, env.network.secondsPerSlot),
      balances: reading.balances,
      runwayDays: options.runwayDays,
      blocksPerDay: blocksPerDayOf(env.network.secondsPerSlot),
      funds: await ownerFunds(env, reading.reader, env.owner),
    });
    const { plan, selection, funding } = prepared;
    // An operator key that does not parse is refused here, before anything is sent.
    const operators = selection.operators.map((o) => ({
      id: o.id,
      publicKey: parseOperatorPublicKey(o.publicKey ?? "", o.id),
    }));
    const gasPrice = await env.execution.getGasPrice();
    for (const line of planLines(plan, selection.explanation)) ctx.output.line(line);
    ctx.output.line(
      `Runway: ${options.runwayDays} days at a burn rate of ${funding.burnRate} per block, plus the liquidation reserve ${funding.reserve}`,
    );
    ctx.output.line(`Owner nonce: ${plan.chunks[0]?.firstNonce}; gas price now ${formatGwei(gasPrice)} gwei`);
    if (options.dryRun) {
      ctx.output.line("Dry run: nothing was sent.");
      return;
    }
    if (options.confirm) {
      const answer = await ctx.prompter.ask("Send these transactions? [Y/n]");
      if (/^n(o)?$/i.test(answer.trim())) {
        ctx.output.line("Aborted: nothing was sent.");
        return;
      }
    }
    const result = await sendSsvRegistration(
      plan,
      ssvRegistrationDeps(env, { era: reading.reader.era, operators, state: reading.state }),
    );
    for (const hash of result.transactions) ctx.output.line(`Transaction mined: ${hash}`);
    for (const key of result.skipped) ctx.output.line(`Already on SSV (skipped): ${key}`);
    ctx.output.line(
      `Registered ${result.registered.length} ${result.registered.length === 1 ? "validator" : "validators"} on SSV in cluster ${plan.operatorIds.join(",")}`,
    );
  } finally {
    await env.close();
  }
}

/** --public-keys (vault keys not on SSV), --count N (the first N not on SSV), else due + next. */
function keysToRegister(vaultKeys: readonly VaultKey[], options: RegisterOptions): Hex[] {
  if (options.publicKeys) {
    const byKey = new Map(vaultKeys.map((k) => [k.publicKey.toLowerCase(), k]));
    return options.publicKeys.map((raw) => {
      const key = byKey.get(raw.toLowerCase());
      if (!key) {
        throw new UserInputError(
          `--public-keys: ${raw.slice(0, 14)}… is not a key of the vault's local keystores: pass keys from --keystores-dir`,
        );
      }
      if (key.class === "on-ssv" || key.class === "exited-on-ssv") {
        throw new UserInputError(`--public-keys: ${raw.slice(0, 14)}… is on SSV already`);
      }
      if (key.class === "exited") {
        throw new UserInputError(
          `--public-keys: ${raw.slice(0, 14)}… has exited: it has nothing to run on SSV`,
        );
      }
      return key.publicKey;
    });
  }
  if (options.count !== undefined) {
    const open = vaultKeys.filter((k) => k.class === "due" || k.class === "next" || k.class === "later");
    const ordered = [...open.filter((k) => k.class === "due"), ...open.filter((k) => k.class !== "due")];
    if (ordered.length < options.count) {
      throw new UserInputError(
        `--count ${options.count}: only ${ordered.length} keys of the vault are not on SSV: create more keys (operator create-keys) or pass a smaller --count`,
      );
    }
    return ordered.slice(0, options.count).map((k) => k.publicKey);
  }
  return vaultKeys.filter((k) => k.class === "due" || k.class === "next").map((k) => k.publicKey);
}
