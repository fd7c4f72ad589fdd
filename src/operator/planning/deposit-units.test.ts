import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { resolveNetwork } from "../../config/networks.ts";
import { assetsToDepositGwei, depositGweiToAssets, depositUnitsPerAsset } from "./deposit-units.ts";

const NO_DEVNET = { devnetFile: "/nonexistent" };
const gnosis = resolveNetwork("gnosis", NO_DEVNET);
const mainnet = resolveNetwork("mainnet", NO_DEVNET);

describe("deposit units", () => {
  it("counts 32 mGNO per GNO on Gnosis and Chiado, 1 elsewhere", () => {
    // v3-core v4.0.1 contracts/vaults/modules/VaultGnoStaking.sol:93-94
    //   // divide by 32 to convert mGNO to GNO
    //   depositData.depositAmount /= 32;
    assert.equal(depositUnitsPerAsset(gnosis), 32n);
    assert.equal(depositUnitsPerAsset(resolveNetwork("chiado", NO_DEVNET)), 32n);
    assert.equal(depositUnitsPerAsset(mainnet), 1n);
    assert.equal(depositUnitsPerAsset({}), 1n);
  });

  it("turns a vault's assets into deposit gwei and back", () => {
    assert.equal(assetsToDepositGwei(gnosis, 10n ** 18n), 32_000_000_000n, "1 GNO is one 32 mGNO validator");
    assert.equal(assetsToDepositGwei(mainnet, 32n * 10n ** 18n), 32_000_000_000n);
    assert.equal(depositGweiToAssets(gnosis, 32_000_000_000n), 10n ** 18n);
    assert.equal(depositGweiToAssets(gnosis, 1n), 31_250_000n, "1 gwei of mGNO is 1/32 gwei of GNO");
    assert.equal(assetsToDepositGwei(mainnet, 999_999_999n), 0n, "rounded down: never more than it holds");
  });
});
