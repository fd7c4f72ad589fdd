import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import { type Address, getAddress, type Hex, recoverTypedDataAddress, size } from "viem";
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
  REGISTRY_ROOT,
  type RequestOptions,
  txValidatorsHex,
  VAULT,
  type VaultDeposits,
  vaultDeposits,
} from "../../../test/support/oracle-fixtures.ts";
import {
  combineOracleSignatures,
  keeperDomain,
  keeperValidatorsTypedData,
} from "../../chain/keeper-eip712.ts";
import type { EciesRecipient } from "../../crypto/ecies.ts";
import { OperatorError } from "../../lib/errors.ts";
import { toPrefixedHex } from "../../lib/hex.ts";
import type { ApprovalRequest } from "../../oracles/approval-request.ts";
import { prepareOracleRecipients } from "../../oracles/exit-shares.ts";
import { registrationProof } from "../../oracles/registration-proof.ts";
import { deriveOracleKeys } from "../accounts.ts";
import { createIpfsStore, type IpfsStore } from "../ipfs/store.ts";
import { type OracleCommittee, startOracleCommittee } from "./committee.ts";
import { createExitRecords } from "./exit-records.ts";
import { startOracle } from "./oracle-server.ts";

interface Harness {
  chain: FakeOracleChain;
  ipfs: IpfsStore;
  committee: OracleCommittee;
  recipients: EciesRecipient[];
  deposits: VaultDeposits;
  recoverThreshold: number;
}

async function startHarness(oracleCount: number, recoverThreshold: number, seed?: string): Promise<Harness> {
  const chain = new FakeOracleChain();
  const ipfs = createIpfsStore();
  const deposits = await vaultDeposits(VAULT, 4);
  chain.setVault(VAULT, { validatorsRoot: deposits.root, validatorIndex: 0, exitSignaturesNonce: 0n });
  const committee = await startOracleCommittee({
    keys: deriveOracleKeys({ count: oracleCount, ...(seed ? { seed } : {}) }),
    chain,
    chainId: CHAIN_ID,
    keeper: KEEPER,
    network: NETWORK,
    ipfs,
    recoverThreshold,
    signatureValidityPeriod: 300,
    validatorsApprovalBatchLimit: 10,
    validatorsExitRotationBatchLimit: 10,
  });
  const recipients = prepareOracleRecipients(
    committee.config().oracles.map((o) => ({ publicKey: o.public_key })),
  );
  return { chain, ipfs, committee, recipients, deposits, recoverThreshold };
}

/** The request every oracle gets, for deposit-data entries start … start + count − 1. */
function request(h: Harness, options: Partial<RequestOptions> & { startIndex: number; count: number }) {
  return approvalRequest({
    deposits: h.deposits,
    recipients: h.recipients,
    recoverThreshold: h.recoverThreshold,
    ...options,
  });
}

/** POSTs the same body to every oracle of the committee, in config order. */
function askAll(h: Harness, body: unknown): Promise<HttpAnswer[]> {
  return Promise.all(h.committee.oracles.map((o) => postJson(o.server.url, body)));
}

async function signerOf(h: Harness, body: ApprovalRequest, answer: HttpAnswer): Promise<Address> {
  return recoverTypedDataAddress({
    ...keeperValidatorsTypedData(keeperDomain(CHAIN_ID, KEEPER), {
      validatorsRegistryRoot: body.validators_root as Hex,
      vault: getAddress(body.vault_address),
      validators: txValidatorsHex(
        h.deposits,
        body.proof_indexes ? Math.min(...body.proof_indexes) : 0,
        body.public_keys.length,
      ),
      exitSignaturesIpfsHash: answer.body.ipfs_hash,
      deadline: BigInt(body.deadline),
    }),
    signature: answer.body.signature,
  });
}

