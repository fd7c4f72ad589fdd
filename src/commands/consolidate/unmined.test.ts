import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ConsolidationRefusedError } from "./checks.ts";
import { checkNothingUnmined } from "./unmined.ts";

const WALLET = "0x1111111111111111111111111111111111111111";

describe("checkNothingUnmined", () => {
  it("lets a wallet with nothing in the mempool through", () => {
    checkNothingUnmined({ wallet: WALLET, latest: 7, pending: 7 });
  });

  it("refuses while a transaction of the wallet waits to be mined, naming the count and the way out", () => {
    assert.throws(
      () => checkNothingUnmined({ wallet: WALLET, latest: 7, pending: 8 }),
      (error: unknown) =>
        error instanceof ConsolidationRefusedError &&
        error.message.includes(WALLET) &&
        /1 transaction\(s\) not mined yet/.test(error.message) &&
        /wait until they are mined, then run consolidate again/.test(error.message),
    );
  });
});
