/**
 * A vault's life on the devnet, through the same doors the operator uses: deposit data and the
 * validators root, approvals from the oracle HTTP servers (ECIES shards, Shamir shares), single and
 * multiproof registrations, the beacon simulator seeing the deposits and accepting only a correctly
 * signed voluntary exit, exit-signature rotation after an oracle-set change, and a harvest.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { PublicKey, Signature, verify } from "@chainsafe/blst";
import { type Hex, parseEther, parseEventLogs, recoverTypedDataAddress, toHex } from "viem";
import { keeperAbi } from "../../src/chain/abi/keeper.ts";
import { vaultAbi } from "../../src/chain/abi/vault.ts";
import {
  combineOracleSignatures,
  keeperDomain,
  keeperExitSignaturesTypedData,
  type OracleSignature,
} from "../../src/chain/keeper-eip712.ts";
import { deriveValidatorKey } from "../../src/crypto/bls-keys.ts";
import { exitSigningRoot, signExit } from "../../src/crypto/exit-message.ts";
import { mnemonicToSeed } from "../../src/crypto/mnemonic.ts";
import { computeDomain, computeSigningRoot, DOMAIN_VOLUNTARY_EXIT } from "../../src/crypto/signing.ts";
import { VoluntaryExit } from "../../src/crypto/ssz-types.ts";
import { deriveOracleKeys } from "../../src/devnet/accounts.ts";
import { type Devnet, startDevnet } from "../../src/devnet/devnet.ts";
import { parseHex, toPrefixedHex } from "../../src/lib/hex.ts";
import {
  type ApprovalRequest,
  OracleApprovalSchema,
  OutdatedSignaturesSchema,
} from "../../src/oracles/approval-request.ts";
import { buildApprovalRequest } from "../../src/oracles/build-approval-request.ts";
import { buildExitShards, prepareOracleRecipients } from "../../src/oracles/exit-shares.ts";
import { registrationProof } from "../../src/oracles/registration-proof.ts";
import { type VaultDepositData, vaultDepositData } from "../contracts/fixtures.ts";
import { TEST_MNEMONIC } from "../support/cli.ts";

const seed = mnemonicToSeed(TEST_MNEMONIC);

describe("devnet rehearsal through the oracles and the beacon simulator", () => {
  let devnet: Devnet;
  let data: VaultDepositData;
  const approvals: Array<{ ipfsHash: string; publicKey: Hex; index: number }> = [];

  before(async () => {
    devnet = await startDevnet({ blockTime: "automine", slotsPerEpoch: 2, activationDelaySlots: 1 });
    data = await vaultDepositData(devnet.vault.address, 4);
    const hash = await devnet.clients.keysManager.writeContract({
      address: devnet.vault.address,
      abi: vaultAbi,
      functionName: "setValidatorsRoot",
      args: [toPrefixedHex(data.tree.root)],
    });
    await devnet.clients.keysManager.waitForTransactionReceipt({ hash });
    await devnet.depositToVault(parseEther("96"));
  });
  after(() => devnet?.stop());

  const registryRoot = () =>
    devnet.clients.sender.readContract({
      address: devnet.protocol.depositContract.address,
      abi: [
        {
          type: "function",
          name: "get_deposit_root",
          stateMutability: "view",
          inputs: [],
          outputs: [{ type: "bytes32" }],
        },
      ] as const,
      functionName: "get_deposit_root",
    });
  const vaultIndex = async () =>
    Number(
      await devnet.clients.sender.readContract({
        address: devnet.vault.address,
        abi: vaultAbi,
        functionName: "validatorIndex",
      }),
    );
  const beaconValidators = async () => {
    const response = await fetch(`${devnet.consensusUrl}/eth/v1/beacon/states/head/validators`);
    return (
      (await response.json()) as {
        data: Array<{ index: string; status: string; validator: { pubkey: string } }>;
      }
    ).data;
  };

  /** Asks every oracle over HTTP, as the operator does, and combines the approvals for the Keeper. */
  async function approvalsFor(request: ApprovalRequest | Record<string, unknown>, path = "") {
    const answers = await Promise.all(
      devnet.committee.oracles.map(async (o) => {
        const response = await fetch(`${o.server.url}${path}`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(request),
        });
        const body = await response.json();
        assert.equal(response.status, 200, JSON.stringify(body));
        return { oracle: o.key.address, approval: OracleApprovalSchema.parse(body) };
      }),
    );
    const ipfsHashes = new Set(answers.map((a) => a.approval.ipfs_hash));
    assert.equal(ipfsHashes.size, 1, "every oracle stores the shards under the same CID");
    const signatures: OracleSignature[] = answers.map((a) => ({
      oracle: a.oracle,
      signature: a.approval.signature as Hex,
    }));
    return { ipfsHash: [...ipfsHashes][0] as string, signatures };
  }

  async function register(count: number) {
    await devnet.beacon.sync();
    const start = await vaultIndex();
    const validatorIndex = (await beaconValidators()).length;
    const config = devnet.committee.config();
    const recipients = prepareOracleRecipients(config.oracles.map((o) => ({ publicKey: o.public_key })));
    const root = await registryRoot();
    const proof = registrationProof(data.tree, start, count);
    const validators = Array.from({ length: count }, (_, k) => {
      const key = deriveValidatorKey(seed, start + k);
      return {
        publicKey: key.publicKey,
        depositSignature: parseHex(data.entries[start + k]?.signature as string, 96) as Uint8Array,
        exitSignature: signExit(key.secretKey, devnet.network, validatorIndex + k),
      };
    });
    const block = await devnet.clients.sender.getBlock();
    const deadline = Number(block.timestamp) + 60;
    const request = buildApprovalRequest({
      vault: devnet.vault.address,
      validatorIndex,
      registryRoot: root,
      validators,
      oracles: recipients,
      recoverThreshold: config.exit_signature_recover_threshold,
      network: devnet.network,
      deadline,
      proof,
    });
    const { ipfsHash, signatures } = await approvalsFor(request);
    const keeperParams = {
      validatorsRegistryRoot: root,
      deadline: BigInt(deadline),
      validators: toHex(Buffer.concat(data.txValidators.slice(start, start + count))),
      signatures: combineOracleSignatures(signatures, devnet.protocol.validatorsMinOracles),
      exitSignaturesIpfsHash: ipfsHash,
    };
    const hash =
      count === 1
        ? await devnet.clients.sender.writeContract({
            address: devnet.vault.address,
            abi: vaultAbi,
            functionName: "registerValidator",
            args: [keeperParams, proof.singleProof as Hex[]],
          })
        : await devnet.clients.sender.writeContract({
            address: devnet.vault.address,
            abi: vaultAbi,
            functionName: "registerValidators",
            args: [keeperParams, proof.indexes.map(BigInt), proof.proofFlags, proof.proof],
          });
    const receipt = await devnet.clients.sender.waitForTransactionReceipt({ hash });
    assert.equal(receipt.status, "success");
    validators.forEach((v, k) => {
      approvals.push({ ipfsHash, publicKey: toPrefixedHex(v.publicKey), index: validatorIndex + k });
    });
    return receipt;
  }

  it("registers one validator with a single proof from oracle approvals", async () => {
    const receipt = await register(1);
    const events = parseEventLogs({ abi: vaultAbi, logs: receipt.logs, eventName: "ValidatorRegistered" });
    assert.equal(events.length, 1);
    assert.equal(await vaultIndex(), 1);
  });

  it("registers two more with a multiproof", async () => {
    const receipt = await register(2);
    assert.equal(
      parseEventLogs({ abi: vaultAbi, logs: receipt.logs, eventName: "ValidatorRegistered" }).length,
      2,
    );
    assert.equal(await vaultIndex(), 3);
  });

  it("the beacon simulator sees the deposits in order, and the oracles can reassemble each exit signature", async () => {
    await devnet.beacon.sync();
    const validators = await beaconValidators();
    assert.deepEqual(
      validators.map((v) => v.validator.pubkey),
      [0, 1, 2].map((i) => toPrefixedHex(deriveValidatorKey(seed, i).publicKey)),
    );
    for (const a of approvals) {
      const signature = devnet.committee.reconstructExitSignature(a.ipfsHash, a.publicKey);
      const ok = verify(
        exitSigningRoot(devnet.network, a.index),
        PublicKey.fromBytes(parseHex(a.publicKey, 48) as Uint8Array, true),
        Signature.fromBytes(signature, true),
      );
      assert.ok(ok, `reassembled exit signature of validator ${a.index} verifies under the Capella domain`);
    }
  });

  it("accepts a voluntary exit only when signed with the Capella domain by the validator's key", async () => {
    const deadline = Date.now() + 20_000;
    while ((await beaconValidators())[0]?.status !== "active_ongoing") {
      assert.ok(Date.now() < deadline, "validator 0 became active");
      await new Promise((r) => setTimeout(r, 250));
    }
    const post = (signature: Uint8Array) =>
      fetch(`${devnet.consensusUrl}/eth/v1/beacon/pool/voluntary_exits`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          message: { epoch: "0", validator_index: "0" },
          signature: toPrefixedHex(signature),
        }),
      });
    const key0 = deriveValidatorKey(seed, 0).secretKey;
    const genesisDomain = computeDomain(
      DOMAIN_VOLUNTARY_EXIT,
      parseHex(devnet.network.genesisForkVersion, 4) as Uint8Array,
      parseHex(devnet.network.genesisValidatorsRoot, 32) as Uint8Array,
    );
    const wrongDomain = key0.sign(
      computeSigningRoot(VoluntaryExit.hashTreeRoot({ epoch: 0, validatorIndex: 0 }), genesisDomain),
    );
    assert.equal((await post(wrongDomain.toBytes())).status, 400);
    const wrongKey = signExit(deriveValidatorKey(seed, 1).secretKey, devnet.network, 0);
    assert.equal((await post(wrongKey.toBytes())).status, 400);
    const right = signExit(key0, devnet.network, 0);
    assert.equal((await post(right.toBytes())).status, 200);
    // The exit is included in the next slot's block; then the validator is exiting.
    const until = Date.now() + 10_000;
    let status = (await beaconValidators())[0]?.status;
    while (status === "active_ongoing" && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 250));
      status = (await beaconValidators())[0]?.status;
    }
    assert.ok(status === "active_exiting" || status?.startsWith("exited"), `status moved on: ${status}`);
  });

  it("rotates outdated exit signatures after the oracle set changes", async () => {
    const before = await fetch(
      `${devnet.committee.oracles[0]?.server.url}/signatures/${devnet.vault.address}`,
    );
    assert.deepEqual(OutdatedSignaturesSchema.parse(await before.json()).validators, []);

    await devnet.replaceOracles(deriveOracleKeys({ count: 3, seed: "rotated oracle set" }));
    const response = await fetch(
      `${devnet.committee.oracles[0]?.server.url}/signatures/${devnet.vault.address}`,
    );
    const outdated = OutdatedSignaturesSchema.parse(await response.json()).validators.map((v) => v.index);
    assert.deepEqual(outdated, [0, 1, 2]);

    const config = devnet.committee.config();
    const recipients = prepareOracleRecipients(config.oracles.map((o) => ({ publicKey: o.public_key })));
    const shards = outdated.map((index) => {
      const key = deriveValidatorKey(seed, index);
      return buildExitShards({
        exitSignature: signExit(key.secretKey, devnet.network, index),
        validatorPublicKey: key.publicKey,
        validatorIndex: index,
        network: devnet.network,
        threshold: config.exit_signature_recover_threshold,
        oracles: recipients,
      });
    });
    const block = await devnet.clients.sender.getBlock();
    const deadline = Number(block.timestamp) + 60;
    const { ipfsHash, signatures } = await approvalsFor(
      {
        vault_address: devnet.vault.address,
        public_keys: outdated.map((i) => toPrefixedHex(deriveValidatorKey(seed, i).publicKey)),
        public_key_shards: shards.map((s) => s.publicKeyShards),
        exit_signature_shards: shards.map((s) => s.exitSignatureShards),
        deadline,
      },
      "/signatures",
    );
    const nonce = await devnet.clients.sender.readContract({
      address: devnet.protocol.keeper.address,
      abi: keeperAbi,
      functionName: "exitSignaturesNonces",
      args: [devnet.vault.address],
    });
    const first = signatures[0] as OracleSignature;
    const signer = await recoverTypedDataAddress({
      ...keeperExitSignaturesTypedData(keeperDomain(devnet.network.chainId, devnet.protocol.keeper.address), {
        vault: devnet.vault.address,
        exitSignaturesIpfsHash: ipfsHash,
        nonce,
        deadline: BigInt(deadline),
      }),
      signature: first.signature,
    });
    assert.equal(signer, first.oracle);
    const hash = await devnet.clients.sender.writeContract({
      address: devnet.protocol.keeper.address,
      abi: keeperAbi,
      functionName: "updateExitSignatures",
      args: [devnet.vault.address, BigInt(deadline), ipfsHash, combineOracleSignatures(signatures, 2)],
    });
    const receipt = await devnet.clients.sender.waitForTransactionReceipt({ hash });
    assert.equal(
      parseEventLogs({ abi: keeperAbi, logs: receipt.logs, eventName: "ExitSignaturesUpdated" }).length,
      1,
    );
    const later = await fetch(
      `${devnet.committee.oracles[0]?.server.url}/signatures/${devnet.vault.address}`,
    );
    assert.deepEqual(OutdatedSignaturesSchema.parse(await later.json()).validators, []);
  });

  it("harvests a published rewards root with the proof from the rewards file on IPFS", async () => {
    // MEV lands in the shared escrow; the harvest pulls the vault's unlocked share from it.
    const funding = await devnet.clients.depositor.sendTransaction({
      to: devnet.protocol.sharedMevEscrow.address,
      value: parseEther("1"),
    });
    await devnet.clients.depositor.waitForTransactionReceipt({ hash: funding });
    const published = await devnet.publishRewards([
      {
        vault: devnet.vault.address,
        consensusReward: parseEther("0.5"),
        unlockedMevReward: parseEther("0.1"),
        lockedMevReward: 0n,
      },
    ]);
    const canHarvest = await devnet.clients.sender.readContract({
      address: devnet.protocol.keeper.address,
      abi: keeperAbi,
      functionName: "canHarvest",
      args: [devnet.vault.address],
    });
    assert.equal(canHarvest, true);
    const file = await (await fetch(`${devnet.ipfsUrl}/ipfs/${published.ipfsHash}`)).json();
    const entry = (file as { vaults: Array<Record<string, string | string[]>> }).vaults.find(
      (v) => String(v.vault).toLowerCase() === devnet.vault.address.toLowerCase(),
    );
    assert.ok(entry);
    const shared =
      devnet.vault.mevEscrow.toLowerCase() === devnet.protocol.sharedMevEscrow.address.toLowerCase();
    const consensus = BigInt(entry.consensus_reward as string);
    const unlocked = BigInt(entry.unlocked_mev_reward as string);
    const locked = BigInt(entry.locked_mev_reward as string);
    const hash = await devnet.clients.sender.writeContract({
      address: devnet.vault.address,
      abi: vaultAbi,
      functionName: "updateState",
      args: [
        {
          rewardsRoot: published.rewardsRoot,
          reward: shared ? consensus + unlocked + locked : consensus,
          unlockedMevReward: shared ? unlocked : 0n,
          proof: entry.proof as Hex[],
        },
      ],
    });
    assert.equal((await devnet.clients.sender.waitForTransactionReceipt({ hash })).status, "success");
    const after = await devnet.clients.sender.readContract({
      address: devnet.protocol.keeper.address,
      abi: keeperAbi,
      functionName: "canHarvest",
      args: [devnet.vault.address],
    });
    assert.equal(after, false);
  });

  it("listens on loopback only", () => {
    const pids = [process.pid, ...childPids(process.pid)];
    const inodes = new Set<string>();
    for (const pid of pids) {
      for (const fd of safeReaddir(`/proc/${pid}/fd`)) {
        const link = safeReadlink(`/proc/${pid}/fd/${fd}`);
        const match = link && /^socket:\[(\d+)\]$/.exec(link);
        if (match) inodes.add(match[1] as string);
      }
    }
    const listening: string[] = [];
    for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
      for (const line of readFileSync(table, "utf8").split("\n").slice(1)) {
        const cols = line.trim().split(/\s+/);
        if (cols[3] !== "0A" || !inodes.has(cols[9] as string)) continue; // 0A = LISTEN
        listening.push(cols[1] as string);
      }
    }
    assert.ok(listening.length >= 6, `found our listeners: ${listening.join(", ")}`);
    for (const local of listening) {
      const host = local.split(":")[0] as string;
      assert.ok(
        host === "0100007F" || host === "00000000000000000000000001000000",
        `a socket listens on ${local}, not loopback`,
      );
    }
  });
});

function childPids(pid: number): number[] {
  const children = safeRead(`/proc/${pid}/task/${pid}/children`)
    .trim()
    .split(/\s+/)
    .filter(Boolean)
    .map(Number);
  return children.flatMap((child) => [child, ...childPids(child)]);
}
function safeRead(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return "";
  }
}
function safeReaddir(path: string): string[] {
  try {
    return readdirSync(path);
  } catch {
    return [];
  }
}
function safeReadlink(path: string): string | undefined {
  try {
    return readlinkSync(path);
  } catch {
    return undefined;
  }
}
