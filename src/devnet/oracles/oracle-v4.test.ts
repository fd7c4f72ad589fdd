import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import { type Address, getAddress, type Hex, recoverTypedDataAddress } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { memoryLogger } from "../../../test/support/memory-logger.ts";
import {
  approvalRequest,
  CHAIN_ID,
  FakeOracleChain,
  getJson,
  type HttpAnswer,
  KEEPER,
  NETWORK,
  NEXT_VALIDATOR_INDEX,
  postJson,
  REGISTRY_ROOT,
  testKey,
  VAULT,
  type VaultDeposits,
  vaultDeposits,
} from "../../../test/support/oracle-fixtures.ts";
import { keeperDomain, keeperValidatorsTypedData } from "../../chain/keeper-eip712.ts";
import type { EciesRecipient } from "../../crypto/ecies.ts";
import { buildDepositDatum, depositDataRoot } from "../../keys/deposit-datum.ts";
import { vaultWithdrawalCredentials } from "../../keys/withdrawal-credentials.ts";
import { parseHex, toPrefixedHex } from "../../lib/hex.ts";
import { prepareOracleRecipients } from "../../oracles/exit-shares.ts";
import { deriveOracleKeys } from "../accounts.ts";
import { createIpfsStore } from "../ipfs/store.ts";
import { type OracleCommittee, startOracleCommittee } from "./committee.ts";
import { consolidationsCheckerTypedData, vaultValidatorsTypedData } from "./vault-typed-data.ts";

const CHECKER: Address = getAddress("0x00000000000000000000000000000000c0c0c0c0");
const MANAGER = privateKeyToAccount(generatePrivateKey());
const ETH = 1_000_000_000;
const bytes = (hex: string) => parseHex(hex) as Uint8Array;

/**
 * A v4 request (spec §5.1 v4+) as the operator sends it, for keys 0 … count − 1: the exit shards
 * of an old-flow request, deposit data for the wanted credentials and amounts, no proof fields,
 * and the manager's VaultValidators signature over the validators it expects approved.
 */
async function v4Request(
  deposits: VaultDeposits,
  recipients: EciesRecipient[],
  amounts: number[] | null,
  signer = MANAGER,
) {
  const count = amounts?.length ?? 1;
  const old = approvalRequest({ deposits, startIndex: 0, count, recipients, recoverThreshold: 2 });
  const credentials = vaultWithdrawalCredentials(VAULT, amounts ? 0x02 : 0x01);
  const validators: Uint8Array[] = [];
  const signatures = deposits.keys.slice(0, count).map((key, k) => {
    const amount = amounts ? (amounts[k] as number) : NETWORK.validatorDepositGwei;
    const datum = buildDepositDatum({
      secretKey: key.secretKey,
      publicKey: key.publicKey,
      withdrawalCredentials: credentials,
      amountGwei: amount,
      genesisForkVersion: bytes(NETWORK.genesisForkVersion),
      networkName: NETWORK.name,
    });
    const root = depositDataRoot(key.publicKey, credentials, amount, bytes(datum.signature));
    const amountBytes = Buffer.alloc(8);
    amountBytes.writeBigUInt64BE(BigInt(amount));
    validators.push(
      Buffer.concat([key.publicKey, bytes(datum.signature), root, ...(amounts ? [amountBytes] : [])]),
    );
    return toPrefixedHex(bytes(datum.signature));
  });
  const validatorsHex = toPrefixedHex(Buffer.concat(validators));
  const managerSignature = await signer.signTypedData(
    vaultValidatorsTypedData(CHAIN_ID, VAULT, {
      validatorsRegistryRoot: REGISTRY_ROOT,
      validators: validatorsHex,
    }),
  );
  const body = {
    validator_index: old.validator_index,
    vault_address: old.vault_address,
    validators_root: old.validators_root,
    public_keys: old.public_keys,
    deposit_signatures: signatures,
    public_key_shards: old.public_key_shards,
    exit_signature_shards: old.exit_signature_shards,
    validators_manager_signature: managerSignature,
    deadline: old.deadline,
    amounts,
  };
  return { body, validatorsHex };
}

