/**
 * The SSV part of a devnet: the contracts of one fee era with N operators (deploy-ssv.ts), the
 * SSV API double serving them (records from the chain plus the devnet's metadata), their files
 * (`ssv-operators/<id>.pem`, 0600, and `ssv-operators.json`) and the actions tests and the README
 * walk-through use: mint SSV, change or remove an operator, mine blocks, liquidate a cluster.
 */
import { join } from "node:path";
import { type Address, type Hex, toHex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import type { SsvFeeEra } from "../../chain/abi/ssv-network.ts";
import { ssvNetworkEthEraAbi } from "../../chain/abi/ssv-network.ts";
import { ssvNetworkViewsAbi } from "../../chain/abi/ssv-network-views.ts";
import { createSignerClient, type SignerClient } from "../../chain/signer-client.ts";
import type { SsvNetworkConfig } from "../../config/networks.ts";
import { writeFileAtomic } from "../../lib/atomic-file.ts";
import { makeDirs } from "../../lib/fs.ts";
import type { Logger } from "../../lib/logger.ts";
import { type SsvApiOperatorRecordInput, type SsvApiServer, startSsvApiServer } from "./api-server.ts";
import {
  type DevnetSsv,
  deploySsv,
  devnetSsvTokenAbi,
  type SsvOperatorInfo,
  ssvOperatorOwnerKey,
} from "./deploy-ssv.ts";

/** The devnet's network name in the SSV API's paths (/api/v4/devnet/operators). */
export const DEVNET_SSV_API_NETWORK = "devnet";

export interface DevnetSsvOptions {
  /** Operators to register (default 8). */
  operators?: number;
  /** Default "ssv-token". */
  feeEra?: SsvFeeEra;
}

/** Setup providers of the devnet operators, some shared, so that provider diversity matters. */
const PROVIDERS = ["Blockdaemon", "Blockdaemon", "Chorus One", "Figment", "Kiln", "Kiln", "P2P", "Stakefish"];
/** Blocks per `anvil_mine` call in `mine`. */
const MINE_STEP = 250;

export interface SsvOperatorMetadata extends SsvOperatorInfo {
  provider: string;
  /** Percent over 30 days (24 h is the same on the devnet). */
  performance: number;
}

/** The cluster snapshot as the contracts take it. */
export interface SsvClusterSnapshot {
  validatorCount: number;
  networkFeeIndex: bigint;
  index: bigint;
  active: boolean;
  balance: bigint;
}

export interface DevnetSsvHandle {
  deployment: DevnetSsv;
  apiUrl: string;
  api: SsvApiServer;
  /** Where the SSV network is, as network.json carries it (NetworkConfig.ssv) and devnet.json too. */
  config(): SsvNetworkConfig;
  operators(): readonly SsvOperatorMetadata[];
  /** Mints SSV to `to` (SSV-token era only). */
  mintSsv(to: Address, amount: bigint): Promise<void>;
  /** As the operator's owner: declare + execute (increase) or reduce (decrease). */
  setOperatorFee(id: bigint, fee: bigint): Promise<void>;
  removeOperator(id: bigint): Promise<void>;
  mine(blocks: number): Promise<void>;
  /** Liquidates a cluster as the liquidator account. */
  liquidate(owner: Address, operatorIds: readonly bigint[], cluster: SsvClusterSnapshot): Promise<Hex>;
  /** Writes ssv-operators/<id>.pem (0600) and ssv-operators.json under `dir`. */
  writeFiles(dir: string): Promise<void>;
}

export interface StartDevnetSsvParameters {
  options: DevnetSsvOptions;
  url: string;
  /** Deploys, owns the token. */
  deployer: SignerClient;
  /** Liquidates on request. */
  liquidator: SignerClient;
  stops: Array<() => Promise<unknown>>;
  logger?: Logger;
}

export async function startDevnetSsv(params: StartDevnetSsvParameters): Promise<DevnetSsvHandle> {
  const { deployer } = params;
  const deployment = await deploySsv({
    client: deployer,
    url: params.url,
    feeEra: params.options.feeEra ?? "ssv-token",
    operators: params.options.operators ?? 8,
  });
  const metadata: SsvOperatorMetadata[] = deployment.operators.map((o, i) => ({
    ...o,
    provider: PROVIDERS[i % PROVIDERS.length] as string,
    performance: Math.round((99.9 - i * 0.4) * 100) / 100,
  }));
  const owners = new Map(
    metadata.map((o, i) => [
      o.id,
      createSignerClient({
        url: params.url,
        chain: deployer.chain,
        account: privateKeyToAccount(ssvOperatorOwnerKey(i)),
      }),
    ]),
  );
  const network = { address: deployment.network.address, abi: ssvNetworkEthEraAbi } as const;
  const mined = async (client: SignerClient, hash: Hex) => {
    const receipt = await client.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new Error(`devnet SSV transaction ${hash} reverted`);
    return hash;
  };
  const ownerOf = (id: bigint) => {
    const owner = owners.get(id);
    if (!owner) throw new Error(`SSV operator ${id} is not one of the devnet's`);
    return owner;
  };

  const records = async (): Promise<SsvApiOperatorRecordInput[]> =>
    Promise.all(
      metadata.map(async (o) => {
        const [owner, fee, validatorCount, , isPrivate, active] = await deployer.readContract({
          address: deployment.views.address,
          abi: ssvNetworkViewsAbi,
          functionName: "getOperatorById",
          args: [o.id],
        });
        return {
          id: o.id,
          name: `devnet operator ${o.id}`,
          fee,
          publicKey: o.publicKey,
          owner,
          setupProvider: o.provider,
          performance24h: o.performance,
          performance30d: o.performance,
          isActive: active,
          isPrivate,
          isDeleted: !active,
          validatorsCount: validatorCount,
        };
      }),
    );
  const api = await startSsvApiServer({
    network: DEVNET_SSV_API_NETWORK,
    operators: records,
    ...(params.logger ? { logger: params.logger } : {}),
  });
  params.stops.push(() => api.close());

  return {
    deployment,
    apiUrl: api.url,
    api,
    config: () => ({
      network: deployment.network.address,
      views: deployment.views.address,
      ...(deployment.token ? { token: deployment.token.address } : {}),
      deployBlock: Number(deployment.network.blockNumber),
      apiUrl: api.url,
      apiNetwork: DEVNET_SSV_API_NETWORK,
    }),
    operators: () => metadata,
    mintSsv: async (to, amount) => {
      if (!deployment.token) throw new Error("the devnet's SSV network is in the ETH-fee era: no SSV token");
      await mined(
        deployer,
        await deployer.writeContract({
          address: deployment.token.address,
          abi: devnetSsvTokenAbi,
          functionName: "mint",
          args: [to, amount],
        }),
      );
    },
    setOperatorFee: async (id, fee) => {
      const owner = ownerOf(id);
      const current = await deployer.readContract({
        address: deployment.views.address,
        abi: ssvNetworkViewsAbi,
        functionName: "getOperatorFee",
        args: [id],
      });
      if (fee < current) {
        await mined(
          owner,
          await owner.writeContract({ ...network, functionName: "reduceOperatorFee", args: [id, fee] }),
        );
        return;
      }
      await mined(
        owner,
        await owner.writeContract({ ...network, functionName: "declareOperatorFee", args: [id, fee] }),
      );
      await mined(
        owner,
        await owner.writeContract({ ...network, functionName: "executeOperatorFee", args: [id] }),
      );
    },
    removeOperator: async (id) => {
      const owner = ownerOf(id);
      await mined(
        owner,
        await owner.writeContract({ ...network, functionName: "removeOperator", args: [id] }),
      );
    },
    mine: async (blocks) => {
      // In steps: one call for thousands of blocks can outlast the client's request timeout on a busy machine.
      for (let left = blocks; left > 0; left -= MINE_STEP) {
        const step = Math.min(left, MINE_STEP);
        await deployer.request({ method: "anvil_mine" as never, params: [toHex(step)] as never });
      }
    },
    liquidate: async (owner, operatorIds, cluster) =>
      mined(
        params.liquidator,
        await params.liquidator.writeContract({
          ...network,
          functionName: "liquidate",
          args: [owner, [...operatorIds], cluster],
        }),
      ),
    writeFiles: async (dir) => {
      const keys = join(dir, "ssv-operators");
      await makeDirs(keys, { mode: 0o700 });
      for (const o of metadata) {
        await writeFileAtomic(join(keys, `${o.id}.pem`), o.privateKeyPem, { mode: 0o600 });
      }
      const list = metadata.map((o) => ({
        id: Number(o.id),
        owner: o.owner,
        publicKey: o.publicKey,
        fee: o.fee.toString(),
        provider: o.provider,
        performance: o.performance,
      }));
      await writeFileAtomic(join(dir, "ssv-operators.json"), `${JSON.stringify(list, null, 2)}\n`);
    },
  };
}
