import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { decodeFunctionData, type Hex } from "viem";
import { depositDataRegistryAbi } from "../../chain/abi/deposit-data-registry.ts";
import type { RegistrationProof } from "../../oracles/registration-proof.ts";
import { registryRoute } from "./registry-route.ts";

const VAULT = "0x3320ad928c20187602a2b2c04eeaa813fa899468";
const REGISTRY = "0x75ab6ddce07556639333d3df1eaa684f5735223e";
const H = (b: string) => `0x${b.repeat(32)}` as Hex;
const keeperParams = {
  validatorsRegistryRoot: H("aa"),
  deadline: 100n,
  validators: "0x01" as Hex,
  signatures: "0x02" as Hex,
  exitSignaturesIpfsHash: "bafy",
};
const single: RegistrationProof = {
  proof: [H("01")],
  proofFlags: [false],
  proofIndexes: [0],
  indexes: [0],
  singleProof: [H("01"), H("02")],
};
const multi: RegistrationProof = {
  proof: [H("03")],
  proofFlags: [false, true],
  proofIndexes: [1, 0],
  indexes: [1, 0],
  singleProof: undefined,
};
const harvest = { rewardsRoot: H("bb"), reward: 5n, unlockedMevReward: 1n, proof: [H("cc")] };
const decode = (data: Hex) => decodeFunctionData({ abi: depositDataRegistryAbi, data });

describe("registry route (spec §3.3, §5.3 v2.0.0–v3.x)", () => {
  it("sends registerValidator(vault, params, proof) to the registry for one validator", () => {
    const route = registryRoute({ registry: REGISTRY, vault: VAULT, harvest: undefined });
    assert.equal(route.to, REGISTRY);
    assert.equal(route.managerSignatureField, true);
    const call = decode(route.encode(keeperParams, single));
    assert.equal(call.functionName, "registerValidator");
    assert.deepEqual(call.args?.[2], single.singleProof);
    assert.equal(String(call.args?.[0]).toLowerCase(), VAULT);
  });

  it("sends registerValidators with the multiproof's indexes and flags for several", () => {
    const call = decode(
      registryRoute({ registry: REGISTRY, vault: VAULT, harvest: undefined }).encode(keeperParams, multi),
    );
    assert.equal(call.functionName, "registerValidators");
    assert.deepEqual(call.args?.slice(2), [[1n, 0n], [false, true], [H("03")]]);
  });

  it("puts the due harvest first, updateVaultState(vault, params), in the registry's multicall", () => {
    const call = decode(
      registryRoute({ registry: REGISTRY, vault: VAULT, harvest }).encode(keeperParams, single),
    );
    assert.equal(call.functionName, "multicall");
    const [first, second] = ((call.args?.[0] ?? []) as Hex[]).map(decode);
    assert.equal(first?.functionName, "updateVaultState");
    assert.deepEqual(first?.args?.[1], harvest);
    assert.equal(second?.functionName, "registerValidator");
  });
});
