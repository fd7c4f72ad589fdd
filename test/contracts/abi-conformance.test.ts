/**
 * The operator's hand-written protocol ABIs (src/chain/abi) must describe our devnet contracts
 * exactly, so the same code runs against the devnet and a public network: every function (inputs,
 * outputs, mutability) and event (including indexed flags) must exist with an identical signature
 * in the matching artifact, and every error of every artifact must be named by the ABIs (errors
 * bubble across contracts).
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { type Abi, type AbiParameter, toEventSignature, toFunctionSignature } from "viem";
import { ARTIFACTS_DIR } from "../../scripts/build-contracts.ts";
import { consolidationsCheckerAbi } from "../../src/chain/abi/consolidations-checker.ts";
import { depositContractAbi } from "../../src/chain/abi/deposit-contract.ts";
import { depositDataRegistryAbi } from "../../src/chain/abi/deposit-data-registry.ts";
import { protocolErrorsAbi } from "../../src/chain/abi/errors.ts";
import { keeperAbi } from "../../src/chain/abi/keeper.ts";
import { multicall3Abi } from "../../src/chain/abi/multicall3.ts";
import { ssvNetworkEthEraAbi, ssvNetworkTokenEraAbi } from "../../src/chain/abi/ssv-network.ts";
import { ssvNetworkViewsAbi, ssvNetworkViewsEthEraAbi } from "../../src/chain/abi/ssv-network-views.ts";
import { validatorsCheckerAbi } from "../../src/chain/abi/validators-checker.ts";
import { vaultAbi } from "../../src/chain/abi/vault.ts";
import { vaultV5Abi } from "../../src/chain/abi/vault-v5.ts";
import { vaultsRegistryAbi } from "../../src/chain/abi/vaults-registry.ts";

const ABIS: readonly [string, Abi, string][] = [
  ["keeper.ts", keeperAbi, "Keeper"],
  ["vault.ts", vaultAbi, "EthVault"],
  ["deposit-contract.ts", depositContractAbi, "DepositContract"],
  ["vaults-registry.ts", vaultsRegistryAbi, "VaultsRegistry"],
  ["multicall3.ts", multicall3Abi, "Multicall3"],
  ["vault-v5.ts", vaultV5Abi, "EthVaultV5"],
  ["deposit-data-registry.ts", depositDataRegistryAbi, "DepositDataRegistry"],
  ["consolidations-checker.ts", consolidationsCheckerAbi, "ConsolidationsChecker"],
  ["validators-checker.ts", validatorsCheckerAbi, "ValidatorsChecker"],
];

/**
 * Items of the real contracts' ABIs (checked against v3-core v4.0.1 in src/chain/abi/*.test.ts)
 * that the devnet contracts leave out because the operator never uses them against the devnet.
 */
const NOT_ON_DEVNET = new Set<string | undefined>([
  // Deprecated events a version-5 vault still declares for its history; only version 1 emits them.
  "event KeysManagerUpdated(address indexed,address indexed)",
  "event ValidatorsRootUpdated(address indexed,bytes32 indexed)",
  // The exit queue of users: read by the Python operator's meta-vault tasks, not by ours.
  "function getExitQueueIndex(uint256) view returns (int256)",
  "event V2ExitQueueEntered(address indexed,address indexed,uint256,uint256,uint256)",
  // A dry run of a manager signature, for relayers.
  "function checkValidatorsManagerSignature(address,bytes32,bytes,bytes) view returns (uint256,uint8)",
]);
/**
 * The SSV contracts of both fee eras (ssv-network.ts, ssv-network-views.ts): checked apart from
 * the protocol's, as their errors are SSV's own list, not the StakeWise one.
 */
const SSV_ABIS: readonly [string, Abi, string][] = [
  ["ssv-network.ts ssvNetworkTokenEraAbi", ssvNetworkTokenEraAbi, "SSVNetwork"],
  ["ssv-network.ts ssvNetworkEthEraAbi", ssvNetworkEthEraAbi, "SSVNetworkEth"],
  ["ssv-network-views.ts ssvNetworkViewsAbi", ssvNetworkViewsAbi, "SSVNetworkViews"],
  ["ssv-network-views.ts ssvNetworkViewsEthEraAbi", ssvNetworkViewsEthEraAbi, "SSVNetworkViewsEth"],
];

const ARTIFACTS = [
  "ConsolidationRequests",
  "ConsolidationsChecker",
  "DepositContract",
  "DepositDataRegistry",
  "EthVault",
  "EthVaultV5",
  "Keeper",
  "Multicall3",
  "OwnMevEscrow",
  "SharedMevEscrow",
  "ValidatorsChecker",
  "VaultsRegistry",
  "WithdrawalRequests",
];

function artifactAbi(name: string): Abi {
  return (JSON.parse(readFileSync(join(ARTIFACTS_DIR, `${name}.json`), "utf8")) as { abi: Abi }).abi;
}

