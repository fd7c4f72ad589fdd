/**
 * The devnet's SSVNetwork in both fee eras on one automining anvil: the cluster snapshot hash
 * check, operator id rules, fee accrual per block, liquidation and reactivation, validator and
 * operator removal, the validators-per-operator limit and era detection by view.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { type Address, type Hex, parseEther, parseEventLogs, type TransactionReceipt, toHex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { ssvNetworkEthEraAbi, ssvNetworkTokenEraAbi } from "../../src/chain/abi/ssv-network.ts";
import { ssvNetworkViewsAbi, ssvNetworkViewsEthEraAbi } from "../../src/chain/abi/ssv-network-views.ts";
import { createSignerClient, type SignerClient } from "../../src/chain/signer-client.ts";
import { devnetAccounts } from "../../src/devnet/accounts.ts";
import { type AnvilInstance, startAnvil } from "../../src/devnet/anvil.ts";
import { type DevnetSsv, deploySsv, devnetSsvTokenAbi } from "../../src/devnet/ssv/deploy-ssv.ts";
import { ssvOperatorKeyBytes } from "../../src/devnet/ssv/operator-keys.ts";
import { assertRevert, mined } from "./fixtures.ts";

interface Cluster {
  validatorCount: number;
  networkFeeIndex: bigint;
  index: bigint;
  active: boolean;
  balance: bigint;
}
const EMPTY: Cluster = { validatorCount: 0, networkFeeIndex: 0n, index: 0n, active: true, balance: 0n };
const pubkey = (n: number): Hex => toHex(n, { size: 48 });
const SHARES = toHex(new Uint8Array(1312));

/** The cluster snapshot of the last cluster event in a receipt. */
function snapshotOf(receipt: TransactionReceipt): Cluster {
  const events = parseEventLogs({ abi: ssvNetworkEthEraAbi, logs: receipt.logs });
  const last = events.findLast((e) => "cluster" in e.args);
  assert.ok(last && "cluster" in last.args, "no cluster event");
  return last.args.cluster;
}

