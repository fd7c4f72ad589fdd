/**
 * The vault reader and the deposit-event scanner against the devnet's contracts: one aggregate3
 * call for the registration inputs, values at a past block, a clear error for an address that is
 * not a vault, a registration and a direct deposit seen as DepositEvents, and a harvest simulated
 * to the assets it frees.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { type Hex, type PublicClient, parseEther, toHex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { depositContractAbi } from "../../src/chain/abi/deposit-contract.ts";
import { vaultAbi } from "../../src/chain/abi/vault.ts";
import { revertErrorName } from "../../src/chain/contract-error.ts";
import { scanDepositEvents } from "../../src/chain/deposit-events.ts";
import { createExecutionClient, type ExecutionClient } from "../../src/chain/execution-client.ts";
import {
  combineOracleSignatures,
  keeperDomain,
  keeperValidatorsTypedData,
} from "../../src/chain/keeper-eip712.ts";
import { createVaultReader, type HarvestParams, type VaultReader } from "../../src/chain/vault-reader.ts";
import { type Devnet, startDevnet } from "../../src/devnet/devnet.ts";
import { UserInputError } from "../../src/lib/errors.ts";
import { registrationProof } from "../../src/oracles/registration-proof.ts";
import { type VaultDepositData, vaultDepositData } from "../contracts/fixtures.ts";

describe("vault reader and deposit events on the devnet", () => {
  let devnet: Devnet;
  let client: ExecutionClient;
  let reader: VaultReader;
  let data: VaultDepositData;
  let extra: VaultDepositData;
  const calls: string[] = [];

  before(async () => {
    devnet = await startDevnet({ blockTime: "automine" });
    client = createExecutionClient({ endpoints: [devnet.executionUrl], network: devnet.network });
    const counting = new Proxy(client, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver);
        if (typeof value !== "function" || typeof property !== "string") return value;
        return (...args: unknown[]) => {
          calls.push(property);
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    }) as unknown as PublicClient;
    reader = createVaultReader({ client: counting, network: devnet.network });
    [data, extra] = await Promise.all([
      vaultDepositData(devnet.vault.address, 2),
      vaultDepositData(devnet.vault.address, 1, 5),
    ]);
    await mined(
      devnet.clients.keysManager.writeContract({
        address: devnet.vault.address,
        abi: vaultAbi,
        functionName: "setValidatorsRoot",
        args: [toHex(data.tree.root)],
      }),
    );
  });
  after(() => devnet?.stop());

  async function mined(sent: Promise<Hex>) {
    const receipt = await devnet.clients.deployer.waitForTransactionReceipt({ hash: await sent });
    assert.equal(receipt.status, "success");
    return receipt;
  }

  /** Registers validator `index` of `data` with approvals signed by the devnet's oracle keys. */
  async function registerOne(index: number) {
    const root = await reader.depositRoot();
    const validators = toHex(data.txValidators[index] as Uint8Array);
    const block = await client.getBlock();
    const message = {
      validatorsRegistryRoot: root,
      vault: devnet.vault.address,
      validators,
      exitSignaturesIpfsHash: "bafkreiexitsignatures",
      deadline: block.timestamp + 600n,
    };
    const typedData = keeperValidatorsTypedData(
      keeperDomain(devnet.network.chainId, devnet.network.keeper.address),
      message,
    );
    const signatures = await Promise.all(
      devnet.oracleKeys.map(async (k) => ({
        oracle: k.address,
        signature: await privateKeyToAccount(k.privateKey).signTypedData(typedData),
      })),
    );
    const proof = registrationProof(data.tree, index, 1).singleProof as Hex[];
    return mined(
      devnet.clients.sender.writeContract({
        address: devnet.vault.address,
        abi: vaultAbi,
        functionName: "registerValidator",
        args: [
          {
            validatorsRegistryRoot: root,
            deadline: message.deadline,
            validators,
            signatures: combineOracleSignatures(signatures, devnet.protocol.validatorsMinOracles),
            exitSignaturesIpfsHash: message.exitSignaturesIpfsHash,
          },
          proof,
        ],
      }),
    );
  }

  it("reads the registration inputs in one eth_call, at a given block", async () => {
    calls.length = 0;
    const before = await reader.readVault(devnet.vault.address);
    assert.deepEqual(calls, ["call"]);
    assert.equal(before.blockNumber, await client.getBlockNumber({ cacheTime: 0 }));
    assert.equal(before.validatorsRoot, toHex(data.tree.root));
    assert.equal(before.validatorIndex, 0);
    assert.equal(before.mevEscrow, devnet.vault.mevEscrow);
    assert.equal(before.version, 1);
    assert.equal(before.keysManager, devnet.accounts.keysManager.address);
    assert.equal(before.depositRoot, await reader.depositRoot());
    assert.equal(before.canHarvest, false);
    assert.equal(before.isHarvestRequired, false);

    await devnet.depositToVault(40);
    const after = await reader.readVault(devnet.vault.address);
    assert.equal(after.withdrawableAssets, before.withdrawableAssets + parseEther("40"));
    const past = await reader.readVault(devnet.vault.address, { blockNumber: before.blockNumber });
    assert.deepEqual(past, before);
  });

  it("says clearly when the address is not a vault", async () => {
    await assert.rejects(reader.readVault(devnet.network.keeper.address), (error: unknown) => {
      assert.ok(error instanceof UserInputError);
      assert.match(
        error.message,
        new RegExp(
          `${devnet.network.keeper.address} does not answer validatorsRoot\\(\\): is it a first-generation StakeWise V3 vault on devnet\\?`,
        ),
      );
      return true;
    });
  });

  it("sees a registration and a direct deposit as DepositEvents, in any chunking", async () => {
    const rootBefore = await reader.depositRoot();
    const assetsBefore = (await reader.readVault(devnet.vault.address)).withdrawableAssets;
    const registered = await registerOne(0);
    const state = await reader.readVault(devnet.vault.address);
    assert.equal(state.validatorIndex, 1);
    assert.equal(state.withdrawableAssets, assetsBefore - parseEther("32"));
    assert.notEqual(state.depositRoot, rootBefore);

    const entry = extra.entries[0];
    assert.ok(entry);
    const direct = await mined(
      devnet.clients.depositor.writeContract({
        address: devnet.network.depositContract.address,
        abi: depositContractAbi,
        functionName: "deposit",
        args: [
          `0x${entry.pubkey}`,
          `0x${entry.withdrawal_credentials}`,
          `0x${entry.signature}`,
          `0x${entry.deposit_data_root}`,
        ],
        value: parseEther("32"),
      }),
    );

    const scan = (chunk: { initialChunk: bigint; maxChunk: bigint }) =>
      scanDepositEvents({
        client,
        depositContract: devnet.network.depositContract.address,
        fromBlock: BigInt(devnet.network.depositContract.genesisBlock),
        toBlock: direct.blockNumber,
        ...chunk,
      });
    const events = await scan({ initialChunk: 1_000n, maxChunk: 1_000n });
    assert.equal(events.length, 2);
    const [first, second] = events;
    assert.equal(first?.pubkey, `0x${data.entries[0]?.pubkey}`);
    assert.equal(first?.withdrawalCredentials, `0x${data.entries[0]?.withdrawal_credentials}`);
    assert.equal(first?.signature, `0x${data.entries[0]?.signature}`);
    assert.equal(first?.amountGwei, 32_000_000_000n);
    assert.equal(first?.index, 0n);
    assert.equal(first?.blockNumber, registered.blockNumber);
    assert.equal(first?.transactionHash, registered.transactionHash);
    assert.equal(second?.pubkey, `0x${entry.pubkey}`);
    assert.equal(second?.index, 1n);
    assert.equal(second?.blockNumber, direct.blockNumber);
    assert.deepEqual(await scan({ initialChunk: 1n, maxChunk: 3n }), events);
  });

  it("simulates a harvest to the assets it frees, and reports a bad proof by name", async () => {
    await mined(
      devnet.clients.depositor.sendTransaction({
        to: devnet.protocol.sharedMevEscrow.address,
        value: parseEther("1"),
      }),
    );
    const published = await devnet.publishRewards([
      {
        vault: devnet.vault.address,
        consensusReward: parseEther("0.5"),
        unlockedMevReward: parseEther("0.25"),
        lockedMevReward: 0n,
      },
    ]);
    assert.equal(await reader.canHarvest(devnet.vault.address), true);
    assert.equal(await reader.isHarvestRequired(devnet.vault.address), false);
    const file = JSON.parse(new TextDecoder().decode(devnet.ipfs.get(published.ipfsHash))) as {
      vaults: Array<{ vault: string; proof: Hex[] }>;
    };
    const harvest: HarvestParams = {
      rewardsRoot: published.rewardsRoot,
      reward: parseEther("0.75"),
      unlockedMevReward: parseEther("0.25"),
      proof: file.vaults[0]?.proof ?? [],
    };
    const state = await reader.readVault(devnet.vault.address);
    assert.equal(state.canHarvest, true);
    const assets = await reader.simulateHarvestThenAssets(devnet.vault.address, harvest);
    assert.equal(assets, state.withdrawableAssets + parseEther("0.25"));
    // Only simulated: nothing changed.
    assert.equal((await reader.readVault(devnet.vault.address)).withdrawableAssets, state.withdrawableAssets);

    await assert.rejects(
      reader.simulateHarvestThenAssets(devnet.vault.address, { ...harvest, reward: parseEther("9") }),
      (error: unknown) => {
        assert.equal(revertErrorName(error), "InvalidProof");
        return true;
      },
    );
  });
});