/** Canonical parameter types (tuples expanded), plus the indexed flag of event parameters. */
function types(params: readonly AbiParameter[]): string {
  return params
    .map((p) => {
      const components = "components" in p && p.components ? `(${types(p.components)})` : "";
      const type = components ? `${components}${p.type.slice("tuple".length)}` : p.type;
      return "indexed" in p && p.indexed ? `${type} indexed` : type;
    })
    .join(",");
}

/** A comparable description of an ABI item: everything that matters for encoding and decoding. */
function describeItem(item: Abi[number]): string | undefined {
  switch (item.type) {
    case "function":
      return `function ${item.name}(${types(item.inputs)}) ${item.stateMutability} returns (${types(item.outputs)})`;
    case "event":
      return `event ${item.name}(${types(item.inputs)})${item.anonymous ? " anonymous" : ""}`;
    case "error":
      return `error ${item.name}(${types(item.inputs)})`;
    default:
      return undefined;
  }
}

describe("src/chain/abi conforms to the devnet contracts", () => {
  const allErrors = new Set(
    ARTIFACTS.flatMap((name) =>
      artifactAbi(name)
        .filter((i) => i.type === "error")
        .map(describeItem),
    ),
  );

  for (const [file, abi, artifact] of ABIS) {
    it(`${file} ⊆ ${artifact}`, () => {
      const implemented = new Set(artifactAbi(artifact).map(describeItem));
      const missing = abi
        .filter((item) => item.type === "function" || item.type === "event")
        .map(describeItem)
        .filter((described) => !implemented.has(described) && !NOT_ON_DEVNET.has(described));
      assert.deepEqual(missing, [], `not implemented (or different) in contracts/artifacts/${artifact}.json`);
      // The ABIs name every error of the real contracts (src/chain/abi/errors.test.ts checks them
      // against their sources), more than the devnet declares; what must hold is that every error
      // the devnet can raise decodes by name.
      if (file === "deposit-contract.ts" || file === "multicall3.ts") return;
      const named = new Set(abi.filter((item) => item.type === "error").map(describeItem));
      const undecodable = [...allErrors].filter((described) => !named.has(described));
      assert.deepEqual(undecodable, [], "devnet errors the ABI cannot decode");
    });
  }

  for (const [file, abi, artifact] of SSV_ABIS) {
    it(`${file} ⊆ ${artifact}, and names every error it can raise`, () => {
      const implemented = new Set(artifactAbi(artifact).map(describeItem));
      const missing = abi
        .filter((item) => item.type === "function" || item.type === "event")
        .map(describeItem)
        .filter((described) => !implemented.has(described));
      assert.deepEqual(missing, [], `not implemented (or different) in contracts/artifacts/${artifact}.json`);
      const named = new Set(abi.filter((item) => item.type === "error").map(describeItem));
      const undecodable = artifactAbi(artifact)
        .filter((i) => i.type === "error")
        .map(describeItem)
        .filter((described) => !named.has(described));
      assert.deepEqual(undecodable, [], "devnet errors the ABI cannot decode");
    });
  }

  it("uses the protocol's canonical signatures for the calls the operator makes", () => {
    const signature = (abi: Abi, name: string) => {
      const item = abi.find((i) => "name" in i && i.name === name);
      assert.ok(item && (item.type === "function" || item.type === "event"), name);
      return item.type === "function" ? toFunctionSignature(item) : toEventSignature(item);
    };
    assert.equal(
      signature(vaultAbi, "registerValidator"),
      "registerValidator((bytes32,uint256,bytes,bytes,string),bytes32[])",
    );
    assert.equal(
      signature(vaultAbi, "registerValidators"),
      "registerValidators((bytes32,uint256,bytes,bytes,string),uint256[],bool[],bytes32[])",
    );
    assert.equal(signature(vaultAbi, "updateState"), "updateState((bytes32,int160,uint160,bytes32[]))");
    assert.equal(
      signature(keeperAbi, "approveValidators"),
      "approveValidators((bytes32,uint256,bytes,bytes,string))",
    );
    assert.equal(
      signature(keeperAbi, "updateExitSignatures"),
      "updateExitSignatures(address,uint256,string,bytes)",
    );
    assert.equal(
      signature(keeperAbi, "updateRewards"),
      "updateRewards((bytes32,uint256,uint64,string,bytes))",
    );
    assert.equal(
      signature(keeperAbi, "RewardsUpdated"),
      "RewardsUpdated(address,bytes32,uint256,uint64,uint64,string)",
    );
    assert.equal(
      signature(keeperAbi, "ExitSignaturesUpdated"),
      "ExitSignaturesUpdated(address,address,uint256,string)",
    );
    assert.equal(
      signature(depositContractAbi, "DepositEvent"),
      "DepositEvent(bytes,bytes,bytes,bytes,bytes)",
    );
    assert.equal(signature(multicall3Abi, "aggregate"), "aggregate((address,bytes)[])");
  });

  it("shares one list of protocol errors across the contract ABIs", () => {
    for (const [file, abi] of ABIS.filter(
      ([file]) => file !== "deposit-contract.ts" && file !== "multicall3.ts",
    )) {
      const errors = abi.filter((i) => i.type === "error").map(describeItem);
      assert.deepEqual(errors, protocolErrorsAbi.map(describeItem), file);
    }
  });
});