/** Every oracle approves: same ipfs hash, own signature over the Keeper message. */
async function assertApproved(h: Harness, body: ApprovalRequest, answers: HttpAnswer[]): Promise<string> {
  assert.equal(answers.length, h.committee.oracles.length);
  for (const [j, answer] of answers.entries()) {
    assert.equal(answer.status, 200, `oracle ${j}: ${JSON.stringify(answer.body)}`);
    assert.deepEqual(Object.keys(answer.body).sort(), ["deadline", "ipfs_hash", "signature"]);
    assert.match(answer.body.signature, /^0x[0-9a-f]{130}$/);
    assert.equal(answer.body.deadline, body.deadline);
    assert.equal(answer.body.ipfs_hash, answers[0]?.body.ipfs_hash, `oracle ${j} stored other bytes`);
    assert.equal(await signerOf(h, body, answer), h.committee.oracles[j]?.key.address, `oracle ${j} signer`);
  }
  const ipfsHash = answers[0]?.body.ipfs_hash as string;
  assert.ok(h.ipfs.has(ipfsHash), "shards are stored on IPFS");
  return ipfsHash;
}

/** Every oracle at `rejecting` answers 400 with a message matching `message`; the others 200. */
function assertRejected(answers: HttpAnswer[], message: RegExp, rejecting?: readonly number[]): void {
  for (const [j, answer] of answers.entries()) {
    if (rejecting && !rejecting.includes(j)) {
      assert.equal(answer.status, 200, `oracle ${j} should approve: ${JSON.stringify(answer.body)}`);
      continue;
    }
    assert.equal(answer.status, 400, `oracle ${j}: ${JSON.stringify(answer.body)}`);
    assert.match(answer.body.error, message, `oracle ${j}`);
    assert.equal(answer.body.signature, undefined);
  }
}

const clone = <T>(value: T): T => structuredClone(value);

