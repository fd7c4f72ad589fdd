import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { quietCommandContext } from "../../test/support/command-context.ts";
import { InterruptedError } from "../lib/errors.ts";
import { loadHandler, loadServiceHandler } from "./load-handler.ts";

const handler = { runX: async () => {} };

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
      await loadHandler(Promise.resolve(handler), quietCommandContext(new AbortController().signal)),
      handler,
    );
  });

  it("a stop signal while the module loads: the command does not start, nothing was changed", async () => {
    const stop = new AbortController();
    await assert.rejects(
      loadHandler(loadingUntilStopped(stop), quietCommandContext(stop.signal)),
      (error) => {
        assert.ok(error instanceof InterruptedError);
        assert.equal(error.outcome, "nothing was changed");
        return true;
      },
    );
  });
});

describe("loadServiceHandler", () => {
  it("gives the loaded module, or nothing when a stop signal came while it loaded (a service's normal end)", async () => {
    const running = quietCommandContext(new AbortController().signal);
    assert.equal(await loadServiceHandler(Promise.resolve(handler), running), handler);
    const stop = new AbortController();
    assert.equal(
      await loadServiceHandler(loadingUntilStopped(stop), quietCommandContext(stop.signal)),
      undefined,
    );
  });
});
