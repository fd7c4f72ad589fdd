import type { Address, Hex } from "viem";
import type { ConsensusClient } from "../chain/consensus-client.ts";
import type { ValidatorStatus } from "../chain/consensus-dto.ts";
import type { ExecutionClient } from "../chain/execution-client.ts";
import { createVaultStateReader } from "../chain/vault-state-reader.ts";
import { scanRegisteredKeys } from "../chain/vault-validator-events.ts";
import type { NetworkConfig } from "../config/networks.ts";
import { readDepositDataFile } from "../keys/deposit-data-file.ts";
import { UserInputError } from "../lib/errors.ts";
import { toPrefixedHex } from "../lib/hex.ts";
import { chooseFlow } from "../operator/flows/choose-flow.ts";
import { hasExitStarted } from "../operator/planning/beacon-rules.ts";

/**
 * Where each of the vault's keys stands for SSV:
 * - on-ssv: registered on SSV, not exited;
 * - exited-on-ssv: registered on SSV but exited on the beacon chain (to offboard);
 * - due: registered on the vault, not exited, not on SSV (should be);
 * - next: among the next `--prepare-keys` keys `start` will register, not on SSV yet (registered
 *   on SSV ahead, so they attest from activation);
 * - later: an unused key past those; exited: exited and not on SSV.
 */
export type VaultKeyClass = "on-ssv" | "exited-on-ssv" | "due" | "next" | "later" | "exited";

export interface VaultKey {
  publicKey: Hex;
  class: VaultKeyClass;
  /** The beacon status, when the beacon chain knows the key. */
  beaconStatus?: ValidatorStatus;
}

/** Pure: the class of every key, in the order `start` uses them. */
export function classifyVaultKeys(p: {
  /** Keys in start's order (deposit data order, or keystore order for the validators-manager flow). */
  ordered: readonly Hex[];
  registeredOnVault: ReadonlySet<string>;
  onSsv: ReadonlySet<string>;
  beaconStatus: ReadonlyMap<string, ValidatorStatus>;
  prepareKeys: number;
}): VaultKey[] {
  let next = 0;
  return p.ordered.map((raw) => {
    const publicKey = raw.toLowerCase() as Hex;
    const status = p.beaconStatus.get(publicKey);
    const exited = status !== undefined && hasExitStarted(status);
    const onSsv = p.onSsv.has(publicKey);
    // An unused key (the vault has not registered it) already on SSV takes one of the
    // --prepare-keys places: prepared ahead, it is the next one start uses.
    const unused = !p.registeredOnVault.has(publicKey) && status === undefined;
    let klass: VaultKeyClass;
    if (onSsv) {
      klass = exited ? "exited-on-ssv" : "on-ssv";
      if (unused) next++;
    } else if (exited) klass = "exited";
    else if (p.registeredOnVault.has(publicKey) || status !== undefined) klass = "due";
    else klass = next++ < p.prepareKeys ? "next" : "later";
    return { publicKey, class: klass, ...(status ? { beaconStatus: status } : {}) };
  });
}

export interface ReadVaultKeysParameters {
  execution: ExecutionClient;
  consensus: ConsensusClient;
  network: NetworkConfig;
  vault: Address;
  /** The hot wallet: a vault whose validators manager it is takes keystore order. */
  wallet: Address;
  /** The local keystores' keys, in derivation order. */
  keystoreKeys: readonly Hex[];
  depositDataFile: string;
  /** Keys on SSV now (the owner state's validators). */
  onSsv: ReadonlySet<string>;
  prepareKeys: number;
  signal?: AbortSignal;
}

/**
 * The vault's keys with their SSV class: the order `start` takes them in (its flow decides:
 * keystore order when the wallet is the validators manager, else the deposit data file's order),
 * which the vault registered (its events), their beacon status, and which are on SSV.
 */
export async function readVaultKeys(p: ReadVaultKeysParameters): Promise<VaultKey[]> {
  const state = await createVaultStateReader({ client: p.execution, network: p.network }).read(p.vault);
  const choice = chooseFlow({
    version: state.version,
    validatorsManager: state.validatorsManager,
    depositDataRegistry: p.network.depositDataRegistry,
    wallet: p.wallet,
  });
  if (choice.kind === "refused") throw new UserInputError(choice.reason);
  const keystores = new Set(p.keystoreKeys.map((k) => k.toLowerCase()));
  const ordered =
    choice.flow === "validators-manager"
      ? [...p.keystoreKeys]
      : (await readDepositDataFile(p.depositDataFile))
          .map((entry) => toPrefixedHex(entry.publicKey) as Hex)
          // Only keys whose keystore is here can be split into shares.
          .filter((key) => keystores.has(key));
  const head = await p.execution.getBlockNumber({ cacheTime: 0 });
  const registered = await scanRegisteredKeys({
    client: p.execution,
    vault: p.vault,
    fromBlock: BigInt(p.network.keeper.genesisBlock),
    toBlock: head,
  });
  const known = await p.consensus.getValidators(ordered, p.signal ? { signal: p.signal } : {});
  return classifyVaultKeys({
    ordered,
    registeredOnVault: new Set(registered),
    onSsv: new Set([...p.onSsv].map((k) => k.toLowerCase())),
    beaconStatus: new Map(known.map((v) => [v.pubkey.toLowerCase(), v.status])),
    prepareKeys: p.prepareKeys,
  });
}

/** What `readVaultKeys` takes from an opened SSV environment: its clients, vault, owner and keystores. */
export interface VaultKeysEnvironment {
  execution: ExecutionClient;
  consensus: ConsensusClient;
  network: NetworkConfig;
  vault: Address;
  owner: Address;
  keystores: { publicKeys(): readonly string[] };
}

/** The vault's keys with their SSV class, for the commands and the manager (one environment, one owner state). */
export function readEnvironmentVaultKeys(
  env: VaultKeysEnvironment,
  p: { depositDataFile: string; onSsv: ReadonlySet<string>; prepareKeys: number; signal?: AbortSignal },
): Promise<VaultKey[]> {
  return readVaultKeys({
    execution: env.execution,
    consensus: env.consensus,
    network: env.network,
    vault: env.vault,
    wallet: env.owner,
    keystoreKeys: env.keystores.publicKeys() as Hex[],
    ...p,
  });
}
