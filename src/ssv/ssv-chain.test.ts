import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type Address, erc20Abi, getAddress, type Hex, toHex, zeroAddress } from "viem";
import { createFakeMulticall3, type FakeContract } from "../../test/support/fake-multicall3.ts";
import { ssvNetworkViewsAbi, ssvNetworkViewsEthEraAbi } from "../chain/abi/ssv-network-views.ts";
import type { NetworkConfig } from "../config/networks.ts";
import { createSsvChainReader, detectSsvFeeEra, SsvReadError } from "./ssv-chain.ts";

const MULTICALL3: Address = "0xcA11bde05977b3631167028862bE2a173976CA11";
const VIEWS: Address = getAddress("0x00000000000000000000000000000000000000a1");
const NETWORK_ADDRESS: Address = getAddress("0x00000000000000000000000000000000000000a2");
const TOKEN: Address = getAddress("0x00000000000000000000000000000000000000a3");
const OWNER: Address = getAddress("0x00000000000000000000000000000000000000aa");
const OP_OWNER: Address = getAddress("0x00000000000000000000000000000000000000bb");
const network = { name: "devnet", multicall3: MULTICALL3 } as unknown as NetworkConfig;
const contracts = { ssvNetwork: NETWORK_ADDRESS, ssvNetworkViews: VIEWS, ssvToken: TOKEN, deployBlock: 1n };
const IDS = [1n, 2n, 3n, 4n];
const SNAPSHOT = { validatorCount: 1, networkFeeIndex: 0n, index: 0n, active: true, balance: 10n };

function fake(views: FakeContract) {
  const token: FakeContract = {
    address: TOKEN,
    abi: erc20Abi,
    answers: {
      balanceOf: () => 500n,
      allowance: ([owner, spender]) => (owner === OWNER && spender === NETWORK_ADDRESS ? 20n : 0n),
    },
  };
  return createFakeMulticall3({ multicall3: MULTICALL3, contracts: [views, token] });
}

const tokenEraViews: FakeContract = {
  address: VIEWS,
  abi: ssvNetworkViewsAbi,
  answers: {
    getNetworkFee: () => 11n,
    getLiquidationThresholdPeriod: () => 214_800n,
    getMinimumLiquidationCollateral: () => 10n ** 18n,
    getValidatorsPerOperatorLimit: () => 500,
    getOperatorById: ([id]) => {
      if (id === 9n) throw new Error("OperatorDoesNotExist");
      return [OP_OWNER, 100n * (id as bigint), 7, zeroAddress, id === 3n, id !== 4n];
    },
    isLiquidated: ([, , cluster]) => {
      if ((cluster as typeof SNAPSHOT).balance === 999n) throw new Error("IncorrectClusterState");
      return !(cluster as typeof SNAPSHOT).active;
    },
    getBalance: ([, , cluster]) => {
      if (!(cluster as typeof SNAPSHOT).active) throw new Error("ClusterIsLiquidated");
      return 8n;
    },
    getValidator: ([, key]) => key === `0x${"11".repeat(48)}`,
  },
};

describe("detectSsvFeeEra", () => {
  it("token era when getMinimumLiquidationCollateralSSV is missing, ETH era when it answers", async () => {
    // A token-era views contract has no such function: the call reverts.
    const token = fake({ address: VIEWS, abi: ssvNetworkViewsEthEraAbi, answers: {} });
    assert.equal(
      await detectSsvFeeEra({ client: token.client, network, ssvNetworkViews: VIEWS }),
      "ssv-token",
    );
    const eth = fake({
      address: VIEWS,
      abi: ssvNetworkViewsEthEraAbi,
      answers: { getMinimumLiquidationCollateralSSV: () => 1n },
    });
    assert.equal(await detectSsvFeeEra({ client: eth.client, network, ssvNetworkViews: VIEWS }), "eth");
    const empty = fake({
      address: getAddress("0x00000000000000000000000000000000000000ff"),
      abi: erc20Abi,
      answers: {},
    });
    assert.equal(
      await detectSsvFeeEra({ client: empty.client, network, ssvNetworkViews: VIEWS }),
      "ssv-token",
    );
  });
});

