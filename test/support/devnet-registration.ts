/**
 * Validators registered on the devnet vault without the `start` service, for the e2e tests that
 * need registered validators as their starting point (validators-exit, recover) or drive the
 * registration core themselves (registration-core): the devnet's oracle set, one prepared
 * registration round, and one whole registration in a single transaction.
 */
import assert from "node:assert/strict";
import { type Hex, parseEther, parseEventLogs } from "viem";
import { vaultAbi } from "../../src/chain/abi/vault.ts";
import { deriveValidatorKey } from "../../src/crypto/bls-keys.ts";
import { mnemonicToSeed } from "../../src/crypto/mnemonic.ts";
import { oracleAddress } from "../../src/crypto/secp256k1-keys.ts";
import type { Devnet } from "../../src/devnet/devnet.ts";
import {
  type DepositDataEntry,
  parseDepositData,
  serializeDepositData,
} from "../../src/keys/deposit-data-file.ts";
import type { ExitSigner } from "../../src/keys/sources/exit-signer.ts";
import type { ValidatorsTree } from "../../src/keys/validators-tree.ts";
import { parseHex, toPrefixedHex } from "../../src/lib/hex.ts";
import {
  type PreparedRegistration,
  prepareRegistration,
  vaultRoute,
} from "../../src/operator/registration/register-validators.ts";
import {
  createTransactionSender,
  type TransactionJournal,
} from "../../src/operator/tx/transaction-sender.ts";
import { viemTxChain } from "../../src/operator/tx/tx-chain.ts";
import { prepareOracleRecipients } from "../../src/oracles/exit-shares.ts";
import type { OracleSet } from "../../src/oracles/oracle-set.ts";
import { vaultDepositData } from "../contracts/fixtures.ts";
import { TEST_MNEMONIC } from "./cli.ts";
import { mnemonicSigner } from "./mnemonic-signer.ts";

const GET_DEPOSIT_ROOT_ABI = [
  {
    type: "function",
    name: "get_deposit_root",
    stateMutability: "view",
    inputs: [],
    outputs: [{ type: "bytes32" }],
  },
] as const;

/** The oracle set of the devnet committee's current config, as the registration core takes it. */
export function devnetOracleSet(devnet: Devnet): OracleSet {
  const config = devnet.committee.config();
  return {
    configIpfsHash: "devnet committee config",
    batchLimit: config.validators_approval_batch_limit,
    rotationBatchLimit: config.validators_exit_rotation_batch_limit,
    targets: config.oracles.map((o) => ({
      address: oracleAddress(parseHex(o.public_key, 64) as Uint8Array),
      endpoints: o.endpoints,
    })),
    recipients: prepareOracleRecipients(config.oracles.map((o) => ({ publicKey: o.public_key }))),
    recoverThreshold: config.exit_signature_recover_threshold,
    validatorsMinOracles: devnet.protocol.validatorsMinOracles,
    signatureValidityPeriod: config.signature_validity_period,
  };
}

export interface DevnetRegistrationRound {
  /** The deposit data entries of this round (the vault registers them from `startIndex` on). */
  entries: readonly DepositDataEntry[];
  startIndex: number;
  tree: ValidatorsTree;
  signer: ExitSigner;
  /** Default: the committee's current oracle set. */
  oracles?: OracleSet;
}

/** One registration round against the devnet (oracle approvals asked, transaction data built). */
export function prepareDevnetRegistration(
  devnet: Devnet,
  round: DevnetRegistrationRound,
): Promise<PreparedRegistration> {
  const reader = devnet.clients.sender;
  return prepareRegistration({
    network: devnet.network,
    keeper: devnet.protocol.keeper.address,
    vault: devnet.vault.address,
    entries: round.entries,
    startIndex: round.startIndex,
    tree: round.tree,
    oracles: round.oracles ?? devnetOracleSet(devnet),
    registryRoot: () =>
      reader.readContract({
        address: devnet.protocol.depositContract.address,
        abi: GET_DEPOSIT_ROOT_ABI,
        functionName: "get_deposit_root",
      }),
    nextValidatorIndex: async () => {
      await devnet.beacon.sync();
      return devnet.beacon.validatorsAt(devnet.beacon.currentSlot()).length;
    },
    now: async () => Number((await reader.getBlock()).timestamp),
    signer: round.signer,
    route: vaultRoute(devnet.vault.address, undefined),
    oracleTimeoutMs: 5_000,
  });
}

/** A journal that keeps nothing (the registrations of these tests are never resumed). */
export const noJournal = (): TransactionJournal => ({
  recordSigned: async () => 1,
  markSent: async () => {},
  markMined: async () => {},
  markFailed: async () => {},
  markDropped: async () => {},
  openTransactions: async () => [],
});

/**
 * Registers keys first … first + count − 1 of TEST_MNEMONIC on the devnet vault in one
 * transaction: sets their deposit data root with the keys manager, deposits what they need, asks
 * the oracles and sends the registration with the hot wallet. Asserts the vault registered exactly
 * those keys, in order; returns the deposit data root.
 */
export async function registerValidators(devnet: Devnet, first: number, count: number): Promise<Hex> {
  const vault = devnet.vault.address;
  const data = await vaultDepositData(vault, count, first);
  const entries = parseDepositData(serializeDepositData(data.entries), "deposit_data.json", { vault });
  const root = toPrefixedHex(data.tree.root);
  const set = await devnet.clients.keysManager.writeContract({
    address: vault,
    abi: vaultAbi,
    functionName: "setValidatorsRoot",
    args: [root],
  });
  await devnet.clients.keysManager.waitForTransactionReceipt({ hash: set });
  await devnet.depositToVault(parseEther(String(32 * count)));
  const seed = mnemonicToSeed(TEST_MNEMONIC);
  const prepared = await prepareDevnetRegistration(devnet, {
    entries,
    startIndex: 0,
    tree: data.tree,
    signer: mnemonicSigner(seed, first, count),
  });
  const sender = createTransactionSender({
    chain: viemTxChain(devnet.clients.sender),
    journal: noJournal(),
    maxFeePerGasWei: parseEther("0.0000001"),
    receiptTimeoutMs: 30_000,
  });
  const sent = await sender.send({
    kind: "registration",
    to: vault,
    data: prepared.data,
    publicKeys: prepared.publicKeys,
    firstDepositIndex: 0,
  });
  assert.equal(sent.status, "success");
  const receipt = await devnet.clients.sender.getTransactionReceipt({ hash: sent.transactionHash });
  const registered = parseEventLogs({ abi: vaultAbi, logs: receipt.logs, eventName: "ValidatorRegistered" });
  assert.deepEqual(
    registered.map((e) => e.args.publicKey.toLowerCase()),
    Array.from({ length: count }, (_, k) => toPrefixedHex(deriveValidatorKey(seed, first + k).publicKey)),
  );
  return root;
}
