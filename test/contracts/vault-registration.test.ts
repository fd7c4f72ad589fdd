/**
 * First-generation vault registration end to end on a real anvil: deposits, the keys manager's
 * validators root, oracle-approved single-proof and multiproof registrations, and every guard the
 * operator can run into.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { type Hex, parseEther, parseEventLogs, toHex } from "viem";
import { depositContractAbi } from "../../src/chain/abi/deposit-contract.ts";
import { keeperAbi } from "../../src/chain/abi/keeper.ts";
import { vaultAbi } from "../../src/chain/abi/vault.ts";
import { deriveOracleKeys } from "../../src/devnet/accounts.ts";
import type { DevnetVault } from "../../src/devnet/deploy.ts";
import { multiProofIndexes } from "../../src/keys/validators-tree.ts";
import { vaultWithdrawalCredentials } from "../../src/keys/withdrawal-credentials.ts";
import { type DevnetChain, startDevnetChain } from "../support/devnet-chain.ts";
import {
  type ApprovalParams,
  assertRevert,
  EXIT_SIGNATURES_IPFS_HASH,
  expectedDepositRoot,
  latestTimestamp,
  littleEndian64,
  mined,
  oracleApproval,
  VALIDATOR_DEPOSIT_GWEI,
  VALIDATOR_DEPOSIT_WEI,
  type VaultDepositData,
  validatorsBytes,
  vaultDepositData,
} from "./fixtures.ts";

describe("EthVault registration on the devnet", () => {
  let devnet: DevnetChain;
  let vault: DevnetVault;
  let data: VaultDepositData;
  /** Deposit data entries registered so far, in deposit order. */
  const deposited: VaultDepositData["entries"] = [];

  before(async () => {
    devnet = await startDevnetChain({ oracles: 3 });
    vault = await devnet.createVault();
    data = await vaultDepositData(vault.address, 6);
  });
  after(async () => {
    await devnet?.stop();
  });

  const read = <F extends "validatorIndex" | "validatorsRoot" | "withdrawableAssets" | "totalAssets">(
    functionName: F,
  ) => devnet.clients.sender.readContract({ address: vault.address, abi: vaultAbi, functionName });
  const depositRoot = () =>
    devnet.clients.sender.readContract({
      address: devnet.protocol.depositContract.address,
      abi: depositContractAbi,
      functionName: "get_deposit_root",
    });
  const registerOne = (params: ApprovalParams, proof: readonly Hex[], address = vault.address) =>
    devnet.clients.sender.writeContract({
      address,
      abi: vaultAbi,
      functionName: "registerValidator",
      args: [params, proof],
    });
  const proofOf = (index: number) => data.tree.getProof(index).map((node) => toHex(node));

  it("is a version-1 vault with the configured roles and the shared MEV escrow", async () => {
    const client = devnet.clients.sender;
    const at = { address: vault.address, abi: vaultAbi } as const;
    assert.equal(await client.readContract({ ...at, functionName: "version" }), 1);
    assert.equal(await client.readContract({ ...at, functionName: "admin" }), devnet.accounts.admin.address);
    assert.equal(
      await client.readContract({ ...at, functionName: "keysManager" }),
      devnet.accounts.keysManager.address,
    );
    assert.equal(
      await client.readContract({ ...at, functionName: "mevEscrow" }),
      devnet.protocol.sharedMevEscrow.address,
    );
    assert.equal(
      await client.readContract({
        address: devnet.protocol.vaultsRegistry.address,
        abi: [
          {
            type: "function",
            name: "vaults",
            stateMutability: "view",
            inputs: [{ name: "vault", type: "address" }],
            outputs: [{ name: "", type: "bool" }],
          },
        ] as const,
        functionName: "vaults",
        args: [vault.address],
      }),
      true,
    );
  });

  it("takes deposits through deposit() and plain transfers", async () => {
    const depositor = devnet.clients.depositor;
    const before = await read("totalAssets");
    const receipt = await mined(
      depositor,
      depositor.writeContract({
        address: vault.address,
        abi: vaultAbi,
        functionName: "deposit",
        args: [depositor.account.address, devnet.accounts.admin.address],
        value: parseEther("200"),
      }),
    );
    const [event] = parseEventLogs({ abi: vaultAbi, logs: receipt.logs, eventName: "Deposited" });
    assert.equal(event?.args.assets, parseEther("200"));
    assert.equal(event?.args.receiver, depositor.account.address);
    assert.equal(event?.args.referrer, devnet.accounts.admin.address);
    await mined(depositor, depositor.sendTransaction({ to: vault.address, value: parseEther("60") }));
    assert.equal(await read("totalAssets"), before + parseEther("260"));
    assert.equal(await read("withdrawableAssets"), before + parseEther("260"));
  });

  it("lets only the keys manager set the validators root", async () => {
    const root = toHex(data.tree.root);
    for (const role of ["admin", "sender"] as const) {
      await assertRevert(
        devnet.clients[role].writeContract({
          address: vault.address,
          abi: vaultAbi,
          functionName: "setValidatorsRoot",
          args: [root],
        }),
        "AccessDenied",
      );
    }
    const keysManager = devnet.clients.keysManager;
    const receipt = await mined(
      keysManager,
      keysManager.writeContract({
        address: vault.address,
        abi: vaultAbi,
        functionName: "setValidatorsRoot",
        args: [root],
      }),
    );
    const [event] = parseEventLogs({ abi: vaultAbi, logs: receipt.logs, eventName: "ValidatorsRootUpdated" });
    assert.deepEqual(event?.args, { caller: keysManager.account.address, validatorsRoot: root });
    assert.equal(await read("validatorsRoot"), root);
    assert.equal(await read("validatorIndex"), 0n);
  });

  it("registers validator 0 with a single proof", async () => {
    const client = devnet.clients.sender;
    const rootBefore = await depositRoot();
    const depositBalanceBefore = await client.getBalance({
      address: devnet.protocol.depositContract.address,
    });
    const params = await oracleApproval(devnet, vault.address, validatorsBytes(data, [0]));
    const receipt = await mined(client, registerOne(params, proofOf(0)));
    deposited.push(data.entries[0] as VaultDepositData["entries"][number]);

    const [event] = parseEventLogs({
      abi: depositContractAbi,
      logs: receipt.logs,
      eventName: "DepositEvent",
    });
    const entry = data.entries[0];
    assert.deepEqual(event?.args, {
      pubkey: `0x${entry?.pubkey}`,
      withdrawal_credentials: toHex(vaultWithdrawalCredentials(vault.address)),
      amount: littleEndian64(BigInt(VALIDATOR_DEPOSIT_GWEI)),
      signature: `0x${entry?.signature}`,
      index: littleEndian64(0n),
    });
    const [registered] = parseEventLogs({
      abi: vaultAbi,
      logs: receipt.logs,
      eventName: "ValidatorRegistered",
    });
    assert.equal(registered?.args.publicKey, `0x${entry?.pubkey}`);
    const [approval] = parseEventLogs({
      abi: keeperAbi,
      logs: receipt.logs,
      eventName: "ValidatorsApproval",
    });
    assert.deepEqual(approval?.args, {
      vault: vault.address,
      exitSignaturesIpfsHash: EXIT_SIGNATURES_IPFS_HASH,
    });

    const rootAfter = await depositRoot();
    assert.notEqual(rootAfter, rootBefore);
    assert.equal(rootAfter, expectedDepositRoot(deposited));
    assert.equal(
      await client.getBalance({ address: devnet.protocol.depositContract.address }),
      depositBalanceBefore + VALIDATOR_DEPOSIT_WEI,
    );
    assert.equal(await read("validatorIndex"), 1n);
    assert.equal(
      await client.readContract({
        address: devnet.protocol.keeper.address,
        abi: keeperAbi,
        functionName: "isCollateralized",
        args: [vault.address],
      }),
      true,
    );
  });

  it("rejects the same approval once the deposit root has moved on", async () => {
    const params = await oracleApproval(devnet, vault.address, validatorsBytes(data, [1]));
    await mined(
      devnet.clients.depositor,
      devnet.clients.depositor.writeContract({
        address: devnet.protocol.depositContract.address,
        abi: depositContractAbi,
        functionName: "deposit",
        args: [
          `0x${data.entries[5]?.pubkey}`,
          `0x${data.entries[5]?.withdrawal_credentials}`,
          `0x${data.entries[5]?.signature}`,
          `0x${data.entries[5]?.deposit_data_root}`,
        ],
        value: VALIDATOR_DEPOSIT_WEI,
      }),
    );
    deposited.push(data.entries[5] as VaultDepositData["entries"][number]);
    await assertRevert(registerOne(params, proofOf(1)), "InvalidValidatorsRegistryRoot");
  });

  it("registers validators 1–3 with a multiproof", async () => {
    const client = devnet.clients.sender;
    const order = [1, 2, 3];
    const multiProof = data.tree.getMultiProof(order);
    const params = await oracleApproval(devnet, vault.address, validatorsBytes(data, order));
    const receipt = await mined(
      client,
      client.writeContract({
        address: vault.address,
        abi: vaultAbi,
        functionName: "registerValidators",
        args: [
          params,
          multiProofIndexes(multiProof.leaves, order).map(BigInt),
          multiProof.proofFlags,
          multiProof.proof.map((node) => toHex(node)),
        ],
      }),
    );
    for (const i of order) deposited.push(data.entries[i] as VaultDepositData["entries"][number]);

    const events = parseEventLogs({ abi: depositContractAbi, logs: receipt.logs, eventName: "DepositEvent" });
    assert.deepEqual(
      events.map((e) => [e.args.pubkey, e.args.index]),
      order.map((i, k) => [`0x${data.entries[i]?.pubkey}`, littleEndian64(BigInt(k + 2))]),
    );
    const registered = parseEventLogs({
      abi: vaultAbi,
      logs: receipt.logs,
      eventName: "ValidatorRegistered",
    });
    assert.deepEqual(
      registered.map((e) => e.args.publicKey),
      order.map((i) => `0x${data.entries[i]?.pubkey}`),
    );
    assert.equal(await read("validatorIndex"), 4n);
    assert.equal(await depositRoot(), expectedDepositRoot(deposited));
  });

  describe("guards", () => {
    const next = 4;
    const approve = (options: Parameters<typeof oracleApproval>[3] = {}) =>
      oracleApproval(devnet, vault.address, validatorsBytes(data, [next]), options);

    it("rejects a proof for the wrong leaf: InvalidProof", async () => {
      // Validator 5 with its own proof: the vault hashes it with index 4, so the leaf is not in the tree.
      const params = await oracleApproval(devnet, vault.address, validatorsBytes(data, [5]));
      await assertRevert(registerOne(params, proofOf(5)), "InvalidProof");
      await assertRevert(registerOne(await approve(), proofOf(3)), "InvalidProof");
    });

    it("rejects a multiproof with the wrong indexes: InvalidProof", async () => {
      const order = [4, 5];
      const multiProof = data.tree.getMultiProof(order);
      const indexes = multiProofIndexes(multiProof.leaves, order).reverse().map(BigInt);
      const params = await oracleApproval(devnet, vault.address, validatorsBytes(data, order));
      await assertRevert(
        devnet.clients.sender.writeContract({
          address: vault.address,
          abi: vaultAbi,
          functionName: "registerValidators",
          args: [params, indexes, multiProof.proofFlags, multiProof.proof.map((node) => toHex(node))],
        }),
        "InvalidProof",
      );
    });

    it("rejects validators bytes that do not match the count: InvalidValidators / InvalidValidator", async () => {
      const params = await oracleApproval(devnet, vault.address, validatorsBytes(data, [4, 5]));
      await assertRevert(
        devnet.clients.sender.writeContract({
          address: vault.address,
          abi: vaultAbi,
          functionName: "registerValidators",
          args: [params, [0n], [], []],
        }),
        "InvalidValidators",
      );
      await assertRevert(registerOne(params, proofOf(4)), "InvalidValidator");
    });

    it("rejects an expired deadline: DeadlineExpired", async () => {
      const params = await approve({ deadline: (await latestTimestamp(devnet)) - 1n });
      await assertRevert(registerOne(params, proofOf(next)), "DeadlineExpired");
    });

    it("rejects a registry root other than the deposit contract's: InvalidValidatorsRegistryRoot", async () => {
      const params = await approve({ validatorsRegistryRoot: `0x${"11".repeat(32)}` });
      await assertRevert(registerOne(params, proofOf(next)), "InvalidValidatorsRegistryRoot");
    });

    it("rejects fewer signatures than validatorsMinOracles: NotEnoughSignatures", async () => {
      const params = await approve({ threshold: 1 });
      await assertRevert(registerOne(params, proofOf(next)), "NotEnoughSignatures");
    });

    it("rejects signatures not sorted by oracle address: InvalidOracle", async () => {
      const sorted = await approve();
      const first = sorted.signatures.slice(2, 132);
      const second = sorted.signatures.slice(132, 262);
      const params = { ...sorted, signatures: `0x${second}${first}` as Hex };
      await assertRevert(registerOne(params, proofOf(next)), "InvalidOracle");
    });

    it("rejects the same oracle twice: InvalidOracle", async () => {
      const sorted = await approve();
      const first = sorted.signatures.slice(2, 132);
      await assertRevert(
        registerOne({ ...sorted, signatures: `0x${first}${first}` }, proofOf(next)),
        "InvalidOracle",
      );
    });

    it("rejects a signer that is not an oracle: InvalidOracle", async () => {
      const strangers = deriveOracleKeys({ count: 1, seed: "not a devnet oracle" });
      const params = await approve({ signers: [...devnet.oracles.slice(0, 1), ...strangers], threshold: 2 });
      await assertRevert(registerOne(params, proofOf(next)), "InvalidOracle");
    });

    it("rejects an approval signed for another vault: InvalidOracle", async () => {
      const params = await approve({ signedVault: devnet.protocol.keeper.address });
      await assertRevert(registerOne(params, proofOf(next)), "InvalidOracle");
    });

    it("rejects approveValidators from an address that is not a registered vault: AccessDenied", async () => {
      const params = await approve();
      await assertRevert(
        devnet.clients.sender.writeContract({
          address: devnet.protocol.keeper.address,
          abi: keeperAbi,
          functionName: "approveValidators",
          args: [params],
        }),
        "AccessDenied",
      );
    });

    it("rejects a vault holding less than 32 ETH per validator: InsufficientAssets", async () => {
      const poor = await devnet.createVault();
      const poorData = await vaultDepositData(poor.address, 1);
      await mined(
        devnet.clients.depositor,
        devnet.clients.depositor.sendTransaction({ to: poor.address, value: parseEther("31") }),
      );
      const params = await oracleApproval(devnet, poor.address, validatorsBytes(poorData, [0]));
      await assertRevert(
        registerOne(
          params,
          poorData.tree.getProof(0).map((node) => toHex(node)),
          poor.address,
        ),
        "InsufficientAssets",
      );
    });

    it("still registers the next validator after all the rejections", async () => {
      await mined(devnet.clients.sender, registerOne(await approve(), proofOf(next)));
      assert.equal(await read("validatorIndex"), 5n);
    });
  });
});