describe("oracle doubles: v4 registration, consolidations, forced exits", () => {
  const chain = new FakeOracleChain();
  const logger = memoryLogger();
  let committee: OracleCommittee;
  let recipients: EciesRecipient[];
  let deposits: VaultDeposits;
  const askAll = (path: string, body: unknown): Promise<HttpAnswer[]> =>
    Promise.all(committee.oracles.map((o) => postJson(`${o.server.url}${path}`, body)));

  before(async () => {
    deposits = await vaultDeposits(VAULT, 2);
    committee = await startOracleCommittee({
      keys: deriveOracleKeys({ count: 3 }),
      chain,
      chainId: CHAIN_ID,
      keeper: KEEPER,
      network: NETWORK,
      ipfs: createIpfsStore(),
      recoverThreshold: 2,
      signatureValidityPeriod: 300,
      validatorsApprovalBatchLimit: 10,
      validatorsExitRotationBatchLimit: 10,
      consolidationsChecker: CHECKER,
      logger,
    });
    recipients = prepareOracleRecipients(
      committee.config().oracles.map((o) => ({ publicKey: o.public_key })),
    );
  });
  after(() => committee.close());
  beforeEach(() => {
    chain.setVault(VAULT, {
      validatorsRoot: `0x${"00".repeat(32)}`,
      validatorIndex: 0,
      exitSignaturesNonce: 0n,
    });
    chain.managers.set(VAULT.toLowerCase(), MANAGER.address);
    chain.next = NEXT_VALIDATOR_INDEX;
    logger.clear();
  });

  it("approves 0x02 validators of any amount, signing the 184-byte validators for the Keeper", async () => {
    const { body, validatorsHex } = await v4Request(deposits, recipients, [100 * ETH, 33 * ETH]);
    const answers = await askAll("", body);
    for (const [j, answer] of answers.entries()) {
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      assert.deepEqual(Object.keys(answer.body).sort(), ["deadline", "ipfs_hash", "signature"]);
      const signer = await recoverTypedDataAddress({
        ...keeperValidatorsTypedData(keeperDomain(CHAIN_ID, KEEPER), {
          validatorsRegistryRoot: REGISTRY_ROOT,
          vault: VAULT,
          validators: validatorsHex,
          exitSignaturesIpfsHash: answer.body.ipfs_hash,
          deadline: BigInt(body.deadline),
        }),
        signature: answer.body.signature,
      });
      assert.equal(signer, committee.oracles[j]?.key.address);
    }
    // v3-core v4.0.1 contracts/libraries/ValidatorUtils.sol:20
    //   "uint256 private constant _validatorV2DepositLength = 184;"
    assert.equal((validatorsHex.length - 2) / 2, 2 * 184);
    // contracts/libraries/ValidatorUtils.sol:87
    //   validatorDeposit.depositAmount = (uint256(uint64(bytes8(validator[176:184]))) * 1 gwei);
    const first = Buffer.from(validatorsHex.slice(2), "hex").subarray(0, 184);
    assert.equal(first.readBigUInt64BE(176), BigInt(100 * ETH));
    assert.deepEqual(logger.lines("info"), Array(3).fill("info oracle approved registration"));
    assert.equal(logger.entries[0]?.context.validators, 2);
  });

  it("approves 0x01 validators (amounts null) with 176-byte validators", async () => {
    const { body, validatorsHex } = await v4Request(deposits, recipients, null);
    const [answer] = await askAll("", body);
    assert.equal(answer?.status, 200, JSON.stringify(answer?.body));
    // v3-core v4.0.1 contracts/libraries/ValidatorUtils.sol:19
    //   "uint256 private constant _validatorV1DepositLength = 176;"
    assert.equal((validatorsHex.length - 2) / 2, 176);
  });

  it("refuses, with a logged reason, a deposit signed for other credentials or another amount", async () => {
    const { body } = await v4Request(deposits, recipients, [100 * ETH]);
    const answers = await askAll("", { ...body, amounts: [101 * ETH] });
    for (const answer of answers) {
      assert.equal(answer.status, 400);
      assert.match(answer.body.error, /invalid deposit signature for 0x02 credentials and 101000000000 gwei/);
    }
    const asOldCredentials = await askAll("", { ...body, amounts: null });
    assert.match(asOldCredentials[0]?.body.error, /invalid deposit signature for 0x01 credentials/);
    assert.equal(logger.lines("warn")[0], "warn oracle rejected registration");
    assert.match(String(logger.entries.find((e) => e.level === "warn")?.context.reason), /deposit signature/);
  });

  it("refuses amounts outside 32…2048 ETH and a signature that is not the manager's", async () => {
    const small = await v4Request(deposits, recipients, [31 * ETH]);
    assert.match((await askAll("", small.body))[0]?.body.error, /not between 32 and 2048 ETH/);
    const stranger = await v4Request(
      deposits,
      recipients,
      [40 * ETH],
      privateKeyToAccount(generatePrivateKey()),
    );
    assert.match((await askAll("", stranger.body))[0]?.body.error, /not the vault's validators manager/);
    const unsigned = await v4Request(deposits, recipients, [40 * ETH]);
    const answer = (await askAll("", { ...unsigned.body, validators_manager_signature: "0x" }))[0];
    assert.match(answer?.body.error, /validators_manager_signature is required/);
  });

  it("refuses a stale validator index or registry root", async () => {
    const { body } = await v4Request(deposits, recipients, [40 * ETH]);
    chain.next = NEXT_VALIDATOR_INDEX + 1;
    assert.match((await askAll("", body))[0]?.body.error, /is not the next validator index/);
    chain.next = NEXT_VALIDATOR_INDEX;
    assert.match(
      (await askAll("", { ...body, validators_root: `0x${"11".repeat(32)}` }))[0]?.body.error,
      /validators_root/,
    );
  });

  it("signs ConsolidationsChecker(vault, source ‖ target) for a switch of this vault's active validator", async () => {
    const publicKey = toPrefixedHex(testKey(0).publicKey);
    chain.beaconValidators.set(publicKey, {
      index: 7,
      withdrawalCredentials: toPrefixedHex(vaultWithdrawalCredentials(VAULT, 0x01)),
      status: "active_ongoing",
    });
    const answers = await askAll("/consolidate-validators/", {
      public_keys: [publicKey],
      vault_address: VAULT,
    });
    for (const [j, answer] of answers.entries()) {
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      assert.deepEqual(Object.keys(answer.body), ["signature"]);
      const signer = await recoverTypedDataAddress({
        ...consolidationsCheckerTypedData(CHAIN_ID, CHECKER, {
          vault: VAULT,
          validators: `${publicKey}${publicKey.slice(2)}` as Hex,
        }),
        signature: answer.body.signature,
      });
      assert.equal(signer, committee.oracles[j]?.key.address);
    }
    assert.equal(logger.lines("info")[0], "info oracle approved consolidation");
  });

  it("refuses consolidations of another vault's, unknown or exiting validators", async () => {
    const [mine, other, exiting] = [0, 1, 2].map((i) => toPrefixedHex(testKey(i).publicKey)) as [
      Hex,
      Hex,
      Hex,
    ];
    const credentials = toPrefixedHex(vaultWithdrawalCredentials(VAULT, 0x01));
    chain.beaconValidators.set(mine, {
      index: 7,
      withdrawalCredentials: credentials,
      status: "active_ongoing",
    });
    chain.beaconValidators.set(other, {
      index: 8,
      withdrawalCredentials: toPrefixedHex(vaultWithdrawalCredentials(getAddress(`0x${"12".repeat(20)}`))),
      status: "active_ongoing",
    });
    chain.beaconValidators.set(exiting, {
      index: 9,
      withdrawalCredentials: credentials,
      status: "active_exiting",
    });
    const ask = async (keys: string[]) =>
      (await askAll("/consolidate-validators/", { public_keys: keys, vault_address: VAULT }))[0]?.body.error;
    assert.match(await ask([mine, other]), /does not withdraw to vault/);
    assert.match(await ask([exiting]), /status active_exiting/);
    assert.match(await ask([toPrefixedHex(testKey(3).publicKey)]), /not known to the beacon chain/);
    assert.match(await ask([mine, mine]), /repeat/);
  });

  it("reports the forced exits the devnet sets, from every oracle or only some", async () => {
    const exitsOf = () => Promise.all(committee.oracles.map((o) => getJson(`${o.server.url}/exits/`)));
    assert.deepEqual(
      (await exitsOf()).map((a) => a.body),
      [[], [], []],
    );
    committee.setForcedExits([4, 9]);
    assert.deepEqual(
      (await exitsOf()).map((a) => a.body),
      Array(3).fill([{ index: 4 }, { index: 9 }]),
    );
    committee.setForcedExits([5], [1]);
    assert.deepEqual(
      (await exitsOf()).map((a) => a.body),
      [[], [{ index: 5 }], []],
    );
    committee.setForcedExits([]);
  });
});
