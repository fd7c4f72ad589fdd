/**
 * The devnet's simulated DVT cluster on disk and on chain: fresh distributed validator keys, each
 * split into the cluster's shares and then forgotten (dvt-keys.ts), and what the cluster's nodes
 * and the operator find afterwards:
 * - Obol: charon's files (obol-files.ts): `<dir>/cluster-lock.json`, `<dir>/node<i>/validator_keys/`;
 * - SSV: the shares registered on the devnet's SSVNetwork by the cluster owner (ssv-shares.ts);
 * - v4: `<dir>/public-keys.csv`, the relayer's list of DV public keys;
 * - legacy: `<dir>/deposit_data.json` for the operator, signed by each whole key before it goes.
 */
import { join } from "node:path";
import type { SecretKey } from "@chainsafe/blst";
import { type Address, keccak256, stringToBytes } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { createSignerClient, type SignerClient } from "../../chain/signer-client.ts";
import type { NetworkConfig } from "../../config/networks.ts";
import { serializeDepositData } from "../../keys/deposit-data-file.ts";
import { buildDepositDatum, type DepositDatumJson } from "../../keys/deposit-datum.ts";
import { vaultWithdrawalCredentials } from "../../keys/withdrawal-credentials.ts";
import { writeFileAtomic } from "../../lib/atomic-file.ts";
import { parseHex, toPrefixedHex } from "../../lib/hex.ts";
import type { SsvSharesData } from "../../ssv/keyshares/shares-data.ts";
import type { DevnetSsvHandle } from "../ssv/devnet-ssv.ts";
import { type DvtValidatorShares, splitValidatorKey, withFreshKeys } from "./dvt-keys.ts";
import type { DvtShape } from "./dvt-options.ts";
import { type ObolClusterFiles, writeObolFiles } from "./obol-files.ts";
import { registerSsvValidators, ssvValidatorShares } from "./ssv-shares.ts";

/** The SSV cluster owner's key: a devnet test account (public, like anvil's), funded at start. */
export const DEVNET_DVT_OWNER_KEY = keccak256(stringToBytes("vault-operator devnet DVT cluster owner"));

/** What the cluster's SSV owner deposits: ample for hours of 1-s blocks. */
const SSV_CLUSTER_FUNDS = { "ssv-token": 1000n * 10n ** 18n, eth: 10n ** 18n } as const;

export interface MakeDvtClusterParameters {
  shape: DvtShape;
  dir: string;
  network: NetworkConfig;
  vault: Address;
  /** Funds the SSV cluster owner (ETH, and SSV in the token era). */
  funder: SignerClient;
  executionUrl: string;
  ssv: DevnetSsvHandle | undefined;
}

export interface DvtCluster {
  /** The DV public keys, in order (lower-case 0x hex). */
  publicKeys: `0x${string}`[];
  obol?: ObolClusterFiles;
  /** SSV: the owner, the operators and the block of the bulk registration. */
  ssv?: { owner: Address; operatorIds: bigint[]; registrationBlock: bigint };
  publicKeysFile?: string;
  depositDataFile?: string;
}

/** Makes the keys, writes or registers the shares and forgets the keys. */
export async function makeDvtCluster(params: MakeDvtClusterParameters): Promise<DvtCluster> {
  const { shape, network } = params;
  const deposit = (key: SecretKey): DepositDatumJson | undefined =>
    shape.protocol === "legacy"
      ? buildDepositDatum({
          secretKey: key,
          publicKey: key.toPublicKey().toBytes(true),
          withdrawalCredentials: vaultWithdrawalCredentials(params.vault, 0x01),
          amountGwei: network.validatorDepositGwei,
          genesisForkVersion: parseHex(network.genesisForkVersion, 4) as Uint8Array,
          networkName: network.name,
        })
      : undefined;
  let cluster: DvtCluster;
  let deposits: (DepositDatumJson | undefined)[];
  if (shape.cluster === "obol") {
    const xs = Array.from({ length: shape.size }, (_, i) => i + 1);
    const made = withFreshKeys(shape.validators, (key) => ({
      shares: splitValidatorKey(key, shape.threshold, xs),
      deposit: deposit(key),
    }));
    deposits = made.map((m) => m.deposit);
    const validators: DvtValidatorShares[] = made.map((m) => m.shares);
    const obol = await writeObolFiles({ dir: params.dir, validators, threshold: shape.threshold });
    cluster = { publicKeys: validators.map((v) => v.publicKey), obol };
    for (const v of validators) for (const s of v.shares) s.secretKey.fill(0);
  } else {
    const ssv = params.ssv;
    if (!ssv) throw new Error("--dvt ssv needs the devnet's SSV contracts");
    const owner = createSignerClient({
      url: params.executionUrl,
      chain: params.funder.chain,
      account: privateKeyToAccount(DEVNET_DVT_OWNER_KEY),
    });
    const operators = ssv.operators().slice(0, shape.size);
    const made = withFreshKeys(shape.validators, (key, k) => ({
      shares: ssvValidatorShares({
        secretKeys: [key],
        operators: operators.map((o) => ({ id: o.id, publicKey: o.publicKey })),
        owner: owner.account.address,
        nonce: k,
      })[0] as SsvSharesData,
      deposit: deposit(key),
    }));
    deposits = made.map((m) => m.deposit);
    const era = ssv.deployment.feeEra;
    const amount = SSV_CLUSTER_FUNDS[era];
    const funding = await params.funder.sendTransaction({ to: owner.account.address, value: 10n ** 19n });
    await params.funder.waitForTransactionReceipt({ hash: funding });
    if (era === "ssv-token") await ssv.mintSsv(owner.account.address, amount);
    const operatorIds = operators.map((o) => o.id);
    const registration = await registerSsvValidators({
      owner,
      ssvNetwork: ssv.deployment.network.address,
      era,
      ...(ssv.deployment.token ? { ssvToken: ssv.deployment.token.address } : {}),
      operatorIds,
      shares: made.map((m) => m.shares),
      amount,
    });
    cluster = {
      publicKeys: made.map((m) => toPrefixedHex(m.shares.publicKey)),
      ssv: { owner: owner.account.address, operatorIds, registrationBlock: registration.blockNumber },
    };
  }
  if (shape.protocol === "v4") {
    cluster.publicKeysFile = join(params.dir, "public-keys.csv");
    await writeFileAtomic(cluster.publicKeysFile, `${cluster.publicKeys.join("\n")}\n`);
  } else {
    cluster.depositDataFile = join(params.dir, "deposit_data.json");
    await writeFileAtomic(
      cluster.depositDataFile,
      serializeDepositData(deposits.filter((d): d is DepositDatumJson => d !== undefined)),
    );
  }
  return cluster;
}
