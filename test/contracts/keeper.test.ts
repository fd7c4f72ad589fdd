/**
 * The Keeper's oracle set, config events, EIP-712 domain and exit-signature updates (spec §4.5,
 * §5.2, §6.5), plus the Multicall3 reads the operator batches, on a real anvil.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
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
import { multicall3Abi } from "../../src/chain/abi/multicall3.ts";
import { vaultAbi } from "../../src/chain/abi/vault.ts";
import { keeperDomain, keeperExitSignaturesTypedData } from "../../src/chain/keeper-eip712.ts";
import { deriveOracleKeys } from "../../src/devnet/accounts.ts";
import type { DevnetVault } from "../../src/devnet/deploy.ts";
import { type DevnetChain, startDevnetChain, TEST_CONFIG_IPFS_HASH } from "../support/devnet-chain.ts";
import {
  assertRevert,
  latestTimestamp,
  mined,
  oracleApproval,
  validatorsBytes,
  vaultDepositData,
} from "./fixtures.ts";

describe("Keeper on the devnet", () => {
  let devnet: DevnetChain;
  let keeper: Address;

  before(async () => {
    devnet = await startDevnetChain({ oracles: 3 });
    keeper = devnet.protocol.keeper.address;
  });
  after(async () => {
    await devnet?.stop();
  });

  const read = <F extends "totalOracles" | "validatorsMinOracles" | "rewardsMinOracles">(functionName: F) =>
    devnet.clients.sender.readContract({ address: keeper, abi: keeperAbi, functionName });
  const isOracle = (oracle: Address) =>
    devnet.clients.sender.readContract({
      address: keeper,
      abi: keeperAbi,
      functionName: "isOracle",
      args: [oracle],
    });

  it("starts with the configured oracles, thresholds and config event", async () => {
    assert.equal(await read("totalOracles"), 3n);
    assert.equal(await read("validatorsMinOracles"), 2n);
    assert.equal(await read("rewardsMinOracles"), 2n);
    for (const oracle of devnet.oracles) assert.equal(await isOracle(oracle.address), true);
    assert.equal(await isOracle(devnet.accounts.deployer.address), false);

    const client = devnet.clients.sender;
    const fromBlock = devnet.protocol.keeper.blockNumber;
    const configs = await client.getContractEvents({
      address: keeper,
      abi: keeperAbi,
      eventName: "ConfigUpdated",
      fromBlock,
    });
    assert.deepEqual(
      configs.map((e) => e.args.configIpfsHash),
      [TEST_CONFIG_IPFS_HASH],
    );
    const added = await client.getContractEvents({
      address: keeper,
      abi: keeperAbi,
      eventName: "OracleAdded",
      fromBlock,
    });
    assert.deepEqual(
      added.map((e) => e.args.oracle),
      devnet.oracles.map((o) => o.address),
    );
  });

  it("exposes the EIP-712 domain the oracles sign in", async () => {
    const [fields, name, version, chainId, verifyingContract] = await devnet.clients.sender.readContract({
      address: keeper,
      abi: keeperAbi,
      functionName: "eip712Domain",
    });
    assert.deepEqual(
      [fields, name, version, chainId, verifyingContract],
      ["0x0f", "KeeperOracles", "1", BigInt(devnet.anvil.chainId), keeper],
    );
  });

  it("lets only the owner manage oracles, thresholds and the config", async () => {
    const owner = devnet.clients.deployer;
    const extra = deriveOracleKeys({ count: 1, seed: "extra oracle" })[0]?.address as Address;
    const write = (client: typeof owner, functionName: "addOracle" | "removeOracle", oracle: Address) =>
      client.writeContract({ address: keeper, abi: keeperAbi, functionName, args: [oracle] });

    await assertRevert(write(devnet.clients.sender, "addOracle", extra), "OwnableUnauthorizedAccount");
    const addedReceipt = await mined(owner, write(owner, "addOracle", extra));
    assert.deepEqual(
      parseEventLogs({ abi: keeperAbi, logs: addedReceipt.logs, eventName: "OracleAdded" })[0]?.args,
      {
        oracle: extra,
      },
    );
    await assertRevert(write(owner, "addOracle", extra), "AlreadyAdded");
    assert.equal(await read("totalOracles"), 4n);
    const removedReceipt = await mined(owner, write(owner, "removeOracle", extra));
    assert.equal(
      parseEventLogs({ abi: keeperAbi, logs: removedReceipt.logs, eventName: "OracleRemoved" }).length,
      1,
    );
    await assertRevert(write(owner, "removeOracle", extra), "AlreadyRemoved");

    const setMin = (functionName: "setValidatorsMinOracles" | "setRewardsMinOracles", value: bigint) =>
      owner.writeContract({ address: keeper, abi: keeperAbi, functionName, args: [value] });
    await assertRevert(setMin("setValidatorsMinOracles", 0n), "InvalidOracles");
    await assertRevert(setMin("setRewardsMinOracles", 4n), "InvalidOracles");
    await mined(owner, setMin("setRewardsMinOracles", 3n));
    assert.equal(await read("rewardsMinOracles"), 3n);
    await mined(owner, setMin("setRewardsMinOracles", 2n));

    await assertRevert(
      devnet.clients.admin.writeContract({
        address: keeper,
        abi: keeperAbi,
        functionName: "updateConfig",
        args: ["x"],
      }),
      "OwnableUnauthorizedAccount",
    );
    const configReceipt = await mined(
      owner,
      owner.writeContract({
        address: keeper,
        abi: keeperAbi,
        functionName: "updateConfig",
        args: ["bafkreinewconfig"],
      }),
    );
    const [config] = parseEventLogs({ abi: keeperAbi, logs: configReceipt.logs, eventName: "ConfigUpdated" });
    assert.equal(config?.args.configIpfsHash, "bafkreinewconfig");
  });

  describe("exit signatures", () => {
    let vault: DevnetVault;
    const hash = "bafkreirotatedexitsignatures";

    const nonceOf = (address: Address) =>
      devnet.clients.sender.readContract({
        address: keeper,
        abi: keeperAbi,
        functionName: "exitSignaturesNonces",
        args: [address],
      });
    const sign = async (nonce: bigint, deadline: bigint, threshold?: number) =>
      devnet.signAsOracles(
        keeperExitSignaturesTypedData(keeperDomain(devnet.anvil.chainId, keeper), {
          vault: vault.address,
          exitSignaturesIpfsHash: hash,
          nonce,
          deadline,
        }),
        threshold === undefined ? {} : { threshold },
      );
    const update = (deadline: bigint, signatures: Hex) =>
      devnet.clients.sender.writeContract({
        address: keeper,
        abi: keeperAbi,
        functionName: "updateExitSignatures",
        args: [vault.address, deadline, hash, signatures],
      });

    before(async () => {
      vault = await devnet.createVault();
    });

    it("refuses a vault without validators: InvalidVault", async () => {
      const deadline = (await latestTimestamp(devnet)) + 600n;
      await assertRevert(update(deadline, await sign(0n, deadline)), "InvalidVault");
    });

    it("updates with the oracles' signatures over the current nonce, then bumps it", async () => {
      const data = await vaultDepositData(vault.address, 1);
      const depositor = devnet.clients.depositor;
      await mined(depositor, depositor.sendTransaction({ to: vault.address, value: parseEther("32") }));
      await mined(
        devnet.clients.keysManager,
        devnet.clients.keysManager.writeContract({
          address: vault.address,
          abi: vaultAbi,
          functionName: "setValidatorsRoot",
          args: [toHex(data.tree.root)],
        }),
      );
      const params = await oracleApproval(devnet, vault.address, validatorsBytes(data, [0]));
      await mined(
        devnet.clients.sender,
        devnet.clients.sender.writeContract({
          address: vault.address,
          abi: vaultAbi,
          functionName: "registerValidator",
          args: [params, data.tree.getProof(0).map((node) => toHex(node))],
        }),
      );

      assert.equal(await nonceOf(vault.address), 0n);
      const deadline = (await latestTimestamp(devnet)) + 600n;
      const signatures = await sign(0n, deadline);
      const receipt = await mined(devnet.clients.sender, update(deadline, signatures));
      const [event] = parseEventLogs({
        abi: keeperAbi,
        logs: receipt.logs,
        eventName: "ExitSignaturesUpdated",
      });
      assert.deepEqual(event?.args, {
        caller: devnet.clients.sender.account.address,
        vault: vault.address,
        nonce: 0n,
        exitSignaturesIpfsHash: hash,
      });
      assert.equal(await nonceOf(vault.address), 1n);
      // The same signatures are void now that the nonce moved on.
      await assertRevert(update(deadline, signatures), "InvalidOracle");
    });

    it("rejects an expired deadline and too few signatures", async () => {
      const expired = (await latestTimestamp(devnet)) - 1n;
      await assertRevert(update(expired, await sign(1n, expired)), "DeadlineExpired");
      const deadline = (await latestTimestamp(devnet)) + 600n;
      await assertRevert(update(deadline, await sign(1n, deadline, 1)), "NotEnoughSignatures");
      await mined(devnet.clients.sender, update(deadline, await sign(1n, deadline)));
      assert.equal(await nonceOf(vault.address), 2n);
    });
  });

  it("serves batched reads and calls through Multicall3 at the canonical address", async () => {
    const client = devnet.clients.sender;
    const multicall3 = devnet.protocol.multicall3;
    const call = (functionName: "validatorsMinOracles" | "rewardsMinOracles") => ({
      target: keeper,
      allowFailure: false,
      callData: encodeFunctionData({ abi: keeperAbi, functionName }),
    });
    const { result } = await client.simulateContract({
      address: multicall3,
      abi: multicall3Abi,
      functionName: "aggregate3",
      args: [[call("validatorsMinOracles"), call("rewardsMinOracles")]],
    });
    assert.deepEqual(
      result.map((r, i) =>
        decodeFunctionResult({
          abi: keeperAbi,
          functionName: i === 0 ? "validatorsMinOracles" : "rewardsMinOracles",
          data: r.returnData,
        }),
      ),
      [2n, 2n],
    );
    const [blockNumber] = (
      await client.simulateContract({
        address: multicall3,
        abi: multicall3Abi,
        functionName: "aggregate",
        args: [
          [
            {
              target: keeper,
              callData: encodeFunctionData({ abi: keeperAbi, functionName: "rewardsNonce" }),
            },
          ],
        ],
      })
    ).result;
    const latest = await client.getBlockNumber();
    assert.ok(
      blockNumber === latest || blockNumber === latest + 1n,
      `block ${blockNumber}, latest ${latest}`,
    );
    const balance = await client.readContract({
      address: multicall3,
      abi: multicall3Abi,
      functionName: "getEthBalance",
      args: [devnet.accounts.depositor.address],
    });
    assert.equal(balance, await client.getBalance({ address: devnet.accounts.depositor.address }));
    // viem's own multicall action finds Multicall3 through the devnet chain definition.
    const [totalOracles] = await client.multicall({
      contracts: [{ address: keeper, abi: keeperAbi, functionName: "totalOracles" }],
      allowFailure: false,
    });
    assert.equal(totalOracles, 3n);
  });
});

describe("Keeper with 11 oracles", () => {
  it("approves a registration signed by 7 of 11 oracles", async () => {
    const devnet = await startDevnetChain({ oracles: 11, validatorsMinOracles: 7, rewardsMinOracles: 7 });
    try {
      const vault = await devnet.createVault();
      const data = await vaultDepositData(vault.address, 1);
      await mined(
        devnet.clients.depositor,
        devnet.clients.depositor.sendTransaction({ to: vault.address, value: parseEther("32") }),
      );
      await mined(
        devnet.clients.keysManager,
        devnet.clients.keysManager.writeContract({
          address: vault.address,
          abi: vaultAbi,
          functionName: "setValidatorsRoot",
          args: [toHex(data.tree.root)],
        }),
      );
      const proof = data.tree.getProof(0).map((node) => toHex(node));
      const register = async (threshold: number) =>
        devnet.clients.sender.writeContract({
          address: vault.address,
          abi: vaultAbi,
          functionName: "registerValidator",
          args: [
            await oracleApproval(devnet, vault.address, validatorsBytes(data, [0]), { threshold }),
            proof,
          ],
        });
      await assertRevert(register(6), "NotEnoughSignatures");
      await mined(devnet.clients.sender, register(7));
    } finally {
      await devnet.stop();
    }
  });
});