describe("oracle doubles: a committee of 3, recover threshold 2", () => {
  let h: Harness;
  before(async () => {
    h = await startHarness(3, 2);
  });
  after(() => h.committee.close());
  beforeEach(() => {
    h.chain.registryRoot = REGISTRY_ROOT;
    h.chain.next = NEXT_VALIDATOR_INDEX;
    h.chain.setVault(VAULT, { validatorsRoot: h.deposits.root, validatorIndex: 0, exitSignaturesNonce: 0n });
    for (const position of [0, 1, 2]) h.committee.setFault(position, null);
  });

  it("binds 127.0.0.1 only and answers the health check", async () => {
    for (const { server, key } of h.committee.oracles) {
      const url = new URL(server.url);
      assert.equal(url.hostname, "127.0.0.1");
      assert.equal(server.address, key.address);
      const response = await fetch(server.url);
      assert.equal(response.status, 200);
      assert.deepEqual(await response.json(), { status: "ok", address: key.address });
    }
  });

  it("refuses to bind a non-loopback host", async () => {
    const key = deriveOracleKeys({ count: 1 })[0];
    assert.ok(key);
    await assert.rejects(
      startOracle({
        privateKey: key.privateKey,
        position: () => 0,
        set: {
          oracleCount: () => 1,
          recoverThreshold: () => 1,
          generation: () => 0,
          signatureValidityPeriod: () => 300,
          approvalBatchLimit: () => 10,
          exitRotationBatchLimit: () => 10,
        },
        chain: h.chain,
        chainId: CHAIN_ID,
        keeper: KEEPER,
        network: NETWORK,
        ipfs: h.ipfs,
        records: createExitRecords(),
        host: "0.0.0.0",
      }),
      (error) => error instanceof OperatorError && /loopback only/.test(error.message),
    );
  });

  it("approves an honest single-validator request; the signatures combine for the Keeper", async () => {
    const body = request(h, { startIndex: 0, count: 1 });
    const answers = await askAll(h, body);
    const ipfsHash = await assertApproved(h, body, answers);

    const signatures = answers.map((a, j) => ({
      oracle: h.committee.oracles[j]?.key.address as Address,
      signature: a.body.signature as Hex,
    }));
    const combined = combineOracleSignatures(signatures, 2);
    assert.equal(size(combined), 130);
    const sorted = [...signatures].sort((a, b) => (BigInt(a.oracle) < BigInt(b.oracle) ? -1 : 1));
    assert.equal(combined, `${sorted[0]?.signature}${sorted[1]?.signature.slice(2)}`);

    // The stored shards are the request's, for beacon index NEXT_VALIDATOR_INDEX.
    const stored = JSON.parse(new TextDecoder().decode(h.ipfs.get(ipfsHash)));
    assert.equal(stored.vault, VAULT.toLowerCase());
    assert.deepEqual(
      stored.validators.map((v: { public_key: string; index: number }) => [v.public_key, v.index]),
      [[body.public_keys[0], NEXT_VALIDATOR_INDEX]],
    );
    assert.deepEqual(stored.validators[0].exit_signature_shards, body.exit_signature_shards[0]);

    const publicKey = h.deposits.keys[0]?.publicKey as Uint8Array;
    const exitSignature = h.committee.reconstructExitSignature(ipfsHash, toPrefixedHex(publicKey));
    assert.ok(exitSignatureVerifies(publicKey, NEXT_VALIDATOR_INDEX, exitSignature));
    assert.ok(!exitSignatureVerifies(publicKey, NEXT_VALIDATOR_INDEX + 1, exitSignature));
  });

  it("approves an honest request for 3 validators from the vault's validatorIndex 1", async () => {
    h.chain.setVault(VAULT, { validatorsRoot: h.deposits.root, validatorIndex: 1, exitSignaturesNonce: 0n });
    const body = request(h, { startIndex: 1, count: 3 });
    assert.deepEqual([...(body.proof_indexes ?? [])].sort(), [1, 2, 3]);
    const answers = await askAll(h, body);
    const ipfsHash = await assertApproved(h, body, answers);
    const combined = combineOracleSignatures(
      answers.map((a, j) => ({
        oracle: h.committee.oracles[j]?.key.address as Address,
        signature: a.body.signature,
      })),
      2,
    );
    assert.equal(size(combined), 130);

    for (let k = 0; k < 3; k++) {
      const publicKey = h.deposits.keys[1 + k]?.publicKey as Uint8Array;
      const index = NEXT_VALIDATOR_INDEX + k;
      for (const positions of [undefined, [1, 2], [2, 0]]) {
        const signature = h.committee.reconstructExitSignature(ipfsHash, toPrefixedHex(publicKey), positions);
        assert.ok(exitSignatureVerifies(publicKey, index, signature), `validator ${k} from ${positions}`);
      }
      // One shard is not enough: it does not recombine to the exit signature.
      const single = h.committee.reconstructExitSignature(ipfsHash, toPrefixedHex(publicKey), [1]);
      assert.ok(!exitSignatureVerifies(publicKey, index, single));
    }
  });

  it("the same request twice gives the same ipfs hash; other shards give another", async () => {
    const body = request(h, { startIndex: 0, count: 1 });
    const first = await askAll(h, body);
    const again = await askAll(h, body);
    assert.equal(again[0]?.body.ipfs_hash, first[0]?.body.ipfs_hash);
    const fresh = await askAll(h, request(h, { startIndex: 0, count: 1, deadline: body.deadline }));
    assert.notEqual(fresh[0]?.body.ipfs_hash, first[0]?.body.ipfs_hash);
  });

  describe("rejections (HTTP 400 with a message)", () => {
    it("a shard encrypted to another oracle: those two oracles refuse", async () => {
      const body = clone(request(h, { startIndex: 0, count: 1 }));
      const shards = body.exit_signature_shards[0] as string[];
      [shards[0], shards[1]] = [shards[1] as string, shards[0] as string];
      assertRejected(
        await askAll(h, body),
        /exit signature shard does not decrypt with this oracle's key/,
        [0, 1],
      );
    });

    it("a signature share that does not verify (another validator's share)", async () => {
      h.chain.setVault(VAULT, {
        validatorsRoot: h.deposits.root,
        validatorIndex: 1,
        exitSignaturesNonce: 0n,
      });
      const body = clone(request(h, { startIndex: 1, count: 3 }));
      (body.exit_signature_shards[0] as string[])[1] = body.exit_signature_shards[1]?.[1] as string;
      assertRejected(
        await askAll(h, body),
        new RegExp(`exit signature shard does not verify for validator index ${NEXT_VALIDATOR_INDEX}`),
        [1],
      );
    });

    it("an exit signature for another index or domain", async () => {
      const otherIndex = request(h, { startIndex: 0, count: 1, validatorIndex: NEXT_VALIDATOR_INDEX + 1 });
      otherIndex.validator_index = NEXT_VALIDATOR_INDEX;
      assertRejected(await askAll(h, otherIndex), /does not verify for validator index 100/);

      // Signed with the genesis fork version instead of Capella's.
      const genesisDomain = request(h, {
        startIndex: 0,
        count: 1,
        exitNetwork: { ...NETWORK, capellaForkVersion: NETWORK.genesisForkVersion },
      });
      assertRejected(await askAll(h, genesisDomain), /does not verify for validator index 100/);
    });

    it("public-key shares that do not interpolate to the validator key", async () => {
      h.chain.setVault(VAULT, {
        validatorsRoot: h.deposits.root,
        validatorIndex: 1,
        exitSignaturesNonce: 0n,
      });
      const body = clone(request(h, { startIndex: 1, count: 2 }));
      (body.public_key_shards[1] as string[])[2] = body.public_key_shards[0]?.[2] as string;
      assertRejected(
        await askAll(h, body),
        /public key shards do not interpolate to the validator public key/,
      );

      const notAPoint = clone(request(h, { startIndex: 1, count: 1 }));
      (notAPoint.public_key_shards[0] as string[])[0] = `0x${"ab".repeat(48)}`;
      assertRejected(await askAll(h, notAPoint), /do not interpolate/);
    });

    it("a shard list that is not one per oracle", async () => {
      const body = clone(request(h, { startIndex: 0, count: 1 }));
      body.public_key_shards[0]?.pop();
      body.exit_signature_shards[0]?.pop();
      assertRejected(await askAll(h, body), /expected 3 shards, one per oracle/);
    });

    it("an invalid deposit signature (one byte flipped, or signed for another vault)", async () => {
      const body = clone(request(h, { startIndex: 0, count: 1 }));
      const signature = body.deposit_signatures[0] as string;
      const last = Number.parseInt(signature.slice(-2), 16) ^ 0x01;
      body.deposit_signatures[0] = `${signature.slice(0, -2)}${last.toString(16).padStart(2, "0")}`;
      assertRejected(await askAll(h, body), /invalid deposit signature/);

      const otherVault = await vaultDeposits(OTHER_VAULT, 1);
      const foreign = clone(request(h, { startIndex: 0, count: 1 }));
      foreign.deposit_signatures[0] = toPrefixedHex(otherVault.depositSignatures[0] as Uint8Array);
      assertRejected(await askAll(h, foreign), /invalid deposit signature/);
    });

    it("a registry root that is not the deposit contract's", async () => {
      const body = request(h, { startIndex: 0, count: 1, registryRoot: `0x${"11".repeat(32)}` });
      assertRejected(await askAll(h, body), /validators_root is not the deposit contract's current root/);
      // The root moved on after the request was built.
      const built = request(h, { startIndex: 0, count: 1 });
      h.chain.registryRoot = `0x${"22".repeat(32)}`;
      assertRejected(await askAll(h, built), /validators_root is not the deposit contract's current root/);
    });

    it("a deadline that has passed or is too far ahead", async () => {
      const stale = request(h, { startIndex: 0, count: 1, deadline: nowSeconds() - 1 });
      assertRejected(await askAll(h, stale), /deadline has passed/);
      const far = request(h, { startIndex: 0, count: 1, deadline: nowSeconds() + 10 * 300 });
      assertRejected(await askAll(h, far), /deadline is too far in the future/);
    });

    it("a validator_index that is not the next beacon index", async () => {
      const body = request(h, { startIndex: 0, count: 1, validatorIndex: NEXT_VALIDATOR_INDEX + 1 });
      assertRejected(await askAll(h, body), /validator_index 101 is not the next validator index 100/);
      h.chain.next = NEXT_VALIDATOR_INDEX - 1;
      assertRejected(
        await askAll(h, request(h, { startIndex: 0, count: 1 })),
        /validator_index 100 is not the next validator index 99/,
      );
    });

    it("a proof that does not match the vault's validators root", async () => {
      // Another deposit data file (keys 4 … 7): a valid proof, of another tree.
      const otherTree = await vaultDeposits(VAULT, 4, NETWORK, 4);
      const body = request(h, { startIndex: 0, count: 1, proof: registrationProof(otherTree.tree, 0, 1) });
      assertRejected(await askAll(h, body), /proof does not match validatorsRoot/);

      h.chain.setVault(VAULT, {
        validatorsRoot: h.deposits.root,
        validatorIndex: 1,
        exitSignaturesNonce: 0n,
      });
      const multi = request(h, { startIndex: 1, count: 2, proof: registrationProof(otherTree.tree, 1, 2) });
      assertRejected(await askAll(h, multi), /proof does not match validatorsRoot/);

      // The vault uploaded another deposit data file since.
      h.chain.setVault(VAULT, { validatorsRoot: otherTree.root, validatorIndex: 1, exitSignaturesNonce: 0n });
      assertRejected(
        await askAll(h, request(h, { startIndex: 1, count: 2 })),
        /proof does not match validatorsRoot/,
      );
    });

    it("validators that are not the vault's next ones (start index ≠ the vault's validatorIndex)", async () => {
      h.chain.setVault(VAULT, {
        validatorsRoot: h.deposits.root,
        validatorIndex: 1,
        exitSignaturesNonce: 0n,
      });
      assertRejected(
        await askAll(h, request(h, { startIndex: 0, count: 1 })),
        /proof_indexes must be the vault's next deposit data indexes 1 \(the vault's validatorIndex is 1\)/,
      );
      assertRejected(
        await askAll(h, request(h, { startIndex: 2, count: 2 })),
        /proof_indexes must be the vault's next deposit data indexes 1, 2/,
      );
      // The single-proof form (no flags) is judged against the vault's validatorIndex too.
      const single = request(h, { startIndex: 0, count: 1 });
      const singleForm = {
        ...single,
        proof: registrationProof(h.deposits.tree, 0, 1).singleProof ?? null,
        proof_flags: null,
        proof_indexes: null,
      };
      assertRejected(await askAll(h, singleForm), /proof does not match validatorsRoot/);
      h.chain.setVault(VAULT, {
        validatorsRoot: h.deposits.root,
        validatorIndex: 0,
        exitSignaturesNonce: 0n,
      });
      await assertApproved(h, singleForm, await askAll(h, singleForm));
    });

    it("several validators without a multiproof", async () => {
      const body = { ...request(h, { startIndex: 0, count: 2 }), proof_flags: null, proof_indexes: null };
      assertRejected(await askAll(h, body), /several validators need a multiproof/);
    });

    it("a vault that is not registered", async () => {
      const other = await vaultDeposits(OTHER_VAULT, 1);
      const body = approvalRequest({
        deposits: other,
        startIndex: 0,
        count: 1,
        recipients: h.recipients,
        recoverThreshold: 2,
      });
      assertRejected(await askAll(h, body), new RegExp(`${OTHER_VAULT} is not a registered vault`));
    });

    it("a malformed body: missing field, bad hex, lengths that differ, not JSON", async () => {
      const base = request(h, { startIndex: 0, count: 1 });
      const { deadline: _, ...missing } = base;
      assertRejected(await askAll(h, missing), /invalid request: field "deadline"/);

      const badHex = clone(base);
      badHex.public_keys[0] = `0x${"zz".repeat(48)}`;
      assertRejected(
        await askAll(h, badHex),
        /invalid request: field "public_keys.0" must be 0x-prefixed hex of 48 bytes/,
      );

      const badVault = { ...clone(base), vault_address: "0x1234" };
      assertRejected(await askAll(h, badVault), /invalid request: field "vault_address" must be an address/);

      const badShard = clone(base);
      (badShard.exit_signature_shards[0] as string[])[0] = "0xabc";
      assertRejected(await askAll(h, badShard), /invalid request: field "exit_signature_shards.0.0"/);

      const lengths = {
        ...clone(base),
        deposit_signatures: [...base.deposit_signatures, ...base.deposit_signatures],
      };
      assertRejected(await askAll(h, lengths), /must have the same length/);

      for (const oracle of h.committee.oracles) {
        const notJson = await fetch(oracle.server.url, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: "{not json",
        });
        assert.equal(notJson.status, 400);
        assert.match(JSON.stringify(await notJson.json()), /JSON/);
        const empty = await postJson(oracle.server.url, []);
        assert.equal(empty.status, 400);
        assert.match(empty.body.error, /invalid request/);
      }
    });
  });

  describe("faults", () => {
    it('"down" answers 503, "refuse" drops the connection, null restores', async () => {
      const body = request(h, { startIndex: 0, count: 1 });
      h.committee.setFault(0, "down");
      h.committee.setFault(1, "refuse");
      const [down, refused, healthy] = await Promise.allSettled(
        h.committee.oracles.map((o) => postJson(o.server.url, body)),
      );
      assert.equal(down?.status === "fulfilled" && down.value.status, 503);
      assert.equal(refused?.status, "rejected");
      assert.equal(healthy?.status === "fulfilled" && healthy.value.status, 200);
      // Every route is affected, the health check too.
      assert.equal((await fetch(h.committee.oracles[0]?.server.url as string)).status, 503);
      await assert.rejects(fetch(`${h.committee.oracles[1]?.server.url}/signatures/${VAULT}`));

      h.committee.setFault(0, null);
      h.committee.setFault(1, null);
      await assertApproved(h, body, await askAll(h, body));
    });

    it('"wrong-signature" answers 200 with a signature that does not recover to the oracle', async () => {
      const body = request(h, { startIndex: 0, count: 1 });
      h.committee.setFault(2, "wrong-signature");
      const answers = await askAll(h, body);
      for (const answer of answers) assert.equal(answer.status, 200);
      const wrong = answers[2] as HttpAnswer;
      assert.match(wrong.body.signature, /^0x[0-9a-f]{130}$/);
      assert.equal(wrong.body.ipfs_hash, answers[0]?.body.ipfs_hash);
      assert.notEqual(await signerOf(h, body, wrong), h.committee.oracles[2]?.key.address);
      assert.equal(await signerOf(h, body, answers[0] as HttpAnswer), h.committee.oracles[0]?.key.address);

      h.committee.setFault(2, null);
      await assertApproved(h, body, await askAll(h, body));
    });

    it("setFault on a position without an oracle is ignored", async () => {
      assert.doesNotThrow(() => h.committee.setFault(7, "down"));
      assert.equal(h.committee.oracles.length, 3);
      const health = await Promise.all(h.committee.oracles.map((o) => getJson(o.server.url)));
      assert.deepEqual(
        health.map((answer) => answer.status),
        [200, 200, 200],
      );
    });
  });
});

