/**
 * Shared pieces of the contract e2e tests: real deposit data for a vault (legal-winner keys, real
 * BLS signatures for the devnet fork version), oracle approvals, and revert assertions.
 */
import assert from "node:assert/strict";
import { ListCompositeType } from "@chainsafe/ssz";
import { type Address, concat, type Hex, hexToBytes, type TransactionReceipt, toHex } from "viem";
import { contractRevertOf, revertErrorName } from "../../src/chain/contract-error.ts";
import { keeperDomain, keeperValidatorsTypedData } from "../../src/chain/keeper-eip712.ts";
import type { SignerClient } from "../../src/chain/signer-client.ts";
import { deriveValidatorKey } from "../../src/crypto/bls-keys.ts";
import { mnemonicToSeed } from "../../src/crypto/mnemonic.ts";
import { DepositData } from "../../src/crypto/ssz-types.ts";
import type { OracleKey } from "../../src/devnet/accounts.ts";
import { DEVNET_GENESIS_FORK_VERSION } from "../../src/devnet/deploy.ts";
import { buildDepositDatum, type DepositDatumJson } from "../../src/keys/deposit-datum.ts";
import { txValidator, ValidatorsTree } from "../../src/keys/validators-tree.ts";
import { vaultWithdrawalCredentials } from "../../src/keys/withdrawal-credentials.ts";
import { TEST_MNEMONIC } from "../support/cli.ts";
import type { DevnetChain } from "../support/devnet-chain.ts";

export const VALIDATOR_DEPOSIT_WEI = 32n * 10n ** 18n;
export const VALIDATOR_DEPOSIT_GWEI = 32_000_000_000;
export const EXIT_SIGNATURES_IPFS_HASH = "bafkreiexitsignatures";

export interface VaultDepositData {
  entries: DepositDatumJson[];
  /** pubkey ‖ signature ‖ deposit_data_root per entry (the tree's leaf values). */
  txValidators: Uint8Array[];
  tree: ValidatorsTree;
}

/**
 * Deposit data for keys `first … first + count − 1` of the legal-winner mnemonic, 0x01 credentials
 * to `vault`, 32 ETH, signed for the devnet's genesis fork version; and its validators tree.
 */
export async function vaultDepositData(vault: Address, count: number, first = 0): Promise<VaultDepositData> {
  const seed = mnemonicToSeed(TEST_MNEMONIC);
  const credentials = vaultWithdrawalCredentials(vault);
  const entries = Array.from({ length: count }, (_, k) => {
    const key = deriveValidatorKey(seed, first + k);
    return buildDepositDatum({
      secretKey: key.secretKey,
      publicKey: key.publicKey,
      withdrawalCredentials: credentials,
      amountGwei: VALIDATOR_DEPOSIT_GWEI,
      genesisForkVersion: hexToBytes(DEVNET_GENESIS_FORK_VERSION),
      networkName: "devnet",
    });
  });
  const txValidators = entries.map((e) =>
    txValidator(
      hexToBytes(`0x${e.pubkey}`),
      hexToBytes(`0x${e.signature}`),
      hexToBytes(`0x${e.deposit_data_root}`),
    ),
  );
  return { entries, txValidators, tree: await ValidatorsTree.build(txValidators) };
}

/** The `validators` bytes of an approval: the entries' tx-validators in registration order. */
export function validatorsBytes(data: VaultDepositData, indexes: readonly number[]): Hex {
  return concat(indexes.map((i) => toHex(data.txValidators[i] as Uint8Array)));
}

export interface ApprovalOptions {
  /** Default: the deposit contract's current root. */
  validatorsRegistryRoot?: Hex;
  /** Default: one hour after the latest block. */
  deadline?: bigint;
  /** The message's vault (default: the vault that will call). */
  signedVault?: Address;
  signers?: readonly OracleKey[];
  threshold?: number;
  /** Replaces the combined signatures (for malformed-signature cases). */
  signatures?: Hex;
}

