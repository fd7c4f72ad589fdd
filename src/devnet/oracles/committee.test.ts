import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { type Address, getAddress, type Hex, keccak256, recoverTypedDataAddress } from "viem";
import {
  approvalRequest,
  CHAIN_ID,
  exitSignatureVerifies,
  FakeOracleChain,
  getJson,
  type HttpAnswer,
  KEEPER,
  NETWORK,
  NEXT_VALIDATOR_INDEX,
  nowSeconds,
  OTHER_VAULT,
  postJson,
  recipientsFor,
  testKey,
  VAULT,
  type VaultDeposits,
  vaultDeposits,
} from "../../../test/support/oracle-fixtures.ts";
import {
  combineOracleSignatures,
  keeperDomain,
  keeperExitSignaturesTypedData,
} from "../../chain/keeper-eip712.ts";
import type { EciesRecipient } from "../../crypto/ecies.ts";
import { signExit } from "../../crypto/exit-message.ts";
import { toPrefixedHex } from "../../lib/hex.ts";
import { buildExitShards } from "../../oracles/exit-shares.ts";
import { parseProtocolConfig } from "../../oracles/protocol-config.ts";
import { deriveOracleKeys, type OracleKey } from "../accounts.ts";
import { createIpfsStore, type IpfsStore } from "../ipfs/store.ts";
import { type OracleCommittee, startOracleCommittee } from "./committee.ts";

const RECOVER_THRESHOLD = 2;

function recipientsOf(committee: OracleCommittee): EciesRecipient[] {
  return recipientsFor(committee.config().oracles.map((o) => o.public_key));
}

const urls = (committee: OracleCommittee) => committee.oracles.map((o) => o.server.url);

/** GET /signatures/{vault} of every oracle: the outdated indexes each one lists. */
async function outdatedLists(committee: OracleCommittee, vault: Address = VAULT): Promise<number[][]> {
  const answers = await Promise.all(urls(committee).map((url) => getJson(`${url}/signatures/${vault}`)));
  return answers.map((answer) => {
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assert.equal(answer.body.exit_signature_block_number, 4242);
    return (answer.body.validators as Array<{ index: number }>).map((v) => v.index);
  });
}

/** The POST /signatures body for `keys` (validator k at beacon index indexes[k]), for the current set. */
function updateBody(
  recipients: readonly EciesRecipient[],
  validators: ReadonlyArray<{ key: number; index: number }>,
  deadline = nowSeconds() + 300,
  vault: Address = VAULT,
) {
  const shards = validators.map(({ key, index }) => {
    const validator = testKey(key);
    return buildExitShards({
      exitSignature: signExit(validator.secretKey, NETWORK, index),
      validatorPublicKey: validator.publicKey,
      validatorIndex: index,
      network: NETWORK,
      threshold: RECOVER_THRESHOLD,
      oracles: recipients,
    });
  });
  return {
    vault_address: vault,
    public_keys: validators.map(({ key }) => toPrefixedHex(testKey(key).publicKey)),
    public_key_shards: shards.map((s) => s.publicKeyShards),
    exit_signature_shards: shards.map((s) => s.exitSignatureShards),
    deadline,
  };
}

function postAll(committee: OracleCommittee, path: string, body: unknown): Promise<HttpAnswer[]> {
  return Promise.all(urls(committee).map((url) => postJson(`${url}${path}`, body)));
}

