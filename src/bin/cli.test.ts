import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { InterruptedError } from "../lib/errors.ts";
import { interruptedMessage } from "./cli.ts";

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