describe("SSVNetwork on the devnet", () => {
  let anvil: AnvilInstance;
  let owner: SignerClient;
  let liquidator: SignerClient;
  let token: DevnetSsv;
  let eth: DevnetSsv;
  const ids: bigint[] = [];
  const ethIds: bigint[] = [];

  before(async () => {
    anvil = await startAnvil({ blockTime: "automine" });
    const accounts = devnetAccounts();
    const client = (key: Hex) =>
      createSignerClient({ url: anvil.url, chain: anvil.chain, account: privateKeyToAccount(key) });
    const deployer = client(accounts.deployer.privateKey);
    owner = client(accounts.sender.privateKey);
    liquidator = client(accounts.depositor.privateKey);
    token = await deploySsv({ client: deployer, url: anvil.url, feeEra: "ssv-token", operators: 0 });
    eth = await deploySsv({
      client: deployer,
      url: anvil.url,
      feeEra: "eth",
      operators: 0,
      parameters: { validatorsPerOperatorLimit: 2, firstOperatorId: 7n },
    });
    // Operators with placeholder keys (the contract stores none): fees 10^15 (token), 10^11 (ETH) per block.
    for (let i = 0; i < 5; i++) {
      const key = ssvOperatorKeyBytes(`key-${i}`);
      for (const [ssv, list, fee] of [
        [token, ids, 10n ** 15n],
        [eth, ethIds, 10n ** 11n],
      ] as const) {
        const receipt = await mined(
          deployer,
          deployer.writeContract({
            address: ssv.network.address,
            abi: ssvNetworkEthEraAbi,
            functionName: "registerOperator",
            args: [key, fee, false],
          }),
        );
        const [added] = parseEventLogs({
          abi: ssvNetworkEthEraAbi,
          eventName: "OperatorAdded",
          logs: receipt.logs,
        });
        list.push((added as { args: { operatorId: bigint } }).args.operatorId);
      }
    }
    const tokenAddress = token.token?.address as Address;
    await mined(
      deployer,
      deployer.writeContract({
        address: tokenAddress,
        abi: devnetSsvTokenAbi,
        functionName: "mint",
        args: [owner.account.address, parseEther("1000")],
      }),
    );
    await mined(
      owner,
      owner.writeContract({
        address: tokenAddress,
        abi: devnetSsvTokenAbi,
        functionName: "approve",
        args: [token.network.address, 2n ** 256n - 1n],
      }),
    );
  });
  after(async () => {
    await anvil?.stop();
  });

  const write = (functionName: string, args: readonly unknown[], from = owner) =>
    mined(
      from,
      from.writeContract({
        address: token.network.address,
        abi: ssvNetworkTokenEraAbi,
        functionName,
        args,
      } as never),
    );
  const send = (functionName: string, args: readonly unknown[], from = owner) =>
    from.writeContract({
      address: token.network.address,
      abi: ssvNetworkTokenEraAbi,
      functionName,
      args,
    } as never);
  const view = (functionName: string, args: readonly unknown[] = []) =>
    owner.readContract({
      address: token.views.address,
      abi: ssvNetworkViewsAbi,
      functionName,
      args,
    } as never);

  it("numbers operators from the configured first id", () => {
    assert.deepEqual(ids, [100n, 101n, 102n, 103n, 104n]);
    assert.deepEqual(ethIds, [7n, 8n, 9n, 10n, 11n]);
  });

  it("checks ids, key length, the snapshot and the balance on registration", async () => {
    const four = ids.slice(0, 4);
    await assertRevert(
      send("registerValidator", [
        pubkey(1),
        [ids[1], ids[0], ids[2], ids[3]],
        SHARES,
        parseEther("10"),
        EMPTY,
      ]),
      "UnsortedOperatorsList",
    );
    await assertRevert(
      send("registerValidator", [pubkey(1), ids.slice(0, 5), SHARES, parseEther("10"), EMPTY]),
      "InvalidOperatorIdsLength",
    );
    await assertRevert(
      send("registerValidator", [toHex(1, { size: 47 }), four, SHARES, parseEther("10"), EMPTY]),
      "InvalidPublicKeyLength",
    );
    await assertRevert(
      send("registerValidator", [pubkey(1), four, SHARES, parseEther("10"), { ...EMPTY, balance: 1n }]),
      "IncorrectClusterState",
    );
    // Burn 4 × 10^15 + 5·10^14 per block; 100 blocks of it is 0.45 SSV.
    await assertRevert(
      send("registerValidator", [pubkey(1), four, SHARES, parseEther("0.4"), EMPTY]),
      "InsufficientBalance",
    );
    const first = snapshotOf(
      await write("registerValidator", [pubkey(1), four, SHARES, parseEther("10"), EMPTY]),
    );
    assert.equal(first.validatorCount, 1);
    assert.equal(first.balance, parseEther("10"));
    await assertRevert(
      send("registerValidator", [pubkey(1), four, SHARES, parseEther("10"), first]),
      "ValidatorAlreadyExistsWithData",
    );
    await assertRevert(
      send("registerValidator", [pubkey(2), four, SHARES, 0n, EMPTY]),
      "IncorrectClusterState",
    );
    assert.equal(await view("getValidator", [owner.account.address, pubkey(1)]), true);
  });

  it("accrues operator and network fees every block, and liquidates a drained cluster", async () => {
    const four = ids.slice(1, 5);
    let cluster = snapshotOf(
      await write("registerValidator", [pubkey(3), four, SHARES, parseEther("5"), EMPTY]),
    );
    const burnRate = (await view("getBurnRate", [owner.account.address, four, cluster])) as bigint;
    assert.equal(burnRate, 4n * 10n ** 15n + 5n * 10n ** 14n);
    await owner.request({ method: "anvil_mine" as never, params: [toHex(100)] as never });
    assert.equal(
      await view("getBalance", [owner.account.address, four, cluster]),
      parseEther("5") - 100n * burnRate,
    );
    assert.equal(await view("isLiquidatable", [owner.account.address, four, cluster]), false);
    await assertRevert(
      send("liquidate", [owner.account.address, four, cluster], liquidator),
      "ClusterNotLiquidatable",
    );

    await owner.request({ method: "anvil_mine" as never, params: [toHex(1000)] as never });
    assert.equal(await view("isLiquidatable", [owner.account.address, four, cluster]), true);
    cluster = snapshotOf(await write("liquidate", [owner.account.address, four, cluster], liquidator));
    assert.equal(cluster.active, false);
    assert.equal(cluster.balance, 0n);
    assert.equal(await view("isLiquidated", [owner.account.address, four, cluster]), true);
    await assertRevert(
      send("deposit", [owner.account.address, four, 1n, { ...cluster, balance: 5n }]),
      "IncorrectClusterState",
    );
    await assertRevert(send("reactivate", [four, parseEther("0.1"), cluster]), "InsufficientBalance");
    cluster = snapshotOf(await write("reactivate", [four, parseEther("2"), cluster]));
    assert.equal(cluster.active, true);
    assert.equal(await view("getBalance", [owner.account.address, four, cluster]), parseEther("2"));
  });

  it("removes validators and operators; a removed operator takes no new validators", async () => {
    const four = [ids[0], ids[2], ids[3], ids[4]] as bigint[];
    let cluster = snapshotOf(
      await write("registerValidator", [pubkey(5), four, SHARES, parseEther("5"), EMPTY]),
    );
    cluster = snapshotOf(await write("removeValidator", [pubkey(5), four, cluster]));
    assert.equal(cluster.validatorCount, 0);
    assert.equal(await view("getValidator", [owner.account.address, pubkey(5)]), false);
    await assertRevert(send("removeValidator", [pubkey(5), four, cluster]), "ValidatorDoesNotExist");
    cluster = snapshotOf(await write("withdraw", [four, parseEther("1"), cluster]));

    const removed = ids[4] as bigint;
    await assertRevert(send("removeOperator", [removed]), "CallerNotOwnerWithData");
    const deployer = createSignerClient({
      url: anvil.url,
      chain: anvil.chain,
      account: privateKeyToAccount(devnetAccounts().deployer.privateKey),
    });
    await write("removeOperator", [removed], deployer);
    const [, fee, , , , active] = (await view("getOperatorById", [removed])) as readonly unknown[];
    assert.equal(fee, 0n);
    assert.equal(active, false);
    await assertRevert(
      send("registerValidator", [pubkey(6), four, SHARES, 0n, cluster]),
      "OperatorDoesNotExist",
    );
  });

  it("ETH era: payable registration, the validator limit, and the ETH-only views", async () => {
    const four = ethIds.slice(0, 4);
    const network = { address: eth.network.address, abi: ssvNetworkEthEraAbi } as const;
    const register = (key: number, cluster: Cluster, value: bigint) =>
      owner.writeContract({
        ...network,
        functionName: "registerValidator",
        args: [pubkey(key), four, SHARES, cluster],
        value,
      });
    await assertRevert(register(1, EMPTY, 10n ** 12n), "InsufficientBalance");
    let cluster = snapshotOf(await mined(owner, register(1, EMPTY, parseEther("0.001"))));
    assert.equal(cluster.balance, parseEther("0.001"));
    cluster = snapshotOf(await mined(owner, register(2, cluster, 0n)));
    await assertRevert(register(3, cluster, parseEther("0.001")), "ExceedValidatorLimitWithData");

    const views = { address: eth.views.address, abi: ssvNetworkViewsEthEraAbi } as const;
    const read = (functionName: string, args: readonly unknown[] = []) =>
      owner.readContract({ ...views, functionName, args } as never);
    assert.equal(await read("getEffectiveBalance", [owner.account.address, four, cluster]), 64);
    assert.equal(await read("getMinimumLiquidationCollateralSSV"), parseEther("1"));
    assert.equal(((await read("getOperatorById", [four[0]])) as { isActive: boolean }).isActive, true);
    await assertRevert(read("getBalanceSSV", [owner.account.address, four, cluster]), "ClusterDoesNotExist");
    // Era detection: the SSV-token views have no getMinimumLiquidationCollateralSSV.
    await assert.rejects(
      owner.readContract({
        address: token.views.address,
        abi: ssvNetworkViewsEthEraAbi,
        functionName: "getMinimumLiquidationCollateralSSV",
      }),
    );
    const before = await owner.getBalance({ address: owner.account.address });
    cluster = snapshotOf(
      await mined(
        owner,
        owner.writeContract({ ...network, functionName: "withdraw", args: [four, 10n ** 14n, cluster] }),
      ),
    );
    assert.ok((await owner.getBalance({ address: owner.account.address })) > before);
  });
});
