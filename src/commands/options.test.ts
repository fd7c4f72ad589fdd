import assert from "node:assert/strict";
import { afterEach, describe, it } from "node:test";
import { Command } from "commander";
import { createProgram } from "../bin/program.ts";
import { UserInputError } from "../lib/errors.ts";
import { wholeNumber } from "../lib/values.ts";
import { addBooleanFlag, mnemonicOption, optionValueError, valueOption } from "./options.ts";

const MNEMONIC = "legal winner thank year wave sausage worth useful legal winner thank yellow";
const ENV = ["TEST_PORT", "TEST_FLAG", "MNEMONIC"];

/** A command with a port option, a boolean flag and --mnemonic; returns what the action saw. */
async function parse(args: string[], env: Record<string, string> = {}) {
  for (const name of ENV) delete process.env[name];
  Object.assign(process.env, env);
  let seen: Record<string, unknown> | undefined;
  const command = new Command("test")
    .exitOverride()
    .configureOutput({ outputError: () => {} })
    .addOption(
      valueOption("--port <n>", "A port.", wholeNumber("a port", 1, 65535))
        .env("TEST_PORT")
        .default(9100),
    )
    .addOption(mnemonicOption("The mnemonic."));
  addBooleanFlag(command, "--flag", "A flag.", "TEST_FLAG");
  await command
    .action((options: Record<string, unknown>) => {
      seen = options;
    })
    .parseAsync(args, { from: "user" });
  return seen;
}

describe("valueOption", () => {
  afterEach(() => {
    for (const name of ENV) delete process.env[name];
  });

  it("hands the action the parsed value, from the flag, the env var or the default", async () => {
    assert.equal((await parse(["--port", "8080"]))?.port, 8080);
    assert.equal((await parse([], { TEST_PORT: "8081" }))?.port, 8081);
    assert.equal((await parse([]))?.port, 9100);
    assert.equal(
      (await parse(["--port", "8082"], { TEST_PORT: "x" }))?.port,
      8082,
      "the flag wins, the env var is not read",
    );
  });

  it("refuses a bad value naming the flag, or the env var it came from", async () => {
    await assert.rejects(parse(["--port", "99999"]), {
      name: "UserInputError",
      message: "--port 99999 is not a port: use a whole number from 1 to 65535",
    });
    await assert.rejects(parse([], { TEST_PORT: "99999" }), {
      name: "UserInputError",
      message: 'TEST_PORT="99999" (for --port) is not a port: use a whole number from 1 to 65535',
    });
  });

  it("never shows a secret value", async () => {
    const typo = MNEMONIC.replace("sausage", "sausagex");
    await assert.rejects(parse(["--mnemonic", typo]), (error: unknown) => {
      assert.ok(error instanceof UserInputError);
      assert.match(error.message, /^--mnemonic has a typo: word 6 /);
      assert.ok(!error.message.includes("winner"));
      return true;
    });
    await assert.rejects(parse([], { MNEMONIC: typo }), /MNEMONIC \(for --mnemonic\) has a typo/);
    assert.deepEqual((await parse([], { MNEMONIC }))?.mnemonic, { phrase: MNEMONIC, language: "english" });
  });

  it("a boolean env var that is not a boolean names the variable and the flag", async () => {
    assert.equal((await parse([], { TEST_FLAG: "yes" }))?.flag, true);
    await assert.rejects(parse([], { TEST_FLAG: "maybe" }), {
      message: 'TEST_FLAG="maybe" (for --flag) is not a boolean: use true or false',
    });
  });

  it("optionValueError names the option the way its value came", async () => {
    const command = new Command("x").addOption(
      valueOption("--port <n>", "", wholeNumber("a port", 1)).env("TEST_PORT"),
    );
    command.setOptionValueWithSource("port", 5, "cli");
    assert.equal(optionValueError(command, "port", "is too big").message, "--port 5 is too big");
    command.setOptionValueWithSource("port", 5, "env");
    assert.equal(
      optionValueError(command, "port", "is too big").message,
      'TEST_PORT="5" (for --port) is too big',
    );
  });
});

describe("every command", () => {
  it("has the same -v/--verbose", () => {
    const program = createProgram(() => ({}) as never);
    const verbose = program.commands.map((command) => {
      const option = command.options.find((o) => o.long === "--verbose");
      return `${command.name()}: ${option?.flags} ${option?.description}`;
    });
    const expected = program.commands.map(
      (command) =>
        `${command.name()}: -v, --verbose Print the causes of an error (and debug output, where the command has it). (env: VERBOSE)`,
    );
    assert.deepEqual(verbose, expected);
    assert.ok(verbose.length >= 11);
  });
});