describe("oracle doubles: a committee of 11, recover threshold 5", () => {
  let h: Harness;
  before(async () => {
    h = await startHarness(11, 5, "eleven oracles");
  });
  after(() => h.committee.close());

  it("every oracle approves an honest request; any 5 shards give the exit signatures", async () => {
    assert.equal(h.committee.config().oracles.length, 11);
    const body = request(h, { startIndex: 0, count: 2 });
    const answers = await askAll(h, body);
    const ipfsHash = await assertApproved(h, body, answers);
    const combined = combineOracleSignatures(
      answers.map((a, j) => ({
        oracle: h.committee.oracles[j]?.key.address as Address,
        signature: a.body.signature,
      })),
      6,
    );
    assert.equal(size(combined), 6 * 65);

    for (let k = 0; k < 2; k++) {
      const publicKey = h.deposits.keys[k]?.publicKey as Uint8Array;
      for (const positions of k === 0 ? [undefined, [10, 0, 5, 3, 8]] : [[6, 7, 8, 9, 10]]) {
        const signature = h.committee.reconstructExitSignature(ipfsHash, toPrefixedHex(publicKey), positions);
        assert.ok(exitSignatureVerifies(publicKey, NEXT_VALIDATOR_INDEX + k, signature), `${k} ${positions}`);
      }
    }
    // Four shards are not enough.
    const publicKey = h.deposits.keys[0]?.publicKey as Uint8Array;
    const four = h.committee.reconstructExitSignature(ipfsHash, toPrefixedHex(publicKey), [0, 1, 2, 3]);
    assert.ok(!exitSignatureVerifies(publicKey, NEXT_VALIDATOR_INDEX, four));
  });

  it("rejections: swapped shards (2 oracles), a replaced public-key share (all)", async () => {
    const swapped = clone(request(h, { startIndex: 0, count: 1 }));
    const shards = swapped.exit_signature_shards[0] as string[];
    [shards[3], shards[9]] = [shards[9] as string, shards[3] as string];
    assertRejected(await askAll(h, swapped), /does not decrypt with this oracle's key/, [3, 9]);

    const replaced = clone(request(h, { startIndex: 0, count: 2 }));
    (replaced.public_key_shards[0] as string[])[10] = replaced.public_key_shards[1]?.[10] as string;
    assertRejected(await askAll(h, replaced), /do not interpolate/);
  });
});
