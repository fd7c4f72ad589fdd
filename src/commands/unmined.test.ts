import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkNothingUnmined, UnminedTransactionsError } from "./unmined.ts";

const WALLET = "0x1111111111111111111111111111111111111111";

describe("checkNothingUnmined", () => {
  it("lets a wallet with nothing in the mempool through", () => {
    checkNothingUnmined({ wallet: WALLET, latest: 7, pending: 7 }, "a consolidation", "consolidate");
  });

  it("refuses while a transaction of the wallet waits to be mined, naming the count and the way out", () => {
    assert.throws(
      () =>
        checkNothingUnmined({ wallet: WALLET, latest: 7, pending: 8 }, "an exit request", "exit-validators"),
      (error: unknown) =>
        error instanceof UnminedTransactionsError &&
        error.message.includes(WALLET) &&
        /1 transaction\(s\) not mined yet, perhaps an exit request sent before/.test(error.message) &&
        /wait until they are mined, then run exit-validators again/.test(error.message),
    );
  });
});
