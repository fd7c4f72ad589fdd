import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { InterruptedError } from "../lib/errors.ts";
import { nonInteractivePrompter } from "../lib/terminal.ts";
import type { CommandContext } from "./context.ts";
import { loadHandler, loadServiceHandler } from "./load-handler.ts";

const handler = { runX: async () => {} };

function contextWith(signal: AbortSignal): CommandContext {
  return {
    output: { line: () => {}, write: () => {}, isTTY: false },
    prompter: nonInteractivePrompter,
    signal,
  };
}

/** A module that is still loading when the stop signal comes. */
function loadingUntilStopped(stop: AbortController): Promise<typeof handler> {
  return Promise.resolve().then(() => {
    stop.abort();
    return handler;
  });
}

describe("loadHandler", () => {
  it("gives the loaded module", async () => {
    assert.equal(
      await loadHandler(Promise.resolve(handler), contextWith(new AbortController().signal)),
      handler,
    );
  });

  it("a stop signal while the module loads: the command does not start, nothing was changed", async () => {
    const stop = new AbortController();
    await assert.rejects(loadHandler(loadingUntilStopped(stop), contextWith(stop.signal)), (error) => {
      assert.ok(error instanceof InterruptedError);
      assert.equal(error.outcome, "nothing was changed");
      return true;
    });
  });
});

describe("loadServiceHandler", () => {
  it("gives the loaded module, or nothing when a stop signal came while it loaded (a service's normal end)", async () => {
    const running = contextWith(new AbortController().signal);
    assert.equal(await loadServiceHandler(Promise.resolve(handler), running), handler);
    const stop = new AbortController();
    assert.equal(await loadServiceHandler(loadingUntilStopped(stop), contextWith(stop.signal)), undefined);
  });
});
