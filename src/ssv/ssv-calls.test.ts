import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type Address, decodeFunctionData, erc20Abi, getAddress, type Hex } from "viem";
import { ssvNetworkEthEraAbi, ssvNetworkTokenEraAbi } from "../chain/abi/ssv-network.ts";
import { InvalidOperatorIdsError } from "./cluster.ts";
import {
  approveSsvCall,
  bulkBatches,
  bulkRegistrationLimit,
  depositCall,
  exitValidatorsCall,
  InvalidSsvCallError,
  reactivateCall,
  registerValidatorsCall,
  removeValidatorsCall,
  setFeeRecipientCall,
  withdrawCall,
} from "./ssv-calls.ts";

const NETWORK: Address = "0x0000000000000000000000000000000000000055";
const TOKEN = { ssvNetwork: NETWORK, era: "ssv-token" as const };
const ETH = { ssvNetwork: NETWORK, era: "eth" as const };
const IDS = [1n, 2n, 3n, 4n];
const CLUSTER = { validatorCount: 1, networkFeeIndex: 2n, index: 3n, active: true, balance: 4n };
const key = (n: number) => `0x${n.toString(16).padStart(96, "0")}` as Hex;
const shares = (n: number) =>
  `0x${n
    .toString(16)
    .padStart(2, "0")
    .repeat(96 + 304 * 4)}` as Hex;
const OWNER: Address = getAddress("0x00000000000000000000000000000000000000aa");

describe("registerValidatorsCall", () => {
  it("token era: amount argument, value 0; one key → registerValidator", () => {
    const call = registerValidatorsCall(TOKEN, {
      publicKeys: [key(1)],
      operatorIds: IDS,
      sharesData: [shares(1)],
      amount: 7n,
      cluster: CLUSTER,
    });
    assert.equal(call.to, NETWORK);
    assert.equal(call.value, 0n);
    const decoded = decodeFunctionData({ abi: ssvNetworkTokenEraAbi, data: call.data });
    assert.equal(decoded.functionName, "registerValidator");
    assert.deepEqual(decoded.args, [key(1), IDS, shares(1), 7n, CLUSTER]);
  });
  it("ETH era: payable, the amount is the value; several keys → bulkRegisterValidator", () => {
    const call = registerValidatorsCall(ETH, {
      publicKeys: [key(1), key(2)],
      operatorIds: IDS,
      sharesData: [shares(1), shares(2)],
      amount: 9n,
      cluster: CLUSTER,
    });
    assert.equal(call.value, 9n);
    const decoded = decodeFunctionData({ abi: ssvNetworkEthEraAbi, data: call.data });
    assert.equal(decoded.functionName, "bulkRegisterValidator");
    assert.deepEqual(decoded.args, [[key(1), key(2)], IDS, [shares(1), shares(2)], CLUSTER]);
  });
  it("refuses what the contract would refuse", () => {
    const good = {
      publicKeys: [key(1)],
      operatorIds: IDS,
      sharesData: [shares(1)],
      amount: 1n,
      cluster: CLUSTER,
    };
    assert.throws(
      () => registerValidatorsCall(TOKEN, { ...good, operatorIds: [2n, 1n, 3n, 4n] }),
      InvalidOperatorIdsError,
    );
    assert.throws(
      () => registerValidatorsCall(TOKEN, { ...good, publicKeys: ["0x12"] }),
      /not a 48-byte validator public key/,
    );
    assert.throws(
      () => registerValidatorsCall(TOKEN, { ...good, sharesData: ["0x12"] }),
      /sharesData of .* is 1 bytes, a cluster of 4 needs 1312/,
    );
    assert.throws(
      () => registerValidatorsCall(TOKEN, { ...good, sharesData: [] }),
      /1 public keys but 0 sharesData/,
    );
    const many = Array.from({ length: 81 }, (_, i) => i);
    assert.throws(
      () =>
        registerValidatorsCall(TOKEN, { ...good, publicKeys: many.map(key), sharesData: many.map(shares) }),
      /81 validators in one registration: a cluster of 4 takes at most 80/,
    );
  });
});

describe("bulk limits", () => {
  it("80/40/30/20 for 4/7/10/13 and batches accordingly", () => {
    assert.deepEqual([4, 7, 10, 13].map(bulkRegistrationLimit), [80, 40, 30, 20]);
    assert.throws(() => bulkRegistrationLimit(5), InvalidSsvCallError);
    assert.deepEqual(
      bulkBatches(
        Array.from({ length: 45 }, (_, i) => i),
        13,
      ).map((b) => b.length),
      [20, 20, 5],
    );
    assert.deepEqual(bulkBatches([], 4), []);
  });
});

