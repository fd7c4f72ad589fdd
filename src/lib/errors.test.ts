import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  ExitCode,
  errorChain,
  errorLine,
  exitCodeFor,
  InterruptedError,
  MissingInputError,
  OperatorError,
  UserInputError,
} from "./errors.ts";

describe("exitCodeFor", () => {
  it("maps errors to exit codes", () => {
    assert.equal(exitCodeFor(new InterruptedError()), ExitCode.interrupted);
    assert.equal(exitCodeFor(new InterruptedError()), 130);
    assert.equal(exitCodeFor(new OperatorError("rpc down", { retryable: true })), ExitCode.retryable);
    assert.equal(exitCodeFor(new OperatorError("rpc down", { retryable: true })), 75);
    assert.equal(exitCodeFor(new OperatorError("bad state")), ExitCode.fatal);
    assert.equal(exitCodeFor(new UserInputError("bad flag")), 1);
    assert.equal(exitCodeFor(new MissingInputError("--vault", "VAULT")), 1);
    assert.equal(exitCodeFor(new Error("bug")), 1);
    assert.equal(exitCodeFor("a string"), 1);
    assert.equal(exitCodeFor(undefined), 1);
  });

  it("has the documented exit code values", () => {
    assert.deepEqual(ExitCode, {
      ok: 0,
      fatal: 1,
      usage: 2,
      retryable: 75,
      interrupted: 130,
      brokenPipe: 141,
    });
  });
});

describe("OperatorError", () => {
  it("keeps the short message, details, cause and retryable flag", () => {
    const cause = new Error("socket hang up");
    const error = new OperatorError("cannot reach the RPC", {
      details: "url redacted",
      cause,
      retryable: true,
    });
    assert.equal(error.shortMessage, "cannot reach the RPC");
    assert.equal(error.message, "cannot reach the RPC (url redacted)");
    assert.equal(error.details, "url redacted");
    assert.equal(error.cause, cause);
    assert.equal(error.retryable, true);
    assert.equal(error.name, "OperatorError");
  });

  it("defaults to no details and not retryable", () => {
    const error = new OperatorError("x");
    assert.equal(error.message, "x");
    assert.equal(error.details, undefined);
    assert.equal(error.retryable, false);
  });

  it("forms a class hierarchy with names", () => {
    const missing = new MissingInputError("--vault", "VAULT");
    assert.ok(missing instanceof UserInputError);
    assert.ok(missing instanceof OperatorError);
    assert.ok(missing instanceof Error);
    assert.equal(missing.name, "MissingInputError");
    assert.equal(new UserInputError("x").name, "UserInputError");
    assert.equal(new InterruptedError().name, "InterruptedError");
    assert.ok(new InterruptedError() instanceof OperatorError);
  });
});

describe("InterruptedError", () => {
  it("says nothing was changed by default", () => {
    const error = new InterruptedError();
    assert.equal(error.outcome, "nothing was changed");
    assert.equal(error.shortMessage, "interrupted; nothing was changed");
  });

  it("carries what was already done and the cause", () => {
    const cause = new Error("aborted");
    const error = new InterruptedError("the exits of validators 1, 2 were submitted", { cause });
    assert.equal(error.outcome, "the exits of validators 1, 2 were submitted");
    assert.equal(error.shortMessage, "interrupted; the exits of validators 1, 2 were submitted");
    assert.equal(error.cause, cause);
    assert.equal(exitCodeFor(error), ExitCode.interrupted);
  });
});

describe("MissingInputError", () => {
  it("names the flag and the env var", () => {
    const error = new MissingInputError("--vault", "VAULT");
    assert.match(error.message, /missing --vault/);
    assert.match(error.message, /pass --vault or set VAULT/);
  });

  it("names only the flag when there is no env var", () => {
    const error = new MissingInputError("--mnemonic", undefined);
    assert.match(error.message, /missing --mnemonic: pass --mnemonic/);
    assert.doesNotMatch(error.message, /set /);
  });
});

describe("errorChain", () => {
  it("lists the error and its causes, outermost first", () => {
    const root = new Error("ECONNREFUSED");
    const middle = new TypeError("fetch failed", { cause: root });
    const top = new OperatorError("node down", { cause: middle });
    assert.deepEqual(errorChain(top), [top, middle, root]);
    assert.deepEqual(errorChain("text"), ["text"]);
    assert.deepEqual(errorChain(undefined), []);
  });

  it("cuts a cycle", () => {
    const a = new Error("a");
    const b = new Error("b", { cause: a });
    a.cause = b;
    assert.deepEqual(errorChain(a), [a, b]);
  });
});

describe("errorLine", () => {
  it("gives an OperatorError's message with its details", () => {
    assert.equal(
      errorLine(new OperatorError("no node", { details: "http://a: refused" })),
      "no node (http://a: refused)",
    );
  });

  it("gives a viem-style error's short message and first details line, never its request body", () => {
    const error = Object.assign(
      new Error(
        'HTTP request failed.\n\nURL: http://x\nRequest body: {"method":"eth_chainId"}\n\nDetails: Not Found',
      ),
      { shortMessage: "HTTP request failed.", details: "Not Found\n<html>" },
    );
    assert.equal(errorLine(error), "HTTP request failed: Not Found");
  });

  it("unquotes a response body viem keeps as a JSON string, and does not repeat a wrapped cause", () => {
    const html = Object.assign(new Error("HTTP request failed."), {
      shortMessage: "HTTP request failed.",
      details: JSON.stringify("<!DOCTYPE HTML>\n<html><title>Error response</title></html>"),
    });
    assert.equal(errorLine(html), "HTTP request failed: <!DOCTYPE HTML>");
    const wrapper = Object.assign(new Error("every execution endpoint failed (http://a refused)"), {
      shortMessage: "every execution endpoint failed",
      details: "every execution endpoint failed (http://a refused)",
    });
    assert.equal(errorLine(wrapper), "every execution endpoint failed (http://a refused)");
  });

  it("gives the first line of any other error, cut when long", () => {
    assert.equal(errorLine(new Error("first\nsecond")), "first");
    assert.equal(errorLine(new Error("x".repeat(1000))).length, 300);
    assert.equal(errorLine("plain"), "plain");
  });
});