describe("oracle committee", () => {
  let chain: FakeOracleChain;
  let ipfs: IpfsStore;
  let committee: OracleCommittee;
  let deposits: VaultDeposits;
  const firstKeys = deriveOracleKeys({ count: 3 });

  before(async () => {
    chain = new FakeOracleChain();
    ipfs = createIpfsStore();
    deposits = await vaultDeposits(VAULT, 4);
    chain.setVault(VAULT, { validatorsRoot: deposits.root, validatorIndex: 0, exitSignaturesNonce: 0n });
    committee = await startOracleCommittee({
      keys: firstKeys,
      chain,
      chainId: CHAIN_ID,
      keeper: KEEPER,
      network: NETWORK,
      ipfs,
      recoverThreshold: RECOVER_THRESHOLD,
      signatureValidityPeriod: 300,
      validatorsApprovalBatchLimit: 10,
      validatorsExitRotationBatchLimit: 20,
    });
  });
  after(() => committee.close());

  it("publishes a protocol config the operator accepts, one oracle per key in order", () => {
    const json = committee.config();
    const config = parseProtocolConfig(json, 2, "committee");
    assert.equal(config.oracles.length, 3);
    assert.equal(config.exitSignatureRecoverThreshold, RECOVER_THRESHOLD);
    assert.equal(config.signatureValidityPeriod, 300);
    assert.equal(config.validatorsApprovalBatchLimit, 10);
    assert.equal(config.validatorsExitRotationBatchLimit, 20);
    assert.equal(json.exit_signature_epoch, NETWORK.capellaEpoch);
    config.oracles.forEach((oracle, j) => {
      const key = firstKeys[j] as OracleKey;
      // 64-byte x ‖ y without the 04 prefix; address = keccak256(x ‖ y)[12:] (spec §4.4).
      assert.match(oracle.publicKey, /^0x[0-9a-f]{128}$/);
      assert.equal(getAddress(`0x${keccak256(oracle.publicKey).slice(-40)}`), key.address);
      assert.deepEqual(oracle.endpoints, [committee.oracles[j]?.server.url]);
      assert.equal(new URL(oracle.endpoints[0] as string).hostname, "127.0.0.1");
      assert.equal(committee.oracles[j]?.server.address, key.address);
    });
  });

  it("reconstructExitSignature reports unknown hashes, validators and positions", async () => {
    chain.setVault(VAULT, { validatorsRoot: deposits.root, validatorIndex: 0, exitSignaturesNonce: 0n });
    const body = approvalRequest({
      deposits,
      startIndex: 0,
      count: 1,
      recipients: recipientsOf(committee),
      recoverThreshold: RECOVER_THRESHOLD,
    });
    const answer = await postJson(committee.oracles[0]?.server.url as string, body);
    assert.equal(answer.status, 200);
    const missing = await ipfs.put(new TextEncoder().encode("nothing here"));
    assert.throws(() => committee.reconstructExitSignature("bafkreinotacid", body.public_keys[0] as Hex));
    assert.throws(() => committee.reconstructExitSignature(missing, body.public_keys[0] as Hex));
    assert.throws(
      () => committee.reconstructExitSignature(answer.body.ipfs_hash, toPrefixedHex(testKey(3).publicKey)),
      /is not in/,
    );
    assert.throws(
      () => committee.reconstructExitSignature(answer.body.ipfs_hash, body.public_keys[0] as Hex, [0, 5]),
      /no oracle at position 5/,
    );
  });

  it("exit-signature rotation: outdated after an oracle-set change, current again once the update lands", async () => {
    // 1. Approve validators 0 and 1 (beacon indexes 100, 101) with the first oracle set.
    chain.setVault(VAULT, { validatorsRoot: deposits.root, validatorIndex: 0, exitSignaturesNonce: 0n });
    const body = approvalRequest({
      deposits,
      startIndex: 0,
      count: 2,
      recipients: recipientsOf(committee),
      recoverThreshold: RECOVER_THRESHOLD,
    });
    for (const answer of await postAll(committee, "", body)) assert.equal(answer.status, 200);
    assert.deepEqual(await outdatedLists(committee), [[], [], []]);
    assert.deepEqual(await outdatedLists(committee, OTHER_VAULT), [[], [], []]);

    // 2. A new oracle set: every oracle lists the vault's validators as outdated.
    const oldUrls = urls(committee);
    const newKeys = deriveOracleKeys({ count: 3, seed: "rotated oracle set" });
    await committee.replaceOracles(newKeys);
    assert.deepEqual(
      committee.oracles.map((o) => o.key.address),
      newKeys.map((k) => k.address),
    );
    await assert.rejects(fetch(oldUrls[0] as string), "the replaced oracles are closed");
    assert.deepEqual(await outdatedLists(committee), [
      [NEXT_VALIDATOR_INDEX, NEXT_VALIDATOR_INDEX + 1],
      [NEXT_VALIDATOR_INDEX, NEXT_VALIDATOR_INDEX + 1],
      [NEXT_VALIDATOR_INDEX, NEXT_VALIDATOR_INDEX + 1],
    ]);

    // 3. Shards for the old set are refused; shards for the new one approved.
    const recipients = recipientsOf(committee);
    const validators = [
      { key: 0, index: NEXT_VALIDATOR_INDEX },
      { key: 1, index: NEXT_VALIDATOR_INDEX + 1 },
    ];
    const stale = updateBody(recipientsFor(firstKeys.map((k) => k.publicKey)), validators);
    for (const answer of await postAll(committee, "/signatures", stale)) {
      assert.equal(answer.status, 400);
      assert.match(answer.body.error, /does not decrypt with this oracle's key/);
    }

    chain.vault(VAULT).exitSignaturesNonce = 7n;
    const update = updateBody(recipients, validators);
    const answers = await postAll(committee, "/signatures", update);
    const domain = keeperDomain(CHAIN_ID, KEEPER);
    for (const [j, answer] of answers.entries()) {
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      assert.equal(answer.body.deadline, update.deadline);
      assert.equal(answer.body.ipfs_hash, answers[0]?.body.ipfs_hash);
      const signer = await recoverTypedDataAddress({
        ...keeperExitSignaturesTypedData(domain, {
          vault: VAULT,
          exitSignaturesIpfsHash: answer.body.ipfs_hash,
          nonce: 7n,
          deadline: BigInt(update.deadline),
        }),
        signature: answer.body.signature,
      });
      assert.equal(signer, newKeys[j]?.address, `oracle ${j}`);
    }
    combineOracleSignatures(
      answers.map((a, j) => ({ oracle: newKeys[j]?.address as Address, signature: a.body.signature })),
      2,
    );
    const ipfsHash = answers[0]?.body.ipfs_hash as string;
    for (const { key, index } of validators) {
      const publicKey = testKey(key).publicKey;
      for (const positions of [undefined, [2, 1]]) {
        const signature = committee.reconstructExitSignature(ipfsHash, toPrefixedHex(publicKey), positions);
        assert.ok(exitSignatureVerifies(publicKey, index, signature));
      }
    }

    // 4. Until the Keeper's nonce moves, the update has not landed: still outdated.
    assert.deepEqual((await outdatedLists(committee))[0], [NEXT_VALIDATOR_INDEX, NEXT_VALIDATOR_INDEX + 1]);
    chain.vault(VAULT).exitSignaturesNonce = 8n;
    assert.deepEqual(await outdatedLists(committee), [[], [], []]);

    // 5. Another change (one oracle replaced, two kept): outdated again; the kept oracles keep
    // their servers and take their new positions.
    const mixed = [
      newKeys[2],
      ...deriveOracleKeys({ count: 1, seed: "third set" }),
      newKeys[0],
    ] as OracleKey[];
    const keptUrl = committee.oracles[2]?.server.url;
    await committee.replaceOracles(mixed);
    assert.equal(committee.oracles[0]?.server.url, keptUrl);
    assert.deepEqual(await outdatedLists(committee), [
      [NEXT_VALIDATOR_INDEX, NEXT_VALIDATOR_INDEX + 1],
      [NEXT_VALIDATOR_INDEX, NEXT_VALIDATOR_INDEX + 1],
      [NEXT_VALIDATOR_INDEX, NEXT_VALIDATOR_INDEX + 1],
    ]);
    const third = updateBody(recipientsOf(committee), validators);
    const thirdAnswers = await postAll(committee, "/signatures", third);
    for (const answer of thirdAnswers) assert.equal(answer.status, 200, JSON.stringify(answer.body));
    chain.vault(VAULT).exitSignaturesNonce = 9n;
    assert.deepEqual(await outdatedLists(committee), [[], [], []]);
    const signature = committee.reconstructExitSignature(
      thirdAnswers[0]?.body.ipfs_hash,
      toPrefixedHex(testKey(1).publicKey),
      [1, 2],
    );
    assert.ok(exitSignatureVerifies(testKey(1).publicKey, NEXT_VALIDATOR_INDEX + 1, signature));
  });

  it("POST /signatures rejections", async () => {
    const recipients = recipientsOf(committee);
    const known = [{ key: 0, index: NEXT_VALIDATOR_INDEX }];
    const cases: Array<[string, unknown, RegExp]> = [
      ["stale deadline", updateBody(recipients, known, nowSeconds() - 1), /deadline has passed/],
      [
        "unregistered vault",
        updateBody(recipients, known, undefined, OTHER_VAULT),
        /is not a registered vault/,
      ],
      [
        "not a validator of the vault",
        updateBody(recipients, [{ key: 3, index: 103 }]),
        /is not a validator of vault/,
      ],
      [
        "shards for the wrong index",
        updateBody(recipients, [{ key: 0, index: NEXT_VALIDATOR_INDEX + 1 }]),
        /does not verify for validator index 100/,
      ],
      [
        "missing field",
        (() => {
          const { deadline: _, ...rest } = updateBody(recipients, known);
          return rest;
        })(),
        /invalid request: field "deadline"/,
      ],
      [
        "bad hex",
        { ...updateBody(recipients, known), public_keys: ["0x12"] },
        /invalid request: field "public_keys.0"/,
      ],
      [
        "lengths differ",
        {
          ...updateBody(recipients, known),
          public_keys: [toPrefixedHex(testKey(0).publicKey), toPrefixedHex(testKey(1).publicKey)],
        },
        /public_keys and shard lists must have the same length/,
      ],
    ];
    for (const [name, body, message] of cases) {
      for (const answer of await postAll(committee, "/signatures", body)) {
        assert.equal(answer.status, 400, `${name}: ${JSON.stringify(answer.body)}`);
        assert.match(answer.body.error, message, name);
      }
    }
    // A validator known to the beacon node but never approved for this vault is not the vault's.
    chain.beaconIndexes.set(toPrefixedHex(testKey(3).publicKey), 55);
    const beaconKnown = updateBody(recipients, [{ key: 3, index: 55 }]);
    for (const answer of await postAll(committee, "/signatures", beaconKnown)) {
      assert.equal(answer.status, 400);
      assert.match(answer.body.error, /is not a validator of vault/);
    }
  });

  it("GET /signatures rejects a malformed vault address", async () => {
    const answer = await getJson(`${committee.oracles[0]?.server.url}/signatures/0x1234`);
    assert.equal(answer.status, 400);
    assert.match(answer.body.error, /invalid vault address/);
  });

  it('"slow" delays the answer by slowMs', async () => {
    const slowCommittee = await startOracleCommittee({
      keys: deriveOracleKeys({ count: 1, seed: "slow" }),
      chain,
      chainId: CHAIN_ID,
      keeper: KEEPER,
      network: NETWORK,
      ipfs,
      recoverThreshold: 1,
      signatureValidityPeriod: 300,
      validatorsApprovalBatchLimit: 10,
      validatorsExitRotationBatchLimit: 10,
      slowMs: 150,
    });
    try {
      slowCommittee.setFault(0, "slow");
      const started = performance.now();
      const answer = await getJson(`${slowCommittee.oracles[0]?.server.url}/signatures/${VAULT}`);
      assert.equal(answer.status, 200);
      assert.ok(performance.now() - started >= 140);
      // close() does not wait for a slow answer.
      void fetch(slowCommittee.oracles[0]?.server.url as string).catch(() => {});
      await new Promise((resolve) => setTimeout(resolve, 20));
    } finally {
      const closing = performance.now();
      await slowCommittee.close();
      assert.ok(performance.now() - closing < 140);
    }
  });
});
