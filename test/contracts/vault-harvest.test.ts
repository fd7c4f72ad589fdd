/**
 * Rewards and harvests end to end (spec §6.6, §6.3): oracle-signed Keeper rewards updates, the
 * vault's updateState with a proof from an OpenZeppelin StandardMerkleTree, shared and own MEV
 * escrows, the NotHarvested guard and vault.multicall([updateState, registerValidator]).
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import {
  type Address,
  decodeFunctionResult,
  encodeFunctionData,
  type Hex,
  parseEther,
  parseEventLogs,
  toHex,
} from "viem";
import { keeperAbi } from "../../src/chain/abi/keeper.ts";
import { vaultAbi } from "../../src/chain/abi/vault.ts";
import { keeperDomain, keeperRewardsTypedData } from "../../src/chain/keeper-eip712.ts";
import type { DevnetVault } from "../../src/devnet/deploy.ts";
import { type DevnetChain, startDevnetChain } from "../support/devnet-chain.ts";
import {
  assertRevert,
  mined,
  oracleApproval,
  type VaultDepositData,
  validatorsBytes,
  vaultDepositData,
} from "./fixtures.ts";

interface VaultReward {
  vault: Address;
  reward: bigint;
  unlockedMevReward: bigint;
}

interface PublishedRewards {
  root: Hex;
  proofOf(vault: Address): Hex[];
  nonce: bigint;
}

describe("Keeper rewards and vault harvests on the devnet", () => {
  let devnet: DevnetChain;
  let shared: DevnetVault;
  let own: DevnetVault;
  const data = new Map<Address, VaultDepositData>();

  const keeperRead = <F extends "rewardsNonce" | "rewardsRoot" | "prevRewardsRoot">(functionName: F) =>
    devnet.clients.sender.readContract({
      address: devnet.protocol.keeper.address,
      abi: keeperAbi,
      functionName,
    });
  const canHarvest = (vault: Address) =>
    devnet.clients.sender.readContract({
      address: devnet.protocol.keeper.address,
      abi: keeperAbi,
      functionName: "canHarvest",
      args: [vault],
    });
  const isHarvestRequired = (vault: Address) =>
    devnet.clients.sender.readContract({
      address: devnet.protocol.keeper.address,
      abi: keeperAbi,
      functionName: "isHarvestRequired",
      args: [vault],
    });
  const vaultRead = <F extends "totalAssets" | "validatorIndex">(functionName: F, vault: Address) =>
    devnet.clients.sender.readContract({ address: vault, abi: vaultAbi, functionName });

  /** Publishes a rewards tree signed by the oracles; returns its root and proofs. */
  async function publishRewards(
    rewards: readonly VaultReward[],
    signers = devnet.oracles,
  ): Promise<PublishedRewards> {
    const tree = StandardMerkleTree.of(
      rewards.map((r) => [r.vault, r.reward.toString(), r.unlockedMevReward.toString()]),
      ["address", "int160", "uint160"],
    );
    const nonce = await keeperRead("rewardsNonce");
    const params = await signedRewardsUpdate(tree.root as Hex, nonce, signers);
    // Rewards updates need a block newer than the last update's.
    await devnet.testClient.increaseTime({ seconds: 1 });
    const receipt = await mined(
      devnet.clients.sender,
      devnet.clients.sender.writeContract({
        address: devnet.protocol.keeper.address,
        abi: keeperAbi,
        functionName: "updateRewards",
        args: [params],
      }),
    );
    const [event] = parseEventLogs({ abi: keeperAbi, logs: receipt.logs, eventName: "RewardsUpdated" });
    assert.deepEqual(event?.args, {
      caller: devnet.clients.sender.account.address,
      rewardsRoot: tree.root,
      avgRewardPerSecond: params.avgRewardPerSecond,
      updateTimestamp: params.updateTimestamp,
      nonce,
      rewardsIpfsHash: params.rewardsIpfsHash,
    });
    return {
      root: tree.root as Hex,
      nonce,
      proofOf: (vault) => {
        for (const [i, [address]] of tree.entries()) {
          if (address === vault) return tree.getProof(i) as Hex[];
        }
        throw new Error(`vault ${vault} is not in the rewards tree`);
      },
    };
  }

  async function signedRewardsUpdate(rewardsRoot: Hex, nonce: bigint, signers = devnet.oracles) {
    const message = {
      rewardsRoot,
      rewardsIpfsHash: `bafkreirewards${nonce}`,
      avgRewardPerSecond: 1_000_000_000n,
      updateTimestamp: 1_700_000_000n + nonce,
      nonce,
    };
    const typedData = keeperRewardsTypedData(
      keeperDomain(devnet.anvil.chainId, devnet.protocol.keeper.address),
      message,
    );
    const signatures = await devnet.signAsOracles(typedData, {
      signers,
      threshold: devnet.protocol.rewardsMinOracles,
    });
    return {
      rewardsRoot,
      avgRewardPerSecond: message.avgRewardPerSecond,
      updateTimestamp: message.updateTimestamp,
      rewardsIpfsHash: message.rewardsIpfsHash,
      signatures,
    };
  }

  const harvestParams = (published: PublishedRewards, reward: VaultReward) => ({
    rewardsRoot: published.root,
    reward: reward.reward,
    unlockedMevReward: reward.unlockedMevReward,
    proof: published.proofOf(reward.vault),
  });

  const updateState = (vault: Address, params: ReturnType<typeof harvestParams>) =>
    devnet.clients.sender.writeContract({
      address: vault,
      abi: vaultAbi,
      functionName: "updateState",
      args: [params],
    });

  async function registerNext(vault: Address) {
    const vaultData = data.get(vault) as VaultDepositData;
    const index = Number(await vaultRead("validatorIndex", vault));
    const params = await oracleApproval(devnet, vault, validatorsBytes(vaultData, [index]));
    const proof = vaultData.tree.getProof(index).map((node) => toHex(node));
    return { params, proof };
  }

  before(async () => {
    devnet = await startDevnetChain({ oracles: 4, validatorsMinOracles: 3, rewardsMinOracles: 3 });
    shared = await devnet.createVault();
    own = await devnet.createVault({ ownMevEscrow: true });
    for (const vault of [shared, own]) {
      const vaultData = await vaultDepositData(vault.address, 3);
      data.set(vault.address, vaultData);
      await mined(
        devnet.clients.depositor,
        devnet.clients.depositor.sendTransaction({ to: vault.address, value: parseEther("96") }),
      );
      await mined(
        devnet.clients.keysManager,
        devnet.clients.keysManager.writeContract({
          address: vault.address,
          abi: vaultAbi,
          functionName: "setValidatorsRoot",
          args: [toHex(vaultData.tree.root)],
        }),
      );
      const { params, proof } = await registerNext(vault.address);
      await mined(
        devnet.clients.sender,
        devnet.clients.sender.writeContract({
          address: vault.address,
          abi: vaultAbi,
          functionName: "registerValidator",
          args: [params, proof],
        }),
      );
    }
  });
  after(async () => {
    await devnet?.stop();
  });

  it("cannot harvest before the first rewards update after collateralization", async () => {
    assert.notEqual(own.mevEscrow, devnet.protocol.sharedMevEscrow.address);
    assert.equal(shared.mevEscrow, devnet.protocol.sharedMevEscrow.address);
    assert.equal(await canHarvest(shared.address), false);
    assert.equal(await isHarvestRequired(shared.address), false);
  });

  const sharedReward = { reward: parseEther("0.5"), unlockedMevReward: parseEther("0.1") };
  const ownReward = { reward: parseEther("0.3"), unlockedMevReward: 0n };
  let first: PublishedRewards;

  it("publishes an oracle-signed rewards root", async () => {
    const previous = await keeperRead("rewardsRoot");
    first = await publishRewards([
      { vault: shared.address, ...sharedReward },
      { vault: own.address, ...ownReward },
      { vault: devnet.accounts.depositor.address, reward: 1n, unlockedMevReward: 0n },
    ]);
    assert.equal(first.nonce, 1n);
    assert.equal(await keeperRead("rewardsNonce"), 2n);
    assert.equal(await keeperRead("rewardsRoot"), first.root);
    assert.equal(await keeperRead("prevRewardsRoot"), previous);
    assert.equal(await canHarvest(shared.address), true);
    assert.equal(await isHarvestRequired(shared.address), false);
  });

  it("rejects rewards updates with too few, stale or foreign signatures", async () => {
    const root = `0x${"ab".repeat(32)}` as Hex;
    const nonce = await keeperRead("rewardsNonce");
    // Past the rewards delay, so only the signatures can fail.
    await devnet.testClient.increaseTime({ seconds: 1 });
    const send = (params: Awaited<ReturnType<typeof signedRewardsUpdate>>) =>
      devnet.clients.sender.writeContract({
        address: devnet.protocol.keeper.address,
        abi: keeperAbi,
        functionName: "updateRewards",
        args: [params],
      });
    const enough = await signedRewardsUpdate(root, nonce);
    await assertRevert(
      send({ ...enough, signatures: `0x${enough.signatures.slice(2, 262)}` }),
      "NotEnoughSignatures",
    );
    await assertRevert(send(await signedRewardsUpdate(root, nonce - 1n)), "InvalidOracle");
    await assertRevert(send({ ...enough, rewardsIpfsHash: "bafkreitampered" }), "InvalidOracle");
    await assertRevert(send({ ...enough, avgRewardPerSecond: 10n ** 30n }), "InvalidAvgRewardPerSecond");
  });

  it("rejects a harvest with a bad proof or an unknown root", async () => {
    const params = harvestParams(first, { vault: shared.address, ...sharedReward });
    await assertRevert(
      updateState(shared.address, { ...params, reward: params.reward + 1n }),
      "InvalidProof",
    );
    await assertRevert(
      updateState(shared.address, { ...params, rewardsRoot: `0x${"cd".repeat(32)}` }),
      "InvalidRewardsRoot",
    );
  });

  it("harvests a shared-escrow vault: total assets grow by the reward, ETH comes from the escrow", async () => {
    const escrow = devnet.protocol.sharedMevEscrow.address;
    await mined(
      devnet.clients.depositor,
      devnet.clients.depositor.sendTransaction({ to: escrow, value: parseEther("1") }),
    );
    const client = devnet.clients.sender;
    const assetsBefore = await vaultRead("totalAssets", shared.address);
    const balanceBefore = await client.getBalance({ address: shared.address });
    const receipt = await mined(
      client,
      updateState(shared.address, harvestParams(first, { vault: shared.address, ...sharedReward })),
    );
    const [harvested] = parseEventLogs({ abi: keeperAbi, logs: receipt.logs, eventName: "Harvested" });
    assert.deepEqual(harvested?.args, {
      vault: shared.address,
      rewardsRoot: first.root,
      totalAssetsDelta: sharedReward.reward,
      unlockedMevDelta: sharedReward.unlockedMevReward,
    });
    assert.equal(await vaultRead("totalAssets", shared.address), assetsBefore + sharedReward.reward);
    assert.equal(
      await client.getBalance({ address: shared.address }),
      balanceBefore + sharedReward.unlockedMevReward,
    );
    assert.equal(await client.getBalance({ address: escrow }), parseEther("0.9"));
    assert.equal(await canHarvest(shared.address), false);

    // Harvesting the same update again changes nothing.
    const again = await mined(
      client,
      updateState(shared.address, harvestParams(first, { vault: shared.address, ...sharedReward })),
    );
    assert.deepEqual(parseEventLogs({ abi: keeperAbi, logs: again.logs, eventName: "Harvested" }), []);
  });

  it("harvests an own-escrow vault: the escrow's whole balance is added", async () => {
    const client = devnet.clients.sender;
    await mined(
      devnet.clients.depositor,
      devnet.clients.depositor.sendTransaction({ to: own.mevEscrow, value: parseEther("0.05") }),
    );
    const assetsBefore = await vaultRead("totalAssets", own.address);
    const balanceBefore = await client.getBalance({ address: own.address });
    const receipt = await mined(
      client,
      updateState(own.address, harvestParams(first, { vault: own.address, ...ownReward })),
    );
    const [harvested] = parseEventLogs({ abi: keeperAbi, logs: receipt.logs, eventName: "Harvested" });
    assert.equal(harvested?.args.totalAssetsDelta, ownReward.reward);
    assert.equal(harvested?.args.unlockedMevDelta, 0n);
    assert.equal(
      await vaultRead("totalAssets", own.address),
      assetsBefore + ownReward.reward + parseEther("0.05"),
    );
    assert.equal(await client.getBalance({ address: own.address }), balanceBefore + parseEther("0.05"));
    assert.equal(await client.getBalance({ address: own.mevEscrow }), 0n);
  });

  let latest: PublishedRewards;
  const laterReward = { reward: parseEther("0.8"), unlockedMevReward: parseEther("0.2") };

  it("requires a harvest two updates later: registration reverts NotHarvested", async () => {
    await publishRewards([
      { vault: own.address, reward: parseEther("0.4"), unlockedMevReward: 0n },
      { vault: shared.address, ...sharedReward },
    ]);
    assert.equal(await isHarvestRequired(shared.address), false);
    latest = await publishRewards([
      { vault: shared.address, ...laterReward },
      { vault: own.address, reward: parseEther("0.5"), unlockedMevReward: 0n },
    ]);
    assert.equal(await isHarvestRequired(shared.address), true);
    assert.equal(
      await devnet.clients.sender.readContract({
        address: shared.address,
        abi: vaultAbi,
        functionName: "isStateUpdateRequired",
      }),
      true,
    );
    const { params, proof } = await registerNext(shared.address);
    await assertRevert(
      devnet.clients.sender.writeContract({
        address: shared.address,
        abi: vaultAbi,
        functionName: "registerValidator",
        args: [params, proof],
      }),
      "NotHarvested",
    );
  });

  it("multicall bubbles the first failing call's custom error", async () => {
    const { params } = await registerNext(shared.address);
    await assertRevert(
      devnet.clients.sender.writeContract({
        address: shared.address,
        abi: vaultAbi,
        functionName: "multicall",
        args: [
          [
            encodeFunctionData({
              abi: vaultAbi,
              functionName: "updateState",
              args: [harvestParams(latest, { vault: shared.address, ...laterReward })],
            }),
            encodeFunctionData({ abi: vaultAbi, functionName: "registerValidator", args: [params, []] }),
          ],
        ],
      }),
      "InvalidProof",
    );
  });

  it("multicall([updateState, registerValidator]) harvests and registers in one transaction", async () => {
    const client = devnet.clients.sender;
    const { params, proof } = await registerNext(shared.address);
    const calls = [
      encodeFunctionData({
        abi: vaultAbi,
        functionName: "updateState",
        args: [harvestParams(latest, { vault: shared.address, ...laterReward })],
      }),
      encodeFunctionData({ abi: vaultAbi, functionName: "registerValidator", args: [params, proof] }),
    ];
    // The operator first simulates the harvest to learn the assets it will have (spec §6.3).
    const { result } = await client.simulateContract({
      address: shared.address,
      abi: vaultAbi,
      functionName: "multicall",
      args: [[calls[0] as Hex, encodeFunctionData({ abi: vaultAbi, functionName: "withdrawableAssets" })]],
    });
    const unlocked = laterReward.unlockedMevReward - sharedReward.unlockedMevReward;
    assert.equal(
      decodeFunctionResult({ abi: vaultAbi, functionName: "withdrawableAssets", data: result[1] as Hex }),
      (await client.getBalance({ address: shared.address })) + unlocked,
    );
    const receipt = await mined(
      client,
      client.writeContract({
        address: shared.address,
        abi: vaultAbi,
        functionName: "multicall",
        args: [calls],
      }),
    );
    const [harvested] = parseEventLogs({ abi: keeperAbi, logs: receipt.logs, eventName: "Harvested" });
    assert.equal(harvested?.args.totalAssetsDelta, laterReward.reward - sharedReward.reward);
    assert.equal(
      harvested?.args.unlockedMevDelta,
      laterReward.unlockedMevReward - sharedReward.unlockedMevReward,
    );
    assert.equal(
      parseEventLogs({ abi: vaultAbi, logs: receipt.logs, eventName: "ValidatorRegistered" }).length,
      1,
    );
    assert.equal(await vaultRead("validatorIndex", shared.address), 2n);
    assert.equal(await isHarvestRequired(shared.address), false);
  });

  it("harvests against the previous root after a newer update", async () => {
    const previous = latest;
    await publishRewards([{ vault: own.address, reward: parseEther("0.6"), unlockedMevReward: 0n }]);
    assert.equal(await keeperRead("prevRewardsRoot"), previous.root);
    const receipt = await mined(
      devnet.clients.sender,
      updateState(
        own.address,
        harvestParams(previous, { vault: own.address, reward: parseEther("0.5"), unlockedMevReward: 0n }),
      ),
    );
    const [harvested] = parseEventLogs({ abi: keeperAbi, logs: receipt.logs, eventName: "Harvested" });
    assert.equal(harvested?.args.totalAssetsDelta, parseEther("0.2"));
    assert.equal(await canHarvest(own.address), true);
  });
});
