import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { UserInputError } from "../lib/errors.ts";
import { CANONICAL_DEPOSIT_CONTRACT, parseContractsFile } from "./external-contracts-file.ts";

const ROOT = `0x${"ab".repeat(32)}` as const;
const minimal = {
  keeper: { address: `0x${"11".repeat(20)}` },
  vaultsRegistry: `0x${"22".repeat(20)}`,
  oraclePrivateKeys: [`0x${"33".repeat(32)}`],
};

describe("parseContractsFile", () => {
  it("fills every field a deployment output lacks and lists each default taken", () => {
    const file = parseContractsFile(minimal, "c.json", { genesisValidatorsRoot: ROOT });
    assert.equal(file.depositContract.address, CANONICAL_DEPOSIT_CONTRACT);
    assert.equal(file.multicall3, "0xcA11bde05977b3631167028862bE2a173976CA11");
    assert.equal(file.keeper.genesisBlock, 0);
    assert.equal(file.genesisValidatorsRoot, ROOT);
    assert.equal(file.keeperOwnerPrivateKey, undefined);
    assert.deepEqual(
      file.assumed.map((line) => line.split(":")[0]),
      [
        "genesisForkVersion",
        "capellaForkVersion",
        "genesisValidatorsRoot",
        "depositContract.address",
        "depositContract.genesisBlock",
        "keeper.genesisBlock",
        "multicall3",
      ],
    );
  });

  it("assumes nothing for the fields it is given", () => {
    const file = parseContractsFile(
      {
        ...minimal,
        genesisForkVersion: "0x00000001",
        capellaForkVersion: "0x03000001",
        genesisValidatorsRoot: ROOT,
        depositContract: { address: `0x${"44".repeat(20)}`, genesisBlock: 7 },
        keeper: { ...minimal.keeper, genesisBlock: 9 },
        multicall3: `0x${"55".repeat(20)}`,
      },
      "c.json",
      { genesisValidatorsRoot: `0x${"cd".repeat(32)}` },
    );
    assert.deepEqual(file.assumed, []);
    assert.equal(file.depositContract.genesisBlock, 7);
    assert.equal(file.genesisForkVersion, "0x00000001");
  });

  it("names the bad field", () => {
    assert.throws(
      () =>
        parseContractsFile({ ...minimal, keeper: { address: "0x12" } }, "c.json", {
          genesisValidatorsRoot: ROOT,
        }),
      (e: unknown) =>
        e instanceof UserInputError && /^--contracts c\.json: field "keeper\.address"/.test(e.message),
    );
  });
});
