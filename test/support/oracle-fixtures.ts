/**
 * Shared by the oracle doubles' tests: a devnet network, a hand-written OracleChain double, the
 * vault's deposit data for the project's test mnemonic, and approval requests built the way the
 * operator builds them. TEST-ONLY.
 */
import { PublicKey, Signature, verify } from "@chainsafe/blst";
import { type Address, getAddress, type Hex } from "viem";
import type { NetworkConfig } from "../../src/config/networks.ts";
import { deriveValidatorKey, type ValidatorKey } from "../../src/crypto/bls-keys.ts";
import type { EciesRecipient } from "../../src/crypto/ecies.ts";
import { type ExitNetwork, exitSigningRoot, signExit } from "../../src/crypto/exit-message.ts";
import { mnemonicToSeed } from "../../src/crypto/mnemonic.ts";
import { computeDomain, computeSigningRoot, DOMAIN_VOLUNTARY_EXIT } from "../../src/crypto/signing.ts";
import { VoluntaryExit } from "../../src/crypto/ssz-types.ts";
import type { BeaconValidatorInfo, OracleChain } from "../../src/devnet/oracles/oracle-chain.ts";
import { buildDepositDatum } from "../../src/keys/deposit-datum.ts";
import { txValidator, ValidatorsTree } from "../../src/keys/validators-tree.ts";
import { vaultWithdrawalCredentials } from "../../src/keys/withdrawal-credentials.ts";
import { parseHex, toPrefixedHex } from "../../src/lib/hex.ts";
import type { ApprovalRequest } from "../../src/oracles/approval-request.ts";
import { buildApprovalRequest } from "../../src/oracles/build-approval-request.ts";
import { prepareOracleRecipients } from "../../src/oracles/exit-shares.ts";
import { type RegistrationProof, registrationProof } from "../../src/oracles/registration-proof.ts";

export const TEST_MNEMONIC = "legal winner thank year wave sausage worth useful legal winner thank yellow";

export const CHAIN_ID = 31337;
export const KEEPER: Address = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
export const VAULT: Address = getAddress("0x8a94e1d22d83990205843cda08376d16f150c9bb");
export const OTHER_VAULT: Address = getAddress("0xac0f906e433d58fa868f936e8a43230473652885");
/** The deposit contract's root ("validators registry root") the chain double reports. */
export const REGISTRY_ROOT: Hex = `0x${"5e".repeat(32)}`;
/** Beacon index the next new validator gets, per the chain double. */
export const NEXT_VALIDATOR_INDEX = 100;
export const BLOCK_NUMBER = 4242n;
export const VALIDITY_PERIOD = 300;

/** A devnet network (fork versions as `operator devnet` writes them). */
export const NETWORK: NetworkConfig = Object.freeze({
  name: "devnet",
  chainId: CHAIN_ID,
  genesisForkVersion: "0x10000038",
  capellaForkVersion: "0x40000038",
  capellaEpoch: 0,
  genesisValidatorsRoot: "0x83431ec7fcf92cfc44947fc0418e831c25e1d0806590231c439830db7ad54fda",
  slotsPerEpoch: 32,
  secondsPerSlot: 12,
  validatorDepositGwei: 32_000_000_000,
  validatorDepositLabel: "32 ETH",
  gasToken: "ETH",
  assetToken: "ETH",
  keeper: Object.freeze({ address: KEEPER, genesisBlock: 0 }),
  depositContract: Object.freeze({
    address: "0x4242424242424242424242424242424242424242" as const,
    genesisBlock: 0,
  }),
  maxFeePerGasGwei: 100,
  walletMinBalanceWei: 10_000_000_000_000_000n,
});

export const nowSeconds = (): number => Math.floor(Date.now() / 1000);

export function bytesOf(hex: string): Uint8Array {
  const bytes = parseHex(hex);
  if (!bytes) throw new TypeError(`not hex: ${hex}`);
  return bytes;
}

export interface VaultOnChain {
  validatorsRoot: Hex;
  /** Deposit-data index of the vault's next validator. */
  validatorIndex: number;
  exitSignaturesNonce: bigint;
}

