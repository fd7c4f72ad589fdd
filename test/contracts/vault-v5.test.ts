/**
 * The version-5 devnet vault end to end on a real anvil: registration of 0x01 and 0x02 validators
 * by the validators manager (as sender, and by EIP-712 signature from another sender), top-ups,
 * EIP-7002 withdrawals with the fee, EIP-7251 consolidations with the oracles' approval, the exit
 * queue, and the request contracts' caller-visible behaviour.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { type Address, concat, type Hex, keccak256, parseEther, parseEventLogs } from "viem";
import { depositContractAbi } from "../../src/chain/abi/deposit-contract.ts";
import { readRequestFee, requestFeeForExcess, WITHDRAWAL_REQUESTS } from "../../src/chain/request-fees.ts";
import type { DevnetVault } from "../../src/devnet/deploy.ts";
import { setRequestExcess } from "../../src/devnet/system-contracts.ts";
import { type DevnetChain, startDevnetChain } from "../support/devnet-chain.ts";
import { assertRevert, littleEndian64, mined, oracleApproval } from "./fixtures.ts";
import {
  abiOf,
  consolidationApproval,
  nonceRoot,
  signAsManager,
  type ValidatorEntry,
  validatorEntry,
  withdrawalEntry,
} from "./fixtures-v5.ts";

// The checker's errors bubble up through the vault: decode them with the vault's call.
const vaultAbi = [
  ...abiOf("EthVaultV5"),
  ...abiOf("ConsolidationsChecker").filter((item) => item.type === "error"),
];
const checkerAbi = abiOf("ValidatorsChecker");

describe("EthVaultV5 on the devnet", () => {
  let devnet: DevnetChain;
  let vault: DevnetVault;
  let v01: ValidatorEntry;
  let v02: ValidatorEntry;

  before(async () => {
    devnet = await startDevnetChain({ oracles: 3 });
    vault = await devnet.createVault({ version: 5, validatorsManager: devnet.accounts.sender.address });
    v01 = validatorEntry(vault.address, 0, 0x01, 32_000_000_000);
    v02 = validatorEntry(vault.address, 1, 0x02, 100_000_000_000);
    const depositor = devnet.clients.depositor;
    await mined(depositor, depositor.sendTransaction({ to: vault.address, value: parseEther("300") }));
  });
  after(async () => {
    await devnet?.stop();
  });

  const read = (functionName: string, args: readonly unknown[] = []) =>
    devnet.clients.sender.readContract({ address: vault.address, abi: vaultAbi, functionName, args });
  const write = (
    from: keyof DevnetChain["clients"],
    functionName: string,
    args: readonly unknown[],
    value?: bigint,
  ) =>
    mined(
      devnet.clients[from],
      devnet.clients[from].writeContract({
        address: vault.address,
        abi: vaultAbi,
        functionName,
        args,
        ...(value === undefined ? {} : { value }),
      }),
    );
  const depositEvents = (logs: Parameters<typeof parseEventLogs>[0]["logs"]) =>
    parseEventLogs({ abi: depositContractAbi, logs, eventName: "DepositEvent" }).map((e) => e.args);
  const vaultEvents = (logs: Parameters<typeof parseEventLogs>[0]["logs"], eventName: string) =>
    parseEventLogs({ abi: vaultAbi, logs, eventName }).map((e) => e.args as Record<string, unknown>);

  it("is a version-5 vault whose validators manager is the configured account", async () => {
    assert.equal(await read("version"), 5);
    assert.equal(await read("validatorsManager"), devnet.accounts.sender.address);
    assert.equal(await read("validatorsManagerNonce"), 0n);
    assert.equal(await read("admin"), devnet.accounts.admin.address);
    assert.equal(await read("mevEscrow"), devnet.protocol.sharedMevEscrow.address);
  });

  it("registers a 0x01 validator of 32 ETH when the manager sends it", async () => {
    const params = await oracleApproval(devnet, vault.address, v01.bytes);
    await assertRevert(
      devnet.clients.depositor.writeContract({
        address: vault.address,
        abi: vaultAbi,
        functionName: "registerValidators",
        args: [params, "0x"],
      }),
      "AccessDenied",
    );
    const receipt = await write("sender", "registerValidators", [params, "0x"]);
    assert.deepEqual(vaultEvents(receipt.logs, "ValidatorRegistered"), [{ publicKey: v01.pubkey }]);
    const [deposit] = depositEvents(receipt.logs);
    assert.equal(deposit?.pubkey, v01.pubkey);
    assert.equal(deposit?.amount, littleEndian64(32_000_000_000n));
    assert.equal(
      deposit?.withdrawal_credentials,
      `0x01${"00".repeat(11)}${vault.address.slice(2).toLowerCase()}`,
    );
    assert.equal(await read("v2Validators", [keccak256(v01.pubkey)]), false);
  });

  it("registers a 0x02 validator of 100 ETH from another sender with the manager's EIP-712 signature", async () => {
    const params = await oracleApproval(devnet, vault.address, v02.bytes);
    const sign = (root: Hex) =>
      signAsManager(devnet.accounts.sender.privateKey, devnet.anvil.chainId, vault.address, root, v02.bytes);
    // v3-core v4.0.1 VaultValidators.sol:106 signs over `keeperParams.validatorsRegistryRoot`, not the nonce.
    await assertRevert(
      devnet.clients.depositor.writeContract({
        address: vault.address,
        abi: vaultAbi,
        functionName: "registerValidators",
        args: [params, await sign(nonceRoot(0n))],
      }),
      "AccessDenied",
    );
    const receipt = await write("depositor", "registerValidators", [
      params,
      await sign(params.validatorsRegistryRoot),
    ]);
    assert.deepEqual(vaultEvents(receipt.logs, "V2ValidatorRegistered"), [
      { publicKey: v02.pubkey, amount: parseEther("100") },
    ]);
    const [deposit] = depositEvents(receipt.logs);
    assert.equal(deposit?.amount, littleEndian64(100_000_000_000n));
    assert.equal(
      deposit?.withdrawal_credentials,
      `0x02${"00".repeat(11)}${vault.address.slice(2).toLowerCase()}`,
    );
    assert.equal(await read("v2Validators", [keccak256(v02.pubkey)]), true);
    // VaultValidators.sol:228 `validatorsManagerNonce += 1;` after every accepted signature.
    assert.equal(await read("validatorsManagerNonce"), 1n);
  });

  it("refuses entries of neither length and registrations outside 32–2048 ETH", async () => {
    const small = validatorEntry(vault.address, 2, 0x02, 16_000_000_000);
    await assertRevert(
      write("sender", "registerValidators", [await oracleApproval(devnet, vault.address, small.bytes), "0x"]),
      "InvalidAssets",
    );
    const odd = concat([v01.bytes, "0x00"]);
    await assertRevert(
      write("sender", "registerValidators", [await oracleApproval(devnet, vault.address, odd), "0x"]),
      "InvalidValidators",
    );
  });

  it("tops up registered 0x02 validators only", async () => {
    const topUp = validatorEntry(vault.address, 1, 0x02, 50_000_000_000);
    const receipt = await write("sender", "fundValidators", [topUp.bytes, "0x"]);
    assert.deepEqual(vaultEvents(receipt.logs, "ValidatorFunded"), [
      { publicKey: v02.pubkey, amount: parseEther("50") },
    ]);
    assert.equal(depositEvents(receipt.logs)[0]?.amount, littleEndian64(50_000_000_000n));

    const stranger = validatorEntry(vault.address, 3, 0x02, 50_000_000_000);
    await assertRevert(write("sender", "fundValidators", [stranger.bytes, "0x"]), "InvalidValidators");
    await assertRevert(write("sender", "fundValidators", [v01.bytes, "0x"]), "CannotTopUpV1Validators");
  });

  it("reads the EIP-7002 fee, pays it per request and refunds the rest", async () => {
    const requests = devnet.protocol.validatorsWithdrawals;
    const sender = devnet.clients.sender;
    assert.equal(await readRequestFee({ client: sender, address: requests, kind: "withdrawal" }), 1n);
    await setRequestExcess(sender, requests, 100n);
    const fee = requestFeeForExcess(WITHDRAWAL_REQUESTS, 100n);
    assert.equal(await readRequestFee({ client: sender, address: requests, kind: "withdrawal" }), fee);

    const list = concat([withdrawalEntry(v02.pubkey, 20_000_000_000n), withdrawalEntry(v01.pubkey, 0n)]);
    await assert.rejects(write("sender", "withdrawValidators", [list, "0x"], 2n * fee - 1n));
    await assertRevert(write("depositor", "withdrawValidators", [list, "0x"], 2n * fee), "AccessDenied");

    const vaultBalance = await sender.getBalance({ address: vault.address });
    const receipt = await write("sender", "withdrawValidators", [list, "0x"], 2n * fee + parseEther("1"));
    assert.deepEqual(vaultEvents(receipt.logs, "ValidatorWithdrawalSubmitted"), [
      { publicKey: v02.pubkey, amount: parseEther("20"), feePaid: fee },
      { publicKey: v01.pubkey, amount: 0n, feePaid: fee },
    ]);
    // The request contract's log: no topics, data = source address ‖ pubkey ‖ amount (8 bytes BE).
    const requestLogs = receipt.logs.filter((l) => l.address.toLowerCase() === requests.toLowerCase());
    assert.deepEqual(
      requestLogs.map((l) => [l.topics.length, l.data]),
      [
        [0, concat([vault.address, withdrawalEntry(v02.pubkey, 20_000_000_000n)]).toLowerCase()],
        [0, concat([vault.address, withdrawalEntry(v01.pubkey, 0n)]).toLowerCase()],
      ],
    );
    assert.equal(await sender.getBalance({ address: requests }), 2n * fee);
    assert.equal(await sender.getBalance({ address: vault.address }), vaultBalance, "the excess is refunded");
    await setRequestExcess(sender, requests, 0n);
  });

  it("takes a withdrawal signed by the manager at the current nonce", async () => {
    const list = withdrawalEntry(v02.pubkey, 1_000_000_000n);
    const nonce = (await read("validatorsManagerNonce")) as bigint;
    const signature = await signAsManager(
      devnet.accounts.sender.privateKey,
      devnet.anvil.chainId,
      vault.address,
      nonceRoot(nonce),
      list,
    );
    await write("depositor", "withdrawValidators", [list, signature], 1n);
    assert.equal(await read("validatorsManagerNonce"), nonce + 1n);
    // The nonce moved on: the same signature no longer counts.
    await assertRevert(write("depositor", "withdrawValidators", [list, signature], 1n), "AccessDenied");
  });

  it("consolidates into a new target with the oracles' approval, and only into known targets without", async () => {
    const target = validatorEntry(vault.address, 4, 0x02, 32_000_000_000).pubkey;
    const list = concat([v01.pubkey, target]);
    await assertRevert(write("sender", "consolidateValidators", [list, "0x", "0x"], 1n), "InvalidValidators");
    await assertRevert(
      write(
        "sender",
        "consolidateValidators",
        [list, "0x", await consolidationApproval(devnet, devnet.accounts.admin.address, list)],
        1n,
      ),
      "InvalidSignatures",
    );

    const approval = await consolidationApproval(devnet, vault.address, list);
    const receipt = await write("sender", "consolidateValidators", [list, "0x", approval], 5n);
    assert.deepEqual(vaultEvents(receipt.logs, "ValidatorConsolidationSubmitted"), [
      { fromPublicKey: v01.pubkey, toPublicKey: target, feePaid: 1n },
    ]);
    const requests = devnet.protocol.validatorsConsolidations.toLowerCase();
    const [log] = receipt.logs.filter((l) => l.address.toLowerCase() === requests);
    assert.equal(log?.topics.length, 0);
    assert.equal(log?.data, concat([vault.address, v01.pubkey, target]).toLowerCase());
    assert.equal(await read("v2Validators", [keccak256(target)]), true);

    // A 0x01 → 0x02 switch of a tracked validator needs no approval.
    await write("sender", "consolidateValidators", [concat([v02.pubkey, v02.pubkey]), "0x", "0x"], 1n);
  });

  it("queues exits: the queue reserves assets and the checker reports the missing ones", async () => {
    const depositor = devnet.clients.depositor;
    const shares = (await read("getShares", [depositor.account.address])) as bigint;
    const withdrawable = (await read("withdrawableAssets")) as bigint;
    const queued = parseEther("200");
    assert.ok(shares > queued);
    const receipt = await write("depositor", "enterExitQueue", [queued, depositor.account.address]);
    const [entered] = vaultEvents(receipt.logs, "ExitQueueEntered");
    assert.equal(entered?.shares, queued);
    assert.equal(entered?.positionTicket, 0n);

    const data = (await read("getExitQueueData")) as readonly bigint[];
    assert.deepEqual(data, [queued, 0n, 0n, 0n, 0n]);
    assert.equal(await read("queuedShares"), queued);
    const balance = await depositor.getBalance({ address: vault.address });
    assert.equal(await read("withdrawableAssets"), withdrawable > queued ? withdrawable - queued : 0n);

    const checker = { address: devnet.protocol.validatorsChecker.address as Address, abi: checkerAbi };
    const target = (await depositor.readContract({
      ...checker,
      functionName: "getExitQueueCumulativeTickets",
      args: [vault.address],
    })) as bigint;
    assert.equal(target, queued);
    const missing = await depositor.readContract({
      ...checker,
      functionName: "getExitQueueMissingAssets",
      args: [vault.address, 0n, target],
    });
    assert.equal(missing, queued > balance ? queued - balance : 0n);
  });
});

describe("request contracts at the EIP-7002 / EIP-7251 addresses", () => {
  it("compute fake_exponential(1, excess, 17) like the EIPs", () => {
    // EIP-7002 MIN_WITHDRAWAL_REQUEST_FEE = 1, WITHDRAWAL_REQUEST_FEE_UPDATE_FRACTION = 17 (EIP-7251 the same).
    assert.equal(requestFeeForExcess(WITHDRAWAL_REQUESTS, 0n), 1n);
    assert.equal(requestFeeForExcess(WITHDRAWAL_REQUESTS, 17n), 2n);
    assert.equal(requestFeeForExcess(WITHDRAWAL_REQUESTS, 34n), 7n);
    assert.equal(requestFeeForExcess(WITHDRAWAL_REQUESTS, 100n), 357n);
  });
});
