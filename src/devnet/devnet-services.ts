import { type Address, type Chain, createPublicClient, type Hex, http } from "viem";
import { keeperAbi } from "../chain/abi/keeper.ts";
import type { SignerClient } from "../chain/signer-client.ts";
import type { NetworkConfig } from "../config/networks.ts";
import { toPrefixedHex } from "../lib/hex.ts";
import type { Logger } from "../lib/logger.ts";
import type { OracleKey } from "./accounts.ts";
import { type BeaconState, createBeaconState } from "./beacon/beacon-state.ts";
import { type BeaconServer, startBeaconServer } from "./beacon/server.ts";
import { viemDepositSource } from "./beacon/viem-deposit-source.ts";
import { viemRequestSource } from "./beacon/viem-request-source.ts";
import { type IpfsGateway, startIpfsGateway } from "./ipfs/gateway.ts";
import { createIpfsStore, type IpfsStore } from "./ipfs/store.ts";
import { type CommitteeSnapshot, type OracleCommittee, startOracleCommittee } from "./oracles/committee.ts";
import { viemOracleChain } from "./oracles/oracle-chain.ts";

export interface StartServicesParameters {
  rpcUrl: string;
  chain: Chain;
  network: NetworkConfig;
  vaultsRegistry: Address;
  /** The Keeper's owner: publishes the oracles' config. */
  owner: SignerClient;
  oracleKeys: readonly OracleKey[];
  recoverThreshold: number;
  activationDelaySlots?: number;
  /** Slots a deposit waits in the beacon's pending-deposits queue (default 0). */
  depositDelaySlots?: number;
  /** MIN_VALIDATOR_WITHDRAWABILITY_DELAY: when partial withdrawals and consolidations land (default 256). */
  withdrawabilityDelayEpochs?: number;
  /** The ConsolidationsChecker the oracles sign for (default the network's); without one they refuse consolidations. */
  consolidationsChecker?: Address;
  /** Where the oracles log their decisions. */
  logger?: Logger;
  /** False: the caller decides whether to publish the oracles' config (default: publish at once). */
  publishConfigOnStart?: boolean;
  /** The IPFS store to serve (default: a new one in memory), e.g. one kept on disk. */
  ipfs?: IpfsStore;
  /** The gateway's port (default: any free one; a taken port falls back to any free one). */
  ipfsPort?: number;
  /** The beacon simulator's port, like ipfsPort: `start --consensus-endpoints` stays valid. */
  beaconPort?: number;
  /** The beacon chain's genesis time (default: now), kept across a restart on the same chain. */
  genesisTime?: number;
  /** What the oracles of an earlier run remembered, and a hook called when it changes. */
  restoredCommittee?: CommitteeSnapshot;
  onCommitteeChange?: () => void;
  lifetime: AbortSignal;
  stops: Array<() => Promise<unknown>>;
}

export interface DevnetServices {
  /** The beacon chain's genesis time (unix seconds). */
  genesisTime: number;
  ipfs: IpfsStore;
  ipfsGateway: IpfsGateway;
  beacon: BeaconState;
  beaconServer: BeaconServer;
  committee: OracleCommittee;
  publishConfig(): Promise<string>;
}

/**
 * The off-chain half of the devnet, for any deployment of the protocol: IPFS, a beacon-chain
 * simulator following the deposit contract, the oracles, and their config published on the Keeper.
 */
export async function startServices(params: StartServicesParameters): Promise<DevnetServices> {
  const { network, stops } = params;
  const ipfs = params.ipfs ?? createIpfsStore();
  const ipfsGateway = await startIpfsGateway({ store: ipfs, port: params.ipfsPort ?? 0 }).catch(
    (error: unknown) => {
      if (!params.ipfsPort) throw error;
      return startIpfsGateway({ store: ipfs });
    },
  );
  stops.push(() => ipfsGateway.close());
  const reader = createPublicClient({
    chain: params.chain,
    transport: http(params.rpcUrl, { retryCount: 0 }),
    pollingInterval: 100,
  });

  const genesisTime = params.genesisTime ?? Math.floor(Date.now() / 1000);
  const beacon = createBeaconState({
    network,
    depositSource: viemDepositSource(reader, network.depositContract.address),
    requestSource: viemRequestSource(reader),
    genesisTime,
    ...(params.activationDelaySlots !== undefined
      ? { activationDelaySlots: params.activationDelaySlots }
      : {}),
    ...(params.depositDelaySlots !== undefined ? { depositDelaySlots: params.depositDelaySlots } : {}),
    ...(params.withdrawabilityDelayEpochs !== undefined
      ? { withdrawabilityDelayEpochs: params.withdrawabilityDelayEpochs }
      : {}),
  });
  const beaconLoop = beacon.start(params.lifetime, { intervalMs: 250 });
  stops.push(() => beaconLoop);
  const beaconServer = await startBeaconServer({ state: beacon, port: params.beaconPort ?? 0 }).catch(
    (error: unknown) => {
      if (!params.beaconPort) throw error;
      return startBeaconServer({ state: beacon });
    },
  );
  stops.push(() => beaconServer.close());

  const consolidationsChecker = params.consolidationsChecker ?? network.consolidationsChecker;
  const committee = await startOracleCommittee({
    keys: params.oracleKeys,
    recoverThreshold: params.recoverThreshold,
    signatureValidityPeriod: 60,
    validatorsApprovalBatchLimit: 10,
    validatorsExitRotationBatchLimit: 10,
    chain: viemOracleChain({
      client: reader,
      depositContract: network.depositContract.address,
      keeper: network.keeper.address,
      vaultsRegistry: params.vaultsRegistry,
      ...(network.depositDataRegistry ? { depositDataRegistry: network.depositDataRegistry } : {}),
      beacon: {
        nextValidatorIndex: async () => {
          await beacon.sync();
          // Validators whose deposit still waits in the queue have their index already.
          return beacon.knownValidatorCount();
        },
        validatorIndex: async (pubkey) => {
          await beacon.sync();
          return beacon.validatorAt(beacon.currentSlot(), { pubkey })?.index;
        },
        validator: async (pubkey) => {
          await beacon.sync();
          const view = beacon.validatorAt(beacon.currentSlot(), { pubkey: pubkey.toLowerCase() as Hex });
          return (
            view && {
              index: view.index,
              withdrawalCredentials: toPrefixedHex(view.withdrawalCredentials),
              status: view.status,
            }
          );
        },
      },
    }),
    ...(consolidationsChecker ? { consolidationsChecker } : {}),
    ...(params.logger ? { logger: params.logger } : {}),
    ...(params.restoredCommittee ? { restored: params.restoredCommittee } : {}),
    ...(params.onCommitteeChange ? { onChange: params.onCommitteeChange } : {}),
    chainId: network.chainId,
    keeper: network.keeper.address,
    network,
    ipfs,
  });
  stops.push(() => committee.close());

  const publishConfig = async () => {
    const cid = await ipfs.put(new TextEncoder().encode(JSON.stringify(committee.config())));
    const hash = await params.owner.writeContract({
      address: network.keeper.address,
      abi: keeperAbi,
      functionName: "updateConfig",
      args: [cid],
    });
    await params.owner.waitForTransactionReceipt({ hash });
    return cid;
  };
  if (params.publishConfigOnStart !== false) await publishConfig();
  return { genesisTime, ipfs, ipfsGateway, beacon, beaconServer, committee, publishConfig };
}
