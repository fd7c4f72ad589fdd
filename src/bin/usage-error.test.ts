import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CommanderError } from "commander";
import { createProgram } from "./program.ts";
import { usageError } from "./usage-error.ts";

/** The usage line for `args`, from the real command tree. */
async function usageOf(args: string[]): Promise<string> {
  const program = createProgram(() => {
    throw new Error("no action may run");
  });
  try {
    await program.parseAsync(args, { from: "user" });
  } catch (error) {
    assert.ok(error instanceof CommanderError, String(error));
    return usageError(error);
  }
  assert.fail("parsed");
}

describe("usageError", () => {
  it("suggests the closest command without repeating the typed word", async () => {
    assert.equal(
      await usageOf(["inti"]),
      "unknown command: did you mean init? (run operator --help for the list of commands)",
    );
    assert.equal(
      await usageOf(["sausage"]),
      "unknown command (run operator --help for the list of commands)",
      "no suggestion, and a word that may be a mnemonic's is not shown",
    );
  });

  it("suggests the closest option, naming the flag but not its value", async () => {
    assert.equal(
      await usageOf(["init", "--vaul", "0x1"]),
      "unknown option --vaul: did you mean --vault? (run with --help for usage)",
    );
    assert.equal(
      await usageOf(["create-keys", "--mnemonik", "legal winner thank year"]),
      "unknown option --mnemonik: did you mean --mnemonic? (run with --help for usage)",
    );
    // In the --flag=value form commander has no suggestion; the value is not shown.
    assert.equal(
      await usageOf(["create-keys", "--mnemonik=legal winner thank year"]),
      "unknown option --mnemonik (run with --help for usage)",
    );
    assert.equal(
      await usageOf(["remote-db", "setup", "--db-ulr", "x"]),
      "unknown option --db-ulr: did you mean --db-url? (run with --help for usage)",
    );
  });

  it("never repeats stray arguments", async () => {
    const line = await usageOf(["init", "legal", "winner", "thank"]);
    assert.match(line, /^unexpected extra arguments: quote values/);
    assert.doesNotMatch(line, /winner/);
  });

  it("keeps commander's other messages on one line", async () => {
    assert.equal(
      await usageOf(["init", "--vault"]),
      "option '--vault <address>' argument missing (run with --help for usage)",
    );
  });
});
