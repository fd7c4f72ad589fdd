/**
 * Exit-signature rotation against the devnet's Keeper and oracles: when the oracle set changes
 * in the middle of a slot — after the slot's snapshot, before the rotation runs — the rotation
 * shares for the set it asks, so every current oracle holds a share of every validator's exit
 * signature afterwards, and the update goes through the journaled sender once.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { PublicKey, Signature, verify } from "@chainsafe/blst";
import { createPublicClient, type Hex, http, parseEventLogs } from "viem";
import { keeperAbi } from "../../src/chain/abi/keeper.ts";
import { createProtocolConfigSource } from "../../src/chain/protocol-config-source.ts";
import { exitSigningRoot } from "../../src/crypto/exit-message.ts";
import { mnemonicToSeed } from "../../src/crypto/mnemonic.ts";
import { deriveOracleKeys } from "../../src/devnet/accounts.ts";
import { type Devnet, startDevnet } from "../../src/devnet/devnet.ts";
import { parseHex } from "../../src/lib/hex.ts";
import { createRotationTask } from "../../src/operator/exit-signatures/rotation.ts";
import type { SlotSnapshot } from "../../src/operator/snapshot.ts";
import { createTransactionSender } from "../../src/operator/tx/transaction-sender.ts";
import { viemTxChain } from "../../src/operator/tx/tx-chain.ts";
import { createOracleSetReader } from "../../src/oracles/oracle-set.ts";
import { TEST_MNEMONIC } from "../support/cli.ts";
import { noJournal, registerValidators } from "../support/devnet-registration.ts";
import { memoryLogger } from "../support/memory-logger.ts";
import { mnemonicSigner } from "../support/mnemonic-signer.ts";

describe("exit-signature rotation on the devnet", () => {
  let devnet: Devnet;
  before(async () => {
    devnet = await startDevnet({ blockTime: "automine" });
  });
  after(() => devnet?.stop());

  it("shares for the oracle set it asks when the set changes mid-slot: every current oracle holds a share", async () => {
    await registerValidators(devnet, 0, 2);
    const readOracles = createOracleSetReader(
      createProtocolConfigSource({
        client: createPublicClient({ transport: http(devnet.executionUrl) }),
        network: devnet.network,
        ipfs: { gateways: [devnet.ipfsUrl] },
      }),
    );
    const signal = new AbortController().signal;
    // The slot's snapshot holds the set of its start…
    const before = (await readOracles(signal)).set;
    const block = await devnet.clients.sender.getBlock();
    const snapshot = {
      head: { number: block.number, timestamp: Number(block.timestamp) },
      oracles: before,
      fees: await devnet.clients.sender.estimateFeesPerGas(),
      balance: await devnet.clients.sender.getBalance({ address: devnet.clients.sender.account.address }),
    } as unknown as SlotSnapshot;
    // …then one oracle is replaced: two stay, a new one comes.
    const keys = devnet.committee.oracles.map((o) => o.key);
    const [replacement] = deriveOracleKeys({ count: 1, seed: "rotation test: the new oracle" });
    await devnet.replaceOracles([keys[0], keys[1], replacement] as typeof keys);

    const log = memoryLogger();
    const sender = createTransactionSender({
      chain: viemTxChain(devnet.clients.sender),
      journal: noJournal(),
      maxFeePerGasWei: 10n ** 12n,
      receiptTimeoutMs: 30_000,
    });
    let outdated: number | undefined;
    const task = createRotationTask({
      network: devnet.network,
      vault: devnet.vault.address,
      signer: mnemonicSigner(mnemonicToSeed(TEST_MNEMONIC), 0, 2),
      sender,
      publicKeysOf: async (indexes) => {
        await devnet.beacon.sync();
        return indexes.map((index) => ({
          index,
          publicKey: devnet.beacon.validatorAt(devnet.beacon.currentSlot(), { index })?.pubkey as Hex,
        }));
      },
      lastUpdateBlock: async () => undefined,
      nonce: () =>
        devnet.clients.sender.readContract({
          address: devnet.protocol.keeper.address,
          abi: keeperAbi,
          functionName: "exitSignaturesNonces",
          args: [devnet.vault.address],
        }),
      oracles: async (s) => (await readOracles(s)).set,
      timeoutMs: 5_000,
      onOutdated: (count) => {
        outdated = count;
      },
      log,
    });
    const outcome = await task.run({ snapshot, harvested: false }, signal);
    assert.deepEqual(outcome, { kind: "ok" }, JSON.stringify(log.entries));
    assert.equal(outdated, 2);
    assert.deepEqual(log.lines("warn"), [], "every oracle approved");

    // The update on chain: every current oracle decrypts its own share of each validator's exit
    // signature, and any two of them rebuild a signature that verifies.
    const logs = await devnet.clients.sender.getContractEvents({
      address: devnet.protocol.keeper.address,
      abi: keeperAbi,
      eventName: "ExitSignaturesUpdated",
      fromBlock: 0n,
    });
    const updates = parseEventLogs({ abi: keeperAbi, logs, eventName: "ExitSignaturesUpdated" });
    assert.equal(updates.length, 1, "one update sent");
    const ipfsHash = updates[0]?.args.exitSignaturesIpfsHash as string;
    await devnet.beacon.sync();
    for (const index of [0, 1]) {
      const validator = devnet.beacon.validatorAt(devnet.beacon.currentSlot(), { index });
      const pubkey = validator?.pubkey as Hex;
      for (const positions of [
        [0, 1],
        [1, 2],
        [0, 2],
      ]) {
        const signature = devnet.committee.reconstructExitSignature(ipfsHash, pubkey, positions);
        assert.ok(
          verify(
            exitSigningRoot(devnet.network, index),
            PublicKey.fromBytes(parseHex(pubkey, 48) as Uint8Array, true),
            Signature.fromBytes(signature, true),
          ),
          `validator ${index}: oracles ${positions} rebuild its exit signature`,
        );
      }
    }
    const report = await fetch(
      `${devnet.committee.oracles[2]?.server.url}/signatures/${devnet.vault.address}`,
    );
    assert.deepEqual(((await report.json()) as { validators: unknown[] }).validators, [], "nothing outdated");
  });
});
