/**
 * The DepositDataRegistry on a real anvil: a version-5 vault whose validators manager is the
 * registry registers the deposit data of a published root in deposit-data order, by single proof
 * and by multiproof, with 0x01 (176-byte) and 0x02 (184-byte) entries.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { encodeAbiParameters, type Hex, keccak256, parseEther, parseEventLogs, toHex } from "viem";
import { depositContractAbi } from "../../src/chain/abi/deposit-contract.ts";
import type { DevnetVault } from "../../src/devnet/deploy.ts";
import { multiProofIndexes } from "../../src/keys/validators-tree.ts";
import { type DevnetChain, startDevnetChain } from "../support/devnet-chain.ts";
import { assertRevert, littleEndian64, mined, oracleApproval, vaultDepositData } from "./fixtures.ts";
import { abiOf, validatorEntry } from "./fixtures-v5.ts";

const registryAbi = [
  ...abiOf("DepositDataRegistry"),
  ...abiOf("EthVaultV5").filter((i) => i.type === "error"),
];

describe("DepositDataRegistry on the devnet", () => {
  let devnet: DevnetChain;
  let vault: DevnetVault;

  before(async () => {
    devnet = await startDevnetChain({ oracles: 3 });
    vault = await devnet.createVault({
      version: 5,
      validatorsManager: devnet.protocol.depositDataRegistry.address,
    });
    const depositor = devnet.clients.depositor;
    await mined(depositor, depositor.sendTransaction({ to: vault.address, value: parseEther("400") }));
  });
  after(async () => {
    await devnet?.stop();
  });

  const registry = () =>
    ({ address: devnet.protocol.depositDataRegistry.address, abi: registryAbi }) as const;
  const read = (functionName: string, args: readonly unknown[]) =>
    devnet.clients.sender.readContract({ ...registry(), functionName, args });
  const write = (from: keyof DevnetChain["clients"], functionName: string, args: readonly unknown[]) =>
    mined(devnet.clients[from], devnet.clients[from].writeContract({ ...registry(), functionName, args }));

  it("lets the admin (the default deposit data manager) set the root, and refuses version-1 vaults", async () => {
    const admin = devnet.accounts.admin.address;
    assert.equal(await read("getDepositDataManager", [vault.address]), admin);
    await assertRevert(
      write("sender", "setDepositDataRoot", [vault.address, toHex(1, { size: 32 })]),
      "AccessDenied",
    );
    const v1 = await devnet.createVault({ version: 1 });
    await assertRevert(
      write("admin", "setDepositDataRoot", [v1.address, toHex(1, { size: 32 })]),
      "InvalidVault",
    );
    await write("admin", "setDepositDataManager", [vault.address, devnet.accounts.keysManager.address]);
    assert.equal(await read("getDepositDataManager", [vault.address]), devnet.accounts.keysManager.address);
  });

  it("registers 0x01 deposit data in order: one by proof, then two by multiproof", async () => {
    const data = await vaultDepositData(vault.address, 4);
    const root = toHex(data.tree.root);
    await write("keysManager", "setDepositDataRoot", [vault.address, root]);
    await assertRevert(write("keysManager", "setDepositDataRoot", [vault.address, root]), "ValueNotChanged");
    assert.equal(await read("depositDataRoots", [vault.address]), root);

    const first = toHex(data.txValidators[0] as Uint8Array);
    const proof0 = data.tree.getProof(0).map((n) => toHex(n));
    // Leaf 1 at index 0 is out of order.
    const second = toHex(data.txValidators[1] as Uint8Array);
    await assertRevert(
      write("sender", "registerValidator", [
        vault.address,
        await oracleApproval(devnet, vault.address, second),
        data.tree.getProof(1).map((n) => toHex(n)),
      ]),
      "InvalidProof",
    );
    const receipt = await write("sender", "registerValidator", [
      vault.address,
      await oracleApproval(devnet, vault.address, first),
      proof0,
    ]);
    const [deposit] = parseEventLogs({
      abi: depositContractAbi,
      logs: receipt.logs,
      eventName: "DepositEvent",
    });
    assert.equal(deposit?.args.pubkey, `0x${data.entries[0]?.pubkey}`);
    assert.equal(deposit?.args.amount, littleEndian64(32_000_000_000n));
    assert.equal(await read("depositDataIndexes", [vault.address]), 1n);

    const order = [1, 2];
    const multiProof = data.tree.getMultiProof(order);
    const validators = order.map((i) => toHex(data.txValidators[i] as Uint8Array));
    const many = await write("sender", "registerValidators", [
      vault.address,
      await oracleApproval(devnet, vault.address, concatHex(validators)),
      multiProofIndexes(multiProof.leaves, order).map(BigInt),
      multiProof.proofFlags,
      multiProof.proof.map((n) => toHex(n)),
    ]);
    const deposits = parseEventLogs({ abi: depositContractAbi, logs: many.logs, eventName: "DepositEvent" });
    assert.deepEqual(
      deposits.map((e) => e.args.pubkey),
      order.map((i) => `0x${data.entries[i]?.pubkey}`),
    );
    assert.equal(await read("depositDataIndexes", [vault.address]), 3n);
  });

  it("registers 184-byte 0x02 entries through the registry too", async () => {
    const entry = validatorEntry(vault.address, 10, 0x02, 64_000_000_000);
    // v3-core v4.0.1 DepositDataRegistry.sol:103
    // `keccak256(bytes.concat(keccak256(abi.encode(keeperParams.validators, currentIndex))))`;
    // a tree of one leaf has that leaf as its root and an empty proof.
    const leaf = keccak256(
      keccak256(encodeAbiParameters([{ type: "bytes" }, { type: "uint256" }], [entry.bytes, 0n])),
    );
    await write("keysManager", "setDepositDataRoot", [vault.address, leaf]);
    const receipt = await write("sender", "registerValidator", [
      vault.address,
      await oracleApproval(devnet, vault.address, entry.bytes),
      [],
    ]);
    const [deposit] = parseEventLogs({
      abi: depositContractAbi,
      logs: receipt.logs,
      eventName: "DepositEvent",
    });
    assert.equal(deposit?.args.amount, littleEndian64(64_000_000_000n));
    assert.equal(await read("depositDataIndexes", [vault.address]), 1n);
  });
});

function concatHex(parts: readonly Hex[]): Hex {
  return `0x${parts.map((p) => p.slice(2)).join("")}`;
}
