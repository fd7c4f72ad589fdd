import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type Abi, toEventSelector, toEventSignature, toFunctionSelector, toFunctionSignature } from "viem";
import { ssvNetworkEthEraAbi, ssvNetworkTokenEraAbi } from "./ssv-network.ts";
import { ssvNetworkViewsAbi, ssvNetworkViewsEthEraAbi } from "./ssv-network-views.ts";

const CLUSTER = "(uint32,uint64,uint64,bool,uint256)";

/**
 * Canonical signatures as the real ABIs spell them: ssv-network v1.2.0 interfaces (token era) and
 * ssv-sdk src/abi/mainnet/v4/{setter,getter}.json (ETH-fee era). Selector and topic are derived
 * from the signature string, independently of our ABI items.
 */
const TOKEN_ERA: readonly string[] = [
  `registerValidator(bytes,uint64[],bytes,uint256,${CLUSTER})`,
  `bulkRegisterValidator(bytes[],uint64[],bytes[],uint256,${CLUSTER})`,
  `deposit(address,uint64[],uint256,${CLUSTER})`,
  `reactivate(uint64[],uint256,${CLUSTER})`,
  `withdraw(uint64[],uint256,${CLUSTER})`,
  `liquidate(address,uint64[],${CLUSTER})`,
  `removeValidator(bytes,uint64[],${CLUSTER})`,
  "registerOperator(bytes,uint256,bool)",
  "setFeeRecipientAddress(address)",
];
const ETH_ERA: readonly string[] = [
  `registerValidator(bytes,uint64[],bytes,${CLUSTER})`,
  `bulkRegisterValidator(bytes[],uint64[],bytes[],${CLUSTER})`,
  `deposit(address,uint64[],${CLUSTER})`,
  `reactivate(uint64[],${CLUSTER})`,
  `withdraw(uint64[],uint256,${CLUSTER})`,
  `migrateClusterToETH(uint64[],${CLUSTER})`,
];
const EVENTS: readonly string[] = [
  `ValidatorAdded(address,uint64[],bytes,bytes,${CLUSTER})`,
  `ValidatorRemoved(address,uint64[],bytes,${CLUSTER})`,
  `ClusterDeposited(address,uint64[],uint256,${CLUSTER})`,
  `ClusterLiquidated(address,uint64[],${CLUSTER})`,
  "OperatorAdded(uint64,address,bytes,uint256)",
  "FeeRecipientAddressUpdated(address,address)",
];
const ETH_EVENTS: readonly string[] = [
  `ClusterBalanceUpdated(address,uint64[],uint64,uint32,${CLUSTER})`,
  `ClusterMigratedToETH(address,uint64[],uint256,uint256,uint32,${CLUSTER})`,
];

function item(abi: Abi, type: "function" | "event", signature: string) {
  const name = signature.slice(0, signature.indexOf("("));
  const found = abi.find((i) => i.type === type && i.name === name);
  assert.ok(found && (found.type === "function" || found.type === "event"), `${type} ${name}`);
  return found;
}

function checkFunctions(abi: Abi, signatures: readonly string[]) {
  for (const signature of signatures) {
    const fn = item(abi, "function", signature);
    assert.equal(fn.type === "function" && toFunctionSignature(fn), signature);
    assert.equal(
      fn.type === "function" && toFunctionSelector(fn),
      toFunctionSelector(`function ${signature}`),
    );
  }
}

function checkEvents(abi: Abi, signatures: readonly string[]) {
  for (const signature of signatures) {
    const event = item(abi, "event", signature);
    assert.equal(event.type === "event" && toEventSignature(event), signature);
    assert.equal(event.type === "event" && toEventSelector(event), toEventSelector(`event ${signature}`));
  }
}

describe("SSVNetwork ABIs against the real signatures", () => {
  it("token era: calls take an SSV amount and are not payable", () => {
    checkFunctions(ssvNetworkTokenEraAbi, TOKEN_ERA);
    for (const name of ["registerValidator", "deposit", "reactivate"]) {
      const fn = ssvNetworkTokenEraAbi.find((i) => i.type === "function" && i.name === name);
      assert.equal(fn?.type === "function" && fn.stateMutability, "nonpayable", name);
    }
  });

  it("ETH-fee era: the same calls without amount are payable", () => {
    checkFunctions(ssvNetworkEthEraAbi, ETH_ERA);
    for (const name of ["registerValidator", "bulkRegisterValidator", "deposit", "reactivate"]) {
      const fn = ssvNetworkEthEraAbi.find((i) => i.type === "function" && i.name === name);
      assert.equal(fn?.type === "function" && fn.stateMutability, "payable", name);
    }
  });

  it("events have the real topics in both eras; the ETH era adds two", () => {
    checkEvents(ssvNetworkTokenEraAbi, EVENTS);
    checkEvents(ssvNetworkEthEraAbi, [...EVENTS, ...ETH_EVENTS]);
    assert.ok(
      !(ssvNetworkTokenEraAbi as Abi).some((i) => i.type === "event" && i.name === "ClusterBalanceUpdated"),
    );
  });

  // Selectors as commented in v1.2.0 ISSVNetworkCore.sol (three of its comments are stale, e.g.
  // ExceedValidatorLimitWithData's; those are not used here).
  it("decodes the errors the cluster rules raise, by their real selectors", () => {
    const selectors: Record<string, string> = {
      IncorrectClusterState: "0x12e04c87",
      UnsortedOperatorsList: "0xdd020e25",
      InsufficientBalance: "0xf4d678b8",
      InvalidOperatorIdsLength: "0x38186224",
      ClusterIsLiquidated: "0x95a0cf33",
      ClusterNotLiquidatable: "0x60300a8d",
      ValidatorAlreadyExistsWithData: "0x388e7999",
    };
    for (const abi of [ssvNetworkTokenEraAbi, ssvNetworkEthEraAbi] as Abi[]) {
      for (const [name, selector] of Object.entries(selectors)) {
        const error = abi.find((i) => i.type === "error" && i.name === name);
        assert.ok(error?.type === "error", name);
        assert.equal(
          toFunctionSelector(`function ${name}(${error.inputs.map((p) => p.type).join(",")})`),
          selector,
        );
      }
    }
  });
});

describe("SSVNetworkViews ABIs", () => {
  it("cluster views take the cluster snapshot in both eras", () => {
    const views = [
      `getBalance(address,uint64[],${CLUSTER})`,
      `getBurnRate(address,uint64[],${CLUSTER})`,
      `isLiquidatable(address,uint64[],${CLUSTER})`,
      "getValidator(address,bytes)",
      "getOperatorById(uint64)",
    ];
    checkFunctions(ssvNetworkViewsAbi, views);
    checkFunctions(ssvNetworkViewsEthEraAbi, [
      ...views,
      "getMinimumLiquidationCollateralSSV()",
      "getClusterAssetType(address,uint64[])",
    ]);
  });

  it("only the ETH-era views have the view era detection calls", () => {
    const has = (abi: Abi) =>
      abi.some((i) => i.type === "function" && i.name === "getMinimumLiquidationCollateralSSV");
    assert.equal(has(ssvNetworkViewsAbi), false);
    assert.equal(has(ssvNetworkViewsEthEraAbi), true);
  });
});