describe("createSsvChainReader (token era)", () => {
  const chain = fake(tokenEraViews);
  const reader = createSsvChainReader({ client: chain.client, network, contracts, era: "ssv-token" });

  it("reads the network parameters in one call", async () => {
    const before = chain.ethCalls.length;
    assert.deepEqual(await reader.networkParams(), {
      networkFee: 11n,
      liquidationThresholdPeriod: 214_800n,
      minimumLiquidationCollateral: 10n ** 18n,
      validatorsPerOperatorLimit: 500,
    });
    assert.equal(chain.ethCalls.length, before + 1);
  });

  it("reads operators by id; an unknown id is absent", async () => {
    const operators = await reader.operators([1n, 3n, 4n, 9n]);
    assert.deepEqual([...operators.keys()], [1n, 3n, 4n]);
    assert.deepEqual(operators.get(3n), {
      id: 3n,
      owner: OP_OWNER,
      fee: 300n,
      validatorCount: 7,
      whitelisted: zeroAddress,
      isPrivate: true,
      isActive: true,
    });
    assert.equal(operators.get(4n)?.isActive, false);
  });

  it("reports a cluster's balance, and a liquidated cluster as liquidated", async () => {
    assert.deepEqual(await reader.clusterStatus(OWNER, IDS, SNAPSHOT), { balance: 8n, liquidated: false });
    assert.deepEqual(await reader.clusterStatus(OWNER, IDS, { ...SNAPSHOT, active: false }), {
      balance: 0n,
      liquidated: true,
    });
    await assert.rejects(
      reader.clusterStatus(OWNER, IDS, { ...SNAPSHOT, balance: 999n }),
      (e: unknown) => e instanceof SsvReadError && /refused the snapshot of cluster 1,2,3,4/.test(e.message),
    );
  });

  it("tells which validators are registered, and the SSV token balance and allowance", async () => {
    const yes = `0x${"11".repeat(48)}` as Hex;
    const no = `0x${"22".repeat(48)}` as Hex;
    assert.deepEqual(await reader.validatorsRegistered(OWNER, [yes, no]), [true, false]);
    assert.deepEqual(await reader.validatorsRegistered(OWNER, []), []);
    assert.deepEqual(await reader.ssvToken(OWNER), { balance: 500n, allowance: 20n });
  });
});

describe("createSsvChainReader (ETH era)", () => {
  const views: FakeContract = {
    address: VIEWS,
    abi: ssvNetworkViewsEthEraAbi,
    answers: {
      getNetworkFee: () => 1n,
      getLiquidationThresholdPeriod: () => 2n,
      getMinimumLiquidationCollateral: () => 3n,
      getNetworkFeeSSV: () => 10n,
      getLiquidationThresholdPeriodSSV: () => 20n,
      getMinimumLiquidationCollateralSSV: () => 30n,
      getValidatorsPerOperatorLimit: () => 9,
      getOperatorById: ([id]) => ({
        owner: id === 2n ? zeroAddress : OP_OWNER,
        fee: 5n,
        validatorCount: 1,
        whitelistedAddress: zeroAddress,
        isPrivate: false,
        isActive: true,
      }),
      getOperatorFeeSSV: () => 50n,
    },
  };
  const chain = fake(views);
  const reader = createSsvChainReader({ client: chain.client, network, contracts, era: "eth" });

  it("reads ETH parameters, or the SSV ones for a cluster still paying in SSV", async () => {
    assert.equal((await reader.networkParams()).networkFee, 1n);
    assert.deepEqual(await reader.networkParams("ssv-token"), {
      networkFee: 10n,
      liquidationThresholdPeriod: 20n,
      minimumLiquidationCollateral: 30n,
      validatorsPerOperatorLimit: 9,
    });
  });

  it("decodes the struct answer; an id without owner is unknown; SSV fees on request", async () => {
    const eth = await reader.operators([1n, 2n]);
    assert.deepEqual([...eth.keys()], [1n]);
    assert.equal(eth.get(1n)?.fee, 5n);
    assert.equal((await reader.operators([1n], "ssv-token")).get(1n)?.fee, 50n);
  });
});

describe("operatorKeys", () => {
  it("takes keys from OperatorAdded and notes OperatorRemoved", async () => {
    const { ssvLog } = await import("../../test/support/ssv-logs.ts");
    const key = Buffer.from("-----BEGIN RSA PUBLIC KEY-----\nAAAA\n-----END RSA PUBLIC KEY-----\n").toString(
      "base64",
    );
    const logs = [
      ssvLog(
        "OperatorAdded",
        { operatorId: 1n, owner: OP_OWNER, publicKey: toHex(key), fee: 1n },
        { blockNumber: 5n, transactionIndex: 0, logIndex: 0 },
      ),
      ssvLog("OperatorRemoved", { operatorId: 1n }, { blockNumber: 6n, transactionIndex: 0, logIndex: 0 }),
    ];
    const client = { request: async () => logs } as never;
    const reader = createSsvChainReader({ client, network, contracts, era: "eth" });
    const { keys, removed } = await reader.operatorKeys([1n], 10n);
    assert.equal(keys.get(1n), key);
    assert.deepEqual([...removed], [1n]);
  });
});