/** What the oracles read from the chains, set by hand. Unregistered vaults throw like a revert. */
export class FakeOracleChain implements OracleChain {
  registryRoot: Hex = REGISTRY_ROOT;
  block: bigint = BLOCK_NUMBER;
  next: number = NEXT_VALIDATOR_INDEX;
  readonly vaults = new Map<string, VaultOnChain>();
  /** Beacon indexes of validators the beacon node knows (lowercase pubkey → index). */
  readonly beaconIndexes = new Map<string, number>();
  /** validatorsManager() per vault (lowercase address). */
  readonly managers = new Map<string, Address>();
  /** Validators the beacon node shows (lowercase pubkey → index, credentials, status). */
  readonly beaconValidators = new Map<string, BeaconValidatorInfo>();

  setVault(vault: Address, state: VaultOnChain): void {
    this.vaults.set(vault.toLowerCase(), { ...state });
  }

  vault(vault: Address): VaultOnChain {
    const state = this.vaults.get(vault.toLowerCase());
    if (!state) throw new Error(`execution reverted: ${vault} is not a vault`);
    return state;
  }

  async depositRoot(): Promise<Hex> {
    return this.registryRoot;
  }
  async isVault(vault: Address): Promise<boolean> {
    return this.vaults.has(vault.toLowerCase());
  }
  async vaultValidatorsRoot(vault: Address): Promise<Hex> {
    return this.vault(vault).validatorsRoot;
  }
  async vaultValidatorIndex(vault: Address): Promise<number> {
    return this.vault(vault).validatorIndex;
  }
  async exitSignaturesNonce(vault: Address): Promise<bigint> {
    return this.vaults.get(vault.toLowerCase())?.exitSignaturesNonce ?? 0n;
  }
  async blockNumber(): Promise<bigint> {
    return this.block;
  }
  async nextValidatorIndex(): Promise<number> {
    return this.next;
  }
  async validatorIndex(publicKey: Hex): Promise<number | undefined> {
    return this.beaconIndexes.get(publicKey.toLowerCase());
  }
  async validatorsManager(vault: Address): Promise<Address> {
    this.vault(vault);
    return this.managers.get(vault.toLowerCase()) ?? "0x0000000000000000000000000000000000000000";
  }
  async beaconValidator(publicKey: Hex): Promise<BeaconValidatorInfo | undefined> {
    return this.beaconValidators.get(publicKey.toLowerCase());
  }
}

/** A vault's deposit data for keys 0 … count − 1 of the test mnemonic, and its validators tree. */
export interface VaultDeposits {
  vault: Address;
  keys: ValidatorKey[];
  depositSignatures: Uint8Array[];
  txValidators: Uint8Array[];
  tree: ValidatorsTree;
  root: Hex;
}

let cachedSeed: Uint8Array | undefined;
const keyCache = new Map<number, ValidatorKey>();

export function testKey(index: number): ValidatorKey {
  let key = keyCache.get(index);
  if (!key) {
    cachedSeed ??= mnemonicToSeed(TEST_MNEMONIC);
    key = deriveValidatorKey(cachedSeed, index);
    keyCache.set(index, key);
  }
  return key;
}

export async function vaultDeposits(
  vault: Address,
  count: number,
  network: NetworkConfig = NETWORK,
  firstKey = 0,
): Promise<VaultDeposits> {
  const keys = Array.from({ length: count }, (_, i) => testKey(firstKey + i));
  const depositSignatures: Uint8Array[] = [];
  const txValidators = keys.map((key) => {
    const datum = buildDepositDatum({
      secretKey: key.secretKey,
      publicKey: key.publicKey,
      withdrawalCredentials: vaultWithdrawalCredentials(vault),
      amountGwei: network.validatorDepositGwei,
      genesisForkVersion: bytesOf(network.genesisForkVersion),
      networkName: network.name,
    });
    const signature = bytesOf(datum.signature);
    depositSignatures.push(signature);
    return txValidator(key.publicKey, signature, bytesOf(datum.deposit_data_root));
  });
  const tree = await ValidatorsTree.build(txValidators);
  return { vault, keys, depositSignatures, txValidators, tree, root: toPrefixedHex(tree.root) };
}

