import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { chooseFlow } from "./choose-flow.ts";

const WALLET = "0xaBcDef0123456789abCDef0123456789aBCdeF01";
// Mainnet's DepositDataRegistry (spec §8).
const REGISTRY = "0x75AB6DdCe07556639333d3Df1eaa684F5735223e";
const OTHER = "0x2222222222222222222222222222222222222222";

describe("chooseFlow", () => {
  it("version 1: the validators root in the vault, whatever else is passed", () => {
    assert.deepEqual(
      chooseFlow({ version: 1, validatorsManager: undefined, depositDataRegistry: REGISTRY, wallet: WALLET }),
      { kind: "flow", flow: "validators-root" },
    );
  });

  it("version 2 and later with the DepositDataRegistry as manager: the registry flow, any address case", () => {
    for (const version of [2, 3, 4, 5]) {
      assert.deepEqual(
        chooseFlow({
          version,
          validatorsManager: REGISTRY.toLowerCase() as `0x${string}`,
          depositDataRegistry: REGISTRY,
          wallet: WALLET,
        }),
        { kind: "flow", flow: "deposit-data-registry" },
      );
    }
  });

  it("version 2 and later with the operator's wallet as manager: the validators-manager flow", () => {
    assert.deepEqual(
      chooseFlow({
        version: 5,
        validatorsManager: WALLET,
        depositDataRegistry: REGISTRY,
        wallet: WALLET.toLowerCase() as `0x${string}`,
      }),
      { kind: "flow", flow: "validators-manager" },
    );
    // No registry on the network does not matter when the wallet is the manager.
    assert.deepEqual(
      chooseFlow({ version: 5, validatorsManager: WALLET, depositDataRegistry: undefined, wallet: WALLET }),
      { kind: "flow", flow: "validators-manager" },
    );
  });

  it("another manager: one line naming it and both ways out", () => {
    const choice = chooseFlow({
      version: 5,
      validatorsManager: OTHER,
      depositDataRegistry: REGISTRY,
      wallet: WALLET,
    });
    assert.deepEqual(choice, {
      kind: "refused",
      reason: `the vault (version 5) has validators manager ${OTHER}, which is neither this operator's wallet ${WALLET} nor the DepositDataRegistry: either the vault admin calls setValidatorsManager(${WALLET}) on the vault to make this wallet the manager (no deposit data file needed), or sets it back to the DepositDataRegistry with setValidatorsManager(${REGISTRY}) and sets the deposit data root there`,
    });
    assert.equal(choice.kind === "refused" && choice.reason.includes("\n"), false);
  });

  it("the zero address as manager: nobody can register; without a registry only the wallet way is offered", () => {
    const choice = chooseFlow({
      version: 5,
      validatorsManager: "0x0000000000000000000000000000000000000000",
      depositDataRegistry: undefined,
      wallet: WALLET,
    });
    assert.equal(choice.kind, "refused");
    assert.match(
      choice.kind === "refused" ? choice.reason : "",
      /^the vault \(version 5\) has no validators manager \(0x0{40}\), so nobody can register its validators: the vault admin calls setValidatorsManager\(0xaBcDef0123456789abCDef0123456789aBCdeF01\) on the vault .*; this network has no DepositDataRegistry to set it back to$/,
    );
  });

  it("a version no vault has is refused, naming --vault", () => {
    for (const version of [0, -1, 1.5, Number.NaN]) {
      const choice = chooseFlow({
        version,
        validatorsManager: OTHER,
        depositDataRegistry: REGISTRY,
        wallet: WALLET,
      });
      assert.equal(choice.kind, "refused");
      assert.match(choice.kind === "refused" ? choice.reason : "", /check --vault$/);
    }
  });

  it("a version-2+ vault whose manager was not read is a bug of the caller", () => {
    assert.throws(
      () =>
        chooseFlow({
          version: 2,
          validatorsManager: undefined,
          depositDataRegistry: REGISTRY,
          wallet: WALLET,
        }),
      /validatorsManager of a version-2 vault was not read/,
    );
  });
});