export interface ApprovalParams {
  validatorsRegistryRoot: Hex;
  deadline: bigint;
  validators: Hex;
  signatures: Hex;
  exitSignaturesIpfsHash: string;
}

/** Keeper approval params for `vault` registering `validators`, signed by the devnet's oracles. */
export async function oracleApproval(
  devnet: DevnetChain,
  vault: Address,
  validators: Hex,
  options: ApprovalOptions = {},
): Promise<ApprovalParams> {
  const client = devnet.clients.sender;
  const validatorsRegistryRoot =
    options.validatorsRegistryRoot ??
    (await client.readContract({
      address: devnet.protocol.depositContract.address,
      abi: depositRootAbi,
      functionName: "get_deposit_root",
    }));
  const deadline = options.deadline ?? (await latestTimestamp(devnet)) + 3600n;
  const message = {
    validatorsRegistryRoot,
    vault: options.signedVault ?? vault,
    validators,
    exitSignaturesIpfsHash: EXIT_SIGNATURES_IPFS_HASH,
    deadline,
  };
  const typedData = keeperValidatorsTypedData(
    keeperDomain(devnet.anvil.chainId, devnet.protocol.keeper.address),
    message,
  );
  const signatures =
    options.signatures ??
    (await devnet.signAsOracles(typedData, {
      ...(options.signers === undefined ? {} : { signers: options.signers }),
      ...(options.threshold === undefined ? {} : { threshold: options.threshold }),
    }));
  return {
    validatorsRegistryRoot,
    deadline,
    validators,
    signatures,
    exitSignaturesIpfsHash: EXIT_SIGNATURES_IPFS_HASH,
  };
}

const depositRootAbi = [
  {
    type: "function",
    name: "get_deposit_root",
    stateMutability: "view",
    inputs: [],
    outputs: [{ name: "", type: "bytes32" }],
  },
] as const;

export async function latestTimestamp(devnet: DevnetChain): Promise<bigint> {
  const block = await devnet.clients.sender.getBlock({ blockTag: "latest" });
  return block.timestamp;
}

/** Asserts that `promise` rejects with a contract revert decoded to `errorName`. */
export async function assertRevert(promise: Promise<unknown>, errorName: string): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    const name = revertErrorName(error);
    assert.equal(name, errorName, `expected revert ${errorName}, got ${name ?? String(error)}`);
    return true;
  });
}

/** Asserts that `promise` rejects with require/revert reason `reason`. */
export async function assertRevertReason(promise: Promise<unknown>, reason: string): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.equal(contractRevertOf(error)?.reason, reason, String(error));
    return true;
  });
}

/** Little-endian uint64 bytes as the deposit contract encodes amount and index. */
export function littleEndian64(value: bigint): Hex {
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setBigUint64(0, value, true);
  return toHex(bytes);
}

/** hash_tree_root(List[DepositData, 2**32]) of the deposits so far: what get_deposit_root must return. */
export function expectedDepositRoot(entries: readonly DepositDatumJson[]): Hex {
  const values = entries.map((e) => ({
    pubkey: hexToBytes(`0x${e.pubkey}`),
    withdrawalCredentials: hexToBytes(`0x${e.withdrawal_credentials}`),
    amount: e.amount,
    signature: hexToBytes(`0x${e.signature}`),
  }));
  return toHex(DEPOSITS_LIST.hashTreeRoot(values));
}

const DEPOSITS_LIST = new ListCompositeType(DepositData, 2 ** 32);

/** Waits for a sent transaction and asserts it succeeded. */
export async function mined(client: SignerClient, sent: Promise<Hex>): Promise<TransactionReceipt> {
  const receipt = await client.waitForTransactionReceipt({ hash: await sent });
  assert.equal(receipt.status, "success", `transaction ${receipt.transactionHash} reverted`);
  return receipt;
}