export interface RequestOptions {
  deposits: VaultDeposits;
  /** Deposit-data index of the first validator. */
  startIndex: number;
  count: number;
  recipients: readonly EciesRecipient[];
  recoverThreshold: number;
  /** Beacon index of the first validator (default: the chain double's next index). */
  validatorIndex?: number;
  registryRoot?: Hex;
  deadline?: number;
  proof?: RegistrationProof;
  /** The network the exit signatures are made for (default NETWORK). */
  exitNetwork?: ExitNetwork;
}

/** An approval request as the operator builds it (spec §5.1). */
export function approvalRequest(options: RequestOptions): ApprovalRequest {
  const { deposits, startIndex, count } = options;
  const validatorIndex = options.validatorIndex ?? NEXT_VALIDATOR_INDEX;
  const exitNetwork = options.exitNetwork ?? NETWORK;
  const validators = Array.from({ length: count }, (_, k) => {
    const key = deposits.keys[startIndex + k];
    const depositSignature = deposits.depositSignatures[startIndex + k];
    if (!key || !depositSignature) throw new RangeError(`no deposit data entry ${startIndex + k}`);
    return {
      publicKey: key.publicKey,
      depositSignature,
      exitSignature: signExit(key.secretKey, exitNetwork, validatorIndex + k),
    };
  });
  return buildApprovalRequest({
    vault: deposits.vault,
    validatorIndex,
    registryRoot: options.registryRoot ?? REGISTRY_ROOT,
    validators,
    oracles: options.recipients,
    recoverThreshold: options.recoverThreshold,
    network: NETWORK,
    deadline: options.deadline ?? nowSeconds() + VALIDITY_PERIOD,
    proof: options.proof ?? registrationProof(deposits.tree, startIndex, count),
  });
}

/** The concatenated tx-validators of deposit-data entries start … start + count − 1. */
export function txValidatorsHex(deposits: VaultDeposits, start: number, count: number): Hex {
  return toPrefixedHex(Buffer.concat(deposits.txValidators.slice(start, start + count)));
}

/**
 * Verifies a full exit signature the way the beacon chain does: VoluntaryExit{capella epoch, index}
 * under DOMAIN_VOLUNTARY_EXIT with the Capella fork version and the genesis validators root, computed
 * with the SSZ types and checked equal to exitSigningRoot.
 */
export function exitSignatureVerifies(
  publicKey: Uint8Array,
  validatorIndex: number,
  signature: Uint8Array,
  network: NetworkConfig = NETWORK,
): boolean {
  const domain = computeDomain(
    DOMAIN_VOLUNTARY_EXIT,
    bytesOf(network.capellaForkVersion),
    bytesOf(network.genesisValidatorsRoot),
  );
  const root = computeSigningRoot(
    VoluntaryExit.hashTreeRoot({ epoch: network.capellaEpoch, validatorIndex }),
    domain,
  );
  if (Buffer.compare(root, exitSigningRoot(network, validatorIndex)) !== 0)
    throw new Error(`exitSigningRoot disagrees with the SSZ exit signing root of index ${validatorIndex}`);
  try {
    return verify(root, PublicKey.fromBytes(publicKey, true), Signature.fromBytes(signature, true));
  } catch {
    return false;
  }
}

const recipientCache = new Map<string, EciesRecipient>();

/**
 * prepareOracleRecipients for protocol-config keys, each prepared once per test process (a
 * recipient's multiplication table takes ≈ 70 ms to build).
 */
export function recipientsFor(publicKeys: readonly string[]): EciesRecipient[] {
  return publicKeys.map((publicKey) => {
    const key = publicKey.toLowerCase();
    let recipient = recipientCache.get(key);
    if (!recipient) {
      [recipient] = prepareOracleRecipients([{ publicKey }]) as [EciesRecipient];
      recipientCache.set(key, recipient);
    }
    return recipient;
  });
}

/** Response JSON, walked freely by assertions that check every value they read. */
// biome-ignore lint/suspicious/noExplicitAny: assertions check every value they read from the body
export type Json = any;

export interface HttpAnswer {
  status: number;
  body: Json;
}

export async function postJson(url: string, body: unknown): Promise<HttpAnswer> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

export async function getJson(url: string): Promise<HttpAnswer> {
  const response = await fetch(url);
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}
