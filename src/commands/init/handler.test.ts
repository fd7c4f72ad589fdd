import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { deriveValidatorKey } from "../../crypto/bls-keys.ts";
import { mnemonicToSeed, parseMnemonic } from "../../crypto/mnemonic.ts";
import { toPrefixedHex } from "../../lib/hex.ts";
import type { AskOptions, Output, Prompter } from "../../lib/terminal.ts";
import { runInit } from "./handler.ts";

const VAULT = "0x3320ad928c20187602a2b2c04eeaa813fa899468";

/** A terminal user who answers the prompts in order and retypes the mnemonic after one typo. */
function scriptedUser(answers: string[]) {
  const lines: string[] = [];
  const asked: Array<{ message: string; options: AskOptions | undefined }> = [];
  let paused = 0;
  let cleared = 0;
  const output: Output = { line: (text = "") => lines.push(text), write: () => {}, isTTY: true };
  const shownMnemonic = () =>
    lines[lines.indexOf(lines.find((l) => l.startsWith("This is your seed")) ?? "") + 2];
  let typo = true;
  const prompter: Prompter = {
    interactive: true,
    async ask(message, options) {
      asked.push({ message, options });
      if (message.startsWith("Please type your mnemonic")) {
        if (typo) {
          typo = false;
          return "wrong words";
        }
        return ` ${(shownMnemonic() ?? "").toUpperCase()} `;
      }
      const answer = answers.shift();
      if (answer === undefined) throw new Error(`unexpected prompt: ${message}`);
      return answer === "<enter>" ? (options?.default ?? "") : answer;
    },
    async pause() {
      paused++;
    },
    clearScreen() {
      cleared++;
    },
  };
  return { output, prompter, lines, asked, counts: () => ({ paused, cleared }), shownMnemonic };
}

describe("runInit on a terminal", () => {
  it("prompts like the seed session, re-asks a bad address, confirms the mnemonic and writes config.json", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "init-handler-"));
    try {
      const user = scriptedUser(["<enter>", "0x3320ad928c20187602a2b2c04eeaa813fa89946", VAULT, "<enter>"]);
      await runInit(
        { verify: true, dataDir },
        { output: user.output, prompter: user.prompter, signal: new AbortController().signal },
      );

      assert.deepEqual(
        user.asked.map((a) => a.message.split(" (")[0]),
        [
          "Enter the network name",
          "Enter your vault address",
          "Enter your vault address",
          "Choose your mnemonic language",
          "Please type your mnemonic",
          "Please type your mnemonic",
        ],
      );
      assert.equal(user.asked[0]?.options?.default, "mainnet");
      assert.equal(user.asked[3]?.options?.default, "english");
      assert.ok(
        user.lines.some((l) => l.startsWith("Error: --vault")),
        "a bad address is explained, then asked again",
      );
      assert.ok(user.lines.includes("The mnemonic you typed does not match. Please try again."));
      assert.ok(user.lines.includes("done."));
      assert.deepEqual(user.counts(), { paused: 1, cleared: 1 });

      const mnemonic = user.shownMnemonic() as string;
      assert.equal(mnemonic.split(" ").length, 24);
      const config = JSON.parse(await readFile(join(dataDir, VAULT, "config.json"), "utf8"));
      assert.deepEqual(config, {
        network: "mainnet",
        mnemonic_next_index: 0,
        first_public_key: toPrefixedHex(
          deriveValidatorKey(mnemonicToSeed(parseMnemonic(mnemonic)), 0).publicKey,
        ),
      });
      assert.equal(
        user.lines.at(-1),
        "Successfully initialized configuration for vault 0x3320ad928c20187602a2B2C04EeAa813fA899468",
      );
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
