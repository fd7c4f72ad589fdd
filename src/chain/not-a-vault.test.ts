import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { OperatorError, UserInputError } from "../lib/errors.ts";
import { Multicall3Error } from "./aggregate3.ts";
import { vaultReadError } from "./not-a-vault.ts";

const VAULT = "0x000000000000000000000000000000000000dEaD";

describe("vaultReadError", () => {
  it("keeps the cause's first line in the message, with the usual fix", () => {
    const cause = new OperatorError("execution node answered 502\nat http://node");
    const error = vaultReadError(VAULT, "devnet", cause);
    assert.ok(error instanceof UserInputError);
    assert.equal(
      error.message,
      `${VAULT} does not answer like a vault on devnet (execution node answered 502): check --vault and --network`,
    );
    assert.equal(error.cause, cause);
  });

  it("passes a missing Multicall3 through: --vault is not what to check", () => {
    const cause = new Multicall3Error(
      'network devnet has no Multicall3 address: add "multicall3" to its network file',
    );
    assert.equal(vaultReadError(VAULT, "devnet", cause), cause);
  });

  it("passes bad input through: it already names its fix", () => {
    const cause = new UserInputError("vault is version 5 but does not answer validatorsManager()");
    assert.equal(vaultReadError(VAULT, "devnet", cause), cause);
  });

  it("reads viem's shortMessage and plain values", () => {
    const viemLike = Object.assign(new Error("long\nstory"), { shortMessage: "execution reverted" });
    assert.match(vaultReadError(VAULT, "hoodi", viemLike).message, /\(execution reverted\)/);
    assert.match(vaultReadError(VAULT, "hoodi", "odd").message, /\(odd\)/);
  });
});
