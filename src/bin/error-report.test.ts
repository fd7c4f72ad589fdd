import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { InterruptedError, OperatorError, UserInputError } from "../lib/errors.ts";
import { errorReport, interruptedMessage } from "./error-report.ts";

describe("errorReport", () => {
  const cause = Object.assign(new TypeError("fetch failed"), {
    cause: Object.assign(new Error("connect ECONNREFUSED http://user:hunter2@127.0.0.1:1/key"), {
      code: "ECONNREFUSED",
    }),
  });
  const error = new OperatorError("no execution endpoint is ready", {
    details: "http://127.0.0.1:1: connection refused",
    cause,
  });

  it("prints the message with its details, one line", () => {
    assert.deepEqual(errorReport(error, false), [
      "Error: no execution endpoint is ready (http://127.0.0.1:1: connection refused)",
    ]);
    assert.deepEqual(errorReport(new UserInputError("a\n  b"), false), ["Error: a b"]);
  });

  it("with verbose, one line per cause, credentials masked", () => {
    const lines = errorReport(error, true);
    assert.deepEqual(lines, [
      "Error: no execution endpoint is ready (http://127.0.0.1:1: connection refused)",
      "  caused by: TypeError: fetch failed",
      "  caused by: Error: connect ECONNREFUSED http://***@127.0.0.1:1/***",
    ]);
    assert.ok(!lines.join("\n").includes("hunter2"));
  });

  it("an unexpected error is a bug; verbose adds its stack and causes", () => {
    const bug = new TypeError("x is not a function", { cause: new Error("inner") });
    assert.deepEqual(errorReport(bug, false), [
      "Unexpected error: x is not a function",
      "This is a bug in vault-operator; please report it with the command you ran (without secrets).",
    ]);
    const verbose = errorReport(bug, true);
    assert.match(verbose[2] ?? "", /^ {2}at /);
    assert.equal(verbose.at(-1), "  caused by: Error: inner");
  });

  it("an interruption says what was done", () => {
    assert.deepEqual(errorReport(new InterruptedError(), true), ["Interrupted: nothing was changed."]);
  });
});

describe("interruptedMessage", () => {
  it("says nothing was changed for a plain interruption or a raw abort error", () => {
    assert.equal(interruptedMessage(new InterruptedError()), "Interrupted: nothing was changed.");
    assert.equal(
      interruptedMessage(new DOMException("This operation was aborted", "AbortError")),
      "Interrupted: nothing was changed.",
    );
  });

  it("says what was already done when the interruption carries it", () => {
    const error = new InterruptedError(
      "the exits of validators 1, 2 were submitted; the exit of validator 3 was not submitted",
    );
    assert.equal(
      interruptedMessage(error),
      "Interrupted: the exits of validators 1, 2 were submitted; the exit of validator 3 was not submitted.",
    );
  });
});