describe("cluster calls", () => {
  it("deposit: amount argument in the token era, value in the ETH era", () => {
    const token = depositCall(TOKEN, { owner: OWNER, operatorIds: IDS, amount: 5n, cluster: CLUSTER });
    assert.equal(token.value, 0n);
    assert.deepEqual(decodeFunctionData({ abi: ssvNetworkTokenEraAbi, data: token.data }).args, [
      OWNER,
      IDS,
      5n,
      CLUSTER,
    ]);
    const eth = depositCall(ETH, { owner: OWNER, operatorIds: IDS, amount: 5n, cluster: CLUSTER });
    assert.equal(eth.value, 5n);
    assert.deepEqual(decodeFunctionData({ abi: ssvNetworkEthEraAbi, data: eth.data }).args, [
      OWNER,
      IDS,
      CLUSTER,
    ]);
    assert.throws(
      () => depositCall(ETH, { owner: OWNER, operatorIds: IDS, amount: 0n, cluster: CLUSTER }),
      /not positive/,
    );
  });
  it("reactivate in both eras", () => {
    const token = reactivateCall(TOKEN, { operatorIds: IDS, amount: 5n, cluster: CLUSTER });
    assert.deepEqual(decodeFunctionData({ abi: ssvNetworkTokenEraAbi, data: token.data }).args, [
      IDS,
      5n,
      CLUSTER,
    ]);
    const eth = reactivateCall(ETH, { operatorIds: IDS, amount: 5n, cluster: CLUSTER });
    assert.equal(eth.value, 5n);
    const decoded = decodeFunctionData({ abi: ssvNetworkEthEraAbi, data: eth.data });
    assert.equal(decoded.functionName, "reactivate");
    assert.deepEqual(decoded.args, [IDS, CLUSTER]);
  });
  it("withdraw, remove, exit and fee recipient", () => {
    const withdraw = withdrawCall(ETH, { operatorIds: IDS, amount: 3n, cluster: CLUSTER });
    assert.equal(withdraw.value, 0n);
    assert.deepEqual(decodeFunctionData({ abi: ssvNetworkEthEraAbi, data: withdraw.data }).args, [
      IDS,
      3n,
      CLUSTER,
    ]);
    const remove = decodeFunctionData({
      abi: ssvNetworkTokenEraAbi,
      data: removeValidatorsCall(TOKEN, { publicKeys: [key(1)], operatorIds: IDS, cluster: CLUSTER }).data,
    });
    assert.equal(remove.functionName, "removeValidator");
    assert.deepEqual(remove.args, [key(1), IDS, CLUSTER]);
    const bulkRemove = decodeFunctionData({
      abi: ssvNetworkTokenEraAbi,
      data: removeValidatorsCall(TOKEN, { publicKeys: [key(1), key(2)], operatorIds: IDS, cluster: CLUSTER })
        .data,
    });
    assert.equal(bulkRemove.functionName, "bulkRemoveValidator");
    const exit = decodeFunctionData({
      abi: ssvNetworkEthEraAbi,
      data: exitValidatorsCall(ETH, { publicKeys: [key(1), key(2)], operatorIds: IDS }).data,
    });
    assert.equal(exit.functionName, "bulkExitValidator");
    assert.deepEqual(exit.args, [[key(1), key(2)], IDS]);
    const recipient = decodeFunctionData({
      abi: ssvNetworkTokenEraAbi,
      data: setFeeRecipientCall(TOKEN, OWNER).data,
    });
    assert.deepEqual([recipient.functionName, recipient.args], ["setFeeRecipientAddress", [OWNER]]);
    assert.throws(
      () => removeValidatorsCall(TOKEN, { publicKeys: [], operatorIds: IDS, cluster: CLUSTER }),
      /no validator/,
    );
  });
  it("approve on the SSV token", () => {
    const token: Address = "0x0000000000000000000000000000000000000077";
    const call = approveSsvCall({ ssvToken: token, ssvNetwork: NETWORK, amount: 10n });
    assert.equal(call.to, token);
    assert.deepEqual(decodeFunctionData({ abi: erc20Abi, data: call.data }).args, [NETWORK, 10n]);
  });
});
