import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { MissingInputError, UserInputError } from "./errors.ts";
import {
  type AskOptions,
  type InputSpec,
  nonInteractivePrompter,
  type Output,
  type Prompter,
  resolveInput,
} from "./terminal.ts";
import { InvalidValueError } from "./values.ts";

class FakeOutput implements Output {
  readonly lines: string[] = [];
  readonly written: string[] = [];
  readonly isTTY: boolean;
  constructor(isTTY = false) {
    this.isTTY = isTTY;
  }
  line(text = ""): void {
    this.lines.push(text);
  }
  write(text: string): void {
    this.written.push(text);
  }
}

class FakePrompter implements Prompter {
  readonly interactive: boolean;
  readonly asked: Array<{ message: string; options: AskOptions | undefined }> = [];
  private readonly answers: string[];
  constructor(interactive: boolean, answers: string[] = []) {
    this.interactive = interactive;
    this.answers = [...answers];
  }
  ask(message: string, options?: AskOptions): Promise<string> {
    this.asked.push({ message, options });
    const answer = this.answers.shift();
    if (answer === undefined) return Promise.reject(new Error("test prompter ran out of answers"));
    return Promise.resolve(answer);
  }
  pause(): Promise<void> {
    return Promise.resolve();
  }
  clearScreen(): void {}
}

/** Accepts whole numbers only. */
const parseCount = (text: string): number => {
  if (!/^\d+$/.test(text)) throw new InvalidValueError("is not a whole number");
  return Number(text);
};

function spec(overrides: Partial<InputSpec<number>> = {}): InputSpec<number> {
  return {
    value: undefined,
    flag: "--count",
    envVar: "COUNT",
    prompt: "How many keys",
    parse: parseCount,
    ...overrides,
  };
}

describe("resolveInput", () => {
  it("takes a given (already parsed) value without prompting", async () => {
    const prompter = new FakePrompter(true, ["99"]);
    const output = new FakeOutput();
    assert.equal(await resolveInput(prompter, spec({ value: 5 }), output), 5);
    assert.equal(prompter.asked.length, 0);
    assert.deepEqual(output.lines, []);
  });

  it("prefers a given value over the default", async () => {
    const result = await resolveInput(
      new FakePrompter(false),
      spec({ value: 2, default: "1" }),
      new FakeOutput(),
    );
    assert.equal(result, 2);
  });

  it("refuses a bad default with the flag named", async () => {
    await assert.rejects(
      resolveInput(new FakePrompter(false), spec({ default: "x" }), new FakeOutput()),
      (error: unknown) =>
        error instanceof UserInputError && error.message === "--count x is not a whole number",
    );
  });

  it("fails with a MissingInputError naming the flag and env var when no terminal is attached", async () => {
    await assert.rejects(
      resolveInput(new FakePrompter(false), spec(), new FakeOutput()),
      (error: unknown) => {
        assert.ok(error instanceof MissingInputError);
        assert.match(error.message, /--count/);
        assert.match(error.message, /COUNT/);
        return true;
      },
    );
  });

  it("names only the flag when the input has no env var", async () => {
    const { envVar: _envVar, ...withoutEnv } = spec();
    await assert.rejects(
      resolveInput(new FakePrompter(false), withoutEnv, new FakeOutput()),
      (error: unknown) => {
        assert.ok(error instanceof MissingInputError);
        assert.match(error.message, /missing --count: pass --count \(/);
        return true;
      },
    );
  });

  it("uses the default when no terminal is attached", async () => {
    const prompter = new FakePrompter(false);
    assert.equal(await resolveInput(prompter, spec({ default: "1" }), new FakeOutput()), 1);
    assert.equal(prompter.asked.length, 0);
  });

  it("works with the shared nonInteractivePrompter", async () => {
    assert.equal(await resolveInput(nonInteractivePrompter, spec({ default: "3" }), new FakeOutput()), 3);
    await assert.rejects(resolveInput(nonInteractivePrompter, spec(), new FakeOutput()), MissingInputError);
  });

  it("prompts when interactive and returns the parsed answer", async () => {
    const prompter = new FakePrompter(true, ["4"]);
    const output = new FakeOutput();
    assert.equal(await resolveInput(prompter, spec(), output), 4);
    assert.deepEqual(prompter.asked, [{ message: "How many keys", options: {} }]);
    assert.deepEqual(output.lines, []);
  });

  it("asks again after an invalid answer and prints the error", async () => {
    const prompter = new FakePrompter(true, ["many", "", "12"]);
    const output = new FakeOutput();
    assert.equal(await resolveInput(prompter, spec(), output), 12);
    assert.equal(prompter.asked.length, 3);
    assert.deepEqual(output.lines, [
      "Error: --count many is not a whole number",
      'Error: --count "" is not a whole number',
    ]);
  });

  it("never shows a refused hidden answer", async () => {
    const prompter = new FakePrompter(true, ["secret words", "3"]);
    const output = new FakeOutput();
    assert.equal(await resolveInput(prompter, spec({ hidden: true }), output), 3);
    assert.deepEqual(output.lines, ["Error: --count is not a whole number"]);
  });

  it("passes the default and hidden options to the prompter", async () => {
    const prompter = new FakePrompter(true, ["1"]);
    await resolveInput(
      prompter,
      spec({ default: "10", hidden: true, prompt: "Secret count" }),
      new FakeOutput(),
    );
    assert.deepEqual(prompter.asked, [{ message: "Secret count", options: { default: "10", hidden: true } }]);
  });

  it("does not pass hidden: false to the prompter", async () => {
    const prompter = new FakePrompter(true, ["1"]);
    await resolveInput(prompter, spec({ hidden: false }), new FakeOutput());
    assert.deepEqual(prompter.asked[0]?.options, {});
  });
});

describe("nonInteractivePrompter", () => {
  it("is not interactive and rejects every question", async () => {
    assert.equal(nonInteractivePrompter.interactive, false);
    await assert.rejects(nonInteractivePrompter.ask("Anything"), MissingInputError);
    await nonInteractivePrompter.pause("Press a key");
  });
});
