import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { withdrawalsDue } from "./withdrawals-due.ts";

describe("withdrawalsDue", () => {
  it("is due without a previous submission, and once the interval has passed since the last one", () => {
    const intervalSeconds = 43_200;
    assert.equal(withdrawalsDue({ lastSubmittedAt: undefined, now: 1000, intervalSeconds }), true);
    assert.equal(
      withdrawalsDue({ lastSubmittedAt: 1000, now: 1000 + intervalSeconds, intervalSeconds }),
      false,
    );
    assert.equal(
      withdrawalsDue({ lastSubmittedAt: 1000, now: 1001 + intervalSeconds, intervalSeconds }),
      true,
    );
  });
});
