/**
 * The heart of `operator start` against the devnet: plan → oracle approvals → journaled
 * transaction, and a restart that settles a transaction signed before a crash by rebroadcasting
 * the same bytes (never a second transaction for the same keys).
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { type Hex, keccak256, parseEther } from "viem";
import { signTransaction } from "viem/actions";
import { vaultAbi } from "../../src/chain/abi/vault.ts";
import { mnemonicToSeed } from "../../src/crypto/mnemonic.ts";
import { type Devnet, startDevnet } from "../../src/devnet/devnet.ts";
import type { DepositDataEntry } from "../../src/keys/deposit-data-file.ts";
import { parseDepositData, serializeDepositData } from "../../src/keys/deposit-data-file.ts";
import { toPrefixedHex } from "../../src/lib/hex.ts";
import {
  createTransactionSender,
  type TransactionJournal,
} from "../../src/operator/tx/transaction-sender.ts";
import { viemTxChain } from "../../src/operator/tx/tx-chain.ts";
import type { OracleSet } from "../../src/oracles/oracle-set.ts";
import { type VaultDepositData, vaultDepositData } from "../contracts/fixtures.ts";
import { TEST_MNEMONIC } from "../support/cli.ts";
import { devnetOracleSet, prepareDevnetRegistration } from "../support/devnet-registration.ts";
import { mnemonicSigner } from "../support/mnemonic-signer.ts";

type Row = {
  id: number;
  kind: "registration";
  publicKeys: readonly string[];
  txHash: Hex;
  rawTx: Hex;
  nonce: number;
  status: string;
};

function memoryJournal(): TransactionJournal & { rows: Row[] } {
  const rows: Row[] = [];
  const set = (id: number, status: string) => {
    const row = rows.find((r) => r.id === id);
    if (row) row.status = status;
  };
  return {
    rows,
    recordSigned: async (e) => {
      rows.push({
        id: rows.length + 1,
        kind: "registration",
        publicKeys: e.publicKeys ?? [],
        txHash: e.txHash,
        rawTx: e.rawTx,
        nonce: e.nonce,
        status: "signed",
      });
      return rows.length;
    },
    markSent: async (id) => set(id, "sent"),
    markMined: async (id) => set(id, "mined"),
    markFailed: async (id) => set(id, "failed"),
    markDropped: async (id) => set(id, "dropped"),
    openTransactions: async () => rows.filter((r) => r.status === "signed" || r.status === "sent"),
  };
}

const seed = mnemonicToSeed(TEST_MNEMONIC);

/** The service's one transaction sender, over the devnet's sender account and `journal`. */
const senderOf = (devnet: Devnet, journal: TransactionJournal, maxFeePerGasWei = parseEther("0.0000001")) =>
  createTransactionSender({
    chain: viemTxChain(devnet.clients.sender),
    journal,
    maxFeePerGasWei,
    receiptTimeoutMs: 30_000,
  });

describe("registration core on the devnet", () => {
  let devnet: Devnet;
  let data: VaultDepositData;
  let entries: DepositDataEntry[];
  let oracles: OracleSet;

  before(async () => {
    devnet = await startDevnet({ blockTime: "automine" });
    data = await vaultDepositData(devnet.vault.address, 5);
    entries = parseDepositData(serializeDepositData(data.entries), "deposit_data.json", {
      vault: devnet.vault.address,
    });
    const set = await devnet.clients.keysManager.writeContract({
      address: devnet.vault.address,
      abi: vaultAbi,
      functionName: "setValidatorsRoot",
      args: [toPrefixedHex(data.tree.root)],
    });
    await devnet.clients.keysManager.waitForTransactionReceipt({ hash: set });
    await devnet.depositToVault(parseEther("160"));
    oracles = devnetOracleSet(devnet);
  });
  after(() => devnet?.stop());

  const vaultIndex = async () =>
    Number(
      await devnet.clients.sender.readContract({
        address: devnet.vault.address,
        abi: vaultAbi,
        functionName: "validatorIndex",
      }),
    );

  const prepare = (start: number, count: number) =>
    prepareDevnetRegistration(devnet, {
      entries: entries.slice(start, start + count),
      startIndex: start,
      tree: data.tree,
      oracles,
      signer: mnemonicSigner(seed, 0, entries.length),
    });

  it("registers three validators in one multiproof transaction, journaled", async () => {
    const journal = memoryJournal();
    const prepared = await prepare(0, 3);
    assert.deepEqual(prepared.oracleFailures, []);
    const receipt = await senderOf(devnet, journal).send({
      kind: "registration",
      to: devnet.vault.address,
      data: prepared.data,
      publicKeys: prepared.publicKeys,
      firstDepositIndex: 0,
    });
    assert.equal(receipt.status, "success");
    assert.equal(await vaultIndex(), 3);
    assert.deepEqual(
      journal.rows.map((r) => r.status),
      ["mined"],
    );
  });

  it("goes on with two oracles when one is down, and ignores one that signs wrongly", async () => {
    devnet.committee.setFault(0, "down");
    devnet.committee.setFault(1, "wrong-signature");
    await assert.rejects(prepare(3, 1), /1 oracle approvals agree, 2 required/);
    devnet.committee.setFault(1, null);
    const prepared = await prepare(3, 1);
    assert.equal(prepared.oracleFailures.length, 1);
    devnet.committee.setFault(0, null);
  });

  it("refuses to send above the gas price cap", async () => {
    const prepared = await prepare(3, 1);
    await assert.rejects(
      senderOf(devnet, memoryJournal(), 1n).send({
        kind: "registration",
        to: devnet.vault.address,
        data: prepared.data,
        publicKeys: prepared.publicKeys,
        firstDepositIndex: 3,
      }),
      /above --max-fee-per-gas-gwei/,
    );
  });

  it("after a crash between signing and broadcasting, a restart sends the same transaction once", async () => {
    const journal = memoryJournal();
    const prepared = await prepare(3, 1);
    const client = devnet.clients.sender;
    const nonce = await client.getTransactionCount({ address: client.account.address, blockTag: "pending" });
    const fees = await client.estimateFeesPerGas();
    const rawTx = await signTransaction(client, {
      account: client.account,
      chain: client.chain,
      to: devnet.vault.address,
      data: prepared.data,
      gas: 2_000_000n,
      maxFeePerGas: fees.maxFeePerGas,
      maxPriorityFeePerGas: fees.maxPriorityFeePerGas,
      nonce,
      type: "eip1559",
    });
    await journal.recordSigned({
      kind: "registration",
      publicKeys: prepared.publicKeys,
      firstDepositIndex: 3,
      txHash: keccak256(rawTx),
      rawTx,
      nonce,
    });
    // …crash here: nothing was broadcast. The restarted service settles the journal first.
    const sender = senderOf(devnet, journal);
    assert.equal(await sender.settle(), true);
    assert.equal(journal.rows[0]?.status, "mined");
    assert.equal(await vaultIndex(), 4);
    // Settling again is a no-op: no second transaction.
    const nonceAfter = await client.getTransactionCount({ address: client.account.address });
    assert.equal(await sender.settle(), true);
    assert.equal(await client.getTransactionCount({ address: client.account.address }), nonceAfter);
  });
});
