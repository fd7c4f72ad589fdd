/**
 * `operator devnet --dvt obol|ssv`: a simulated distributed-validator cluster beside the devnet,
 * run by the real services inside the devnet process: the cluster's keys and files
 * (dvt-cluster.ts), then the relayer (`operator relayer`'s runRelayer, SQLite under `<dir>`) and
 * one sidecar per node (`operator sidecar`'s runSidecar) on loopback, all stopped by the devnet's
 * lifetime signal. Today's generation (v4) also gets the relayer's validators-manager wallet
 * (`<dir>/relayer-wallet/`), made the vault's validators manager.
 */
import { randomBytes } from "node:crypto";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { type Address, toHex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { createConsensusClient } from "../../chain/consensus-client.ts";
import type { SignerClient } from "../../chain/signer-client.ts";
import type { NetworkConfig } from "../../config/networks.ts";
import { runRelayer } from "../../dvt/relayer/service.ts";
import { runSidecar, type SidecarCluster } from "../../dvt/sidecar/service.ts";
import { encryptHotWallet } from "../../keys/hot-wallet.ts";
import { WALLET_PRIVATE_KEY } from "../../keys/hot-wallet-file.ts";
import { writeFileAtomic } from "../../lib/atomic-file.ts";
import { makeDirs } from "../../lib/fs.ts";
import { type Logger, silentLogger } from "../../lib/logger.ts";
import { sleep } from "../../lib/sleep.ts";
import { setValidatorsManager } from "../actions.ts";
import type { DevnetSsvHandle } from "../ssv/devnet-ssv.ts";
import { type DvtCluster, makeDvtCluster } from "./dvt-cluster.ts";
import type { DvtShape } from "./dvt-options.ts";

/** How often the devnet's sidecars poll the relayer. */
const SIDECAR_POLL_MS = 500;

/** What devnet.json says of the cluster: where the operator and a user find its parts. */
export interface DevnetDvtDescription {
  cluster: DvtShape["cluster"];
  protocol: DvtShape["protocol"];
  size: number;
  threshold: number;
  /** Pass to `operator start --relayer-endpoint`. */
  relayerEndpoint: string;
  publicKeys: `0x${string}`[];
  /** v4: the relayer's CSV of DV public keys. */
  publicKeysFile?: string;
  /** v4: the relayer's wallet, the vault's validators manager. */
  validatorsManager?: Address;
  walletFile?: string;
  walletPasswordFile?: string;
  /** Legacy: the DV keys' deposit data, for the operator's own registration. */
  depositDataFile?: string;
  /** Obol: charon's cluster-lock.json; each node's validator_keys dir below. */
  clusterLockFile?: string;
  /** SSV: the cluster owner (its ValidatorAdded events carry the shares). */
  clusterOwner?: Address;
  /** The nodes: share index and what the node's sidecar reads. */
  nodes: Array<{ shareIndex: number; keystoresDir?: string; operatorKeyFile?: string }>;
}

export interface StartDevnetDvtParameters {
  shape: DvtShape;
  /** `<devnet output dir>/dvt`: emptied first (the devnet's chain is new at every start). */
  dir: string;
  /** The devnet's network (with its IPFS gateway, and SSV contracts for --dvt ssv). */
  network: NetworkConfig;
  executionUrl: string;
  consensusUrl: string;
  vault: Address;
  /** The vault's admin: names the relayer's wallet validators manager (v4). */
  admin: SignerClient;
  /** Funds the SSV cluster owner. */
  funder: SignerClient;
  ssv: DevnetSsvHandle | undefined;
  /** SSV operator id → its PEM key file (the devnet's ssv-operators/<id>.pem). */
  ssvOperatorKeyFile(id: bigint): string;
  /** Legacy: the beacon index the next new validator gets. */
  nextValidatorIndex(): Promise<number>;
  logger?: Logger;
  lifetime: AbortSignal;
  stops: Array<() => Promise<unknown>>;
}

export interface DevnetDvt {
  cluster: DvtCluster;
  relayerUrl: string;
  describe(): DevnetDvtDescription;
}

export async function startDevnetDvt(params: StartDevnetDvtParameters): Promise<DevnetDvt> {
  const { shape, dir, network, lifetime } = params;
  const log = (params.logger ?? silentLogger()).child({ module: "dvt" });
  await rm(dir, { recursive: true, force: true });
  await makeDirs(dir, { mode: 0o700 });
  const cluster = await makeDvtCluster({
    shape,
    dir,
    network,
    vault: params.vault,
    funder: params.funder,
    executionUrl: params.executionUrl,
    ssv: params.ssv,
  });

  const wallet = shape.protocol === "v4" ? await writeManagerWallet(join(dir, "relayer-wallet")) : undefined;
  if (wallet) await setValidatorsManager(params.admin, params.vault, wallet.address);

  const endpoints = { executionEndpoints: [params.executionUrl], consensusEndpoints: [params.consensusUrl] };
  let listening: (url: string) => void = () => {};
  const listened = new Promise<string>((resolve) => {
    listening = resolve;
  });
  const relayer = runRelayer(
    {
      network,
      protocol: shape.protocol,
      ...endpoints,
      threshold: shape.threshold,
      host: "127.0.0.1",
      port: 0,
      dataDir: dir,
      validatorLifetimeSeconds: 3600,
      ...(cluster.publicKeysFile ? { publicKeysFile: cluster.publicKeysFile } : {}),
      ...(cluster.obol ? { obolClusterLock: cluster.obol.clusterLockFile } : {}),
      ...(cluster.ssv ? { ssvClusterOwner: cluster.ssv.owner } : {}),
    },
    {
      log: log.child({ module: "relayer" }),
      signal: lifetime,
      env: wallet ? { [WALLET_PRIVATE_KEY]: wallet.privateKey } : {},
      nextValidatorIndex: params.nextValidatorIndex,
      onListening: listening,
    },
  );
  params.stops.push(() => relayer.catch(() => {}));
  const relayerUrl = await Promise.race([
    listened,
    relayer.then(() => {
      throw new Error("the devnet's DVT relayer stopped before it listened");
    }),
  ]);
  relayer.catch((error: unknown) => log.error("devnet DVT relayer stopped", {}, error));

  // An SSV node learns its shares from finalized ValidatorAdded events (and refuses to start
  // before its operator's registration is final): its sidecar starts once the chain finalizes
  // the cluster's registration, a few epochs after the devnet is up.
  const ssvFinal = cluster.ssv
    ? untilFinalized(params.consensusUrl, cluster.ssv.registrationBlock, network.secondsPerSlot, lifetime)
    : Promise.resolve();
  if (cluster.ssv)
    log.info("SSV sidecars start when the registration is final", { block: cluster.ssv.registrationBlock });
  const nodes: DevnetDvtDescription["nodes"] = [];
  for (let node = 0; node < shape.size; node++) {
    let sidecarCluster: SidecarCluster;
    if (cluster.obol) {
      const keystoresDir = cluster.obol.keystoresDir(node);
      sidecarCluster = {
        type: "obol",
        keystoresDir,
        clusterLockFile: cluster.obol.clusterLockFile,
        nodeIndex: node,
      };
      nodes.push({ shareIndex: node + 1, keystoresDir });
    } else {
      const operatorId = cluster.ssv?.operatorIds[node] as bigint;
      const operatorKeyFile = params.ssvOperatorKeyFile(operatorId);
      sidecarCluster = { type: "ssv", operatorId, operatorKeyFile, ...endpoints };
      nodes.push({ shareIndex: Number(operatorId), operatorKeyFile });
    }
    const sidecar = ssvFinal
      .then(() =>
        runSidecar(
          {
            network,
            relayerEndpoint: relayerUrl,
            protocol: shape.protocol,
            pollIntervalMs: SIDECAR_POLL_MS,
            cluster: sidecarCluster,
            dataDir: dir,
          },
          { log: log.child({ module: `node${node}` }), signal: lifetime },
        ),
      )
      .catch((error: unknown) => {
        if (!lifetime.aborted) log.error("devnet DVT sidecar stopped", { node }, error);
      });
    params.stops.push(() => sidecar);
  }
  log.info("devnet DVT cluster started", {
    cluster: shape.cluster,
    protocol: shape.protocol,
    validators: cluster.publicKeys.length,
    relayer: relayerUrl,
  });

  const description: DevnetDvtDescription = {
    cluster: shape.cluster,
    protocol: shape.protocol,
    size: shape.size,
    threshold: shape.threshold,
    relayerEndpoint: relayerUrl,
    publicKeys: cluster.publicKeys,
    ...(cluster.publicKeysFile ? { publicKeysFile: cluster.publicKeysFile } : {}),
    ...(wallet
      ? {
          validatorsManager: wallet.address,
          walletFile: wallet.walletFile,
          walletPasswordFile: wallet.passwordFile,
        }
      : {}),
    ...(cluster.depositDataFile ? { depositDataFile: cluster.depositDataFile } : {}),
    ...(cluster.obol ? { clusterLockFile: cluster.obol.clusterLockFile } : {}),
    ...(cluster.ssv ? { clusterOwner: cluster.ssv.owner } : {}),
    nodes,
  };
  return { cluster, relayerUrl, describe: () => description };
}

/** Resolves once the beacon node's finalized execution block is at `block` (rejects on abort). */
async function untilFinalized(url: string, block: bigint, secondsPerSlot: number, signal: AbortSignal) {
  const consensus = createConsensusClient({ endpoints: [url] });
  for (;;) {
    const finalized = await consensus
      .getExecutionBlock("finalized", { signal })
      .then((b) => BigInt(b.blockNumber))
      .catch(() => -1n);
    if (finalized >= block) return;
    await sleep(secondsPerSlot * 1000, signal);
  }
}

/** A fresh validators-manager wallet: V3 keyfile + password file (0600), as `operator relayer` reads them. */
async function writeManagerWallet(dir: string) {
  const key = randomBytes(32);
  const password = randomBytes(16).toString("hex");
  await makeDirs(dir, { mode: 0o700 });
  const walletFile = join(dir, "wallet.json");
  const passwordFile = join(dir, "password.txt");
  await writeFileAtomic(walletFile, await encryptHotWallet(key, password), { mode: 0o600 });
  await writeFileAtomic(passwordFile, password, { mode: 0o600 });
  const privateKey = toHex(key);
  key.fill(0);
  return { address: privateKeyToAccount(privateKey).address, privateKey, walletFile, passwordFile };
}
