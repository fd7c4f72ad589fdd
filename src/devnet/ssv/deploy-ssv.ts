/**
 * Deploys the devnet's SSV contracts for one fee era (SSV token + SSVNetwork + SSVNetworkViews, or
 * SSVNetworkEth + SSVNetworkViewsEth) and registers N operators, each from its own owner account
 * with a fresh RSA key, as the real registry holds them (operator-keys.ts).
 *
 * The defaults make a cluster's life short enough for a test: with 4 operators a 10 SSV (or
 * 0.001 ETH) deposit per validator runs dry in about two thousand blocks (`anvil_mine`).
 */
import {
  type Address,
  erc20Abi,
  getAddress,
  getContractAddress,
  type Hex,
  keccak256,
  parseEther,
  parseEventLogs,
  stringToBytes,
  type TransactionReceipt,
  toHex,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import type { SsvFeeEra } from "../../chain/abi/ssv-network.ts";
import { ssvNetworkEthEraAbi } from "../../chain/abi/ssv-network.ts";
import { createSignerClient, type SignerClient } from "../../chain/signer-client.ts";
import { DeployError, type DeployedContract, deploy, sendAll } from "../deploy.ts";
import { generateSsvOperatorKey, ssvOperatorKeyBytes } from "./operator-keys.ts";

/** Constructor parameters of SSVNetworkBase (amounts in wei of the era's asset). */
export interface SsvNetworkParameters {
  networkFee: bigint;
  liquidationThresholdPeriod: bigint;
  minimumLiquidationCollateral: bigint;
  validatorsPerOperatorLimit: number;
  declareOperatorFeePeriod: bigint;
  executeOperatorFeePeriod: bigint;
  firstOperatorId: bigint;
}

/** The first operator id of the devnet registry: ids a test cannot mistake for 1..4. */
export const DEFAULT_SSV_FIRST_OPERATOR_ID = 100n;

/** Fee per block of a devnet operator: 1, 2 or 3 units of the era (SSV 10^15 wei, ETH 10^11 wei). */
function operatorFee(era: SsvFeeEra, index: number): bigint {
  return BigInt(1 + (index % 3)) * (era === "eth" ? 10n ** 11n : 10n ** 15n);
}

export function defaultSsvNetworkParameters(era: SsvFeeEra): SsvNetworkParameters {
  const common = {
    liquidationThresholdPeriod: 100n,
    validatorsPerOperatorLimit: 500,
    declareOperatorFeePeriod: 0n,
    executeOperatorFeePeriod: 86_400n,
    firstOperatorId: DEFAULT_SSV_FIRST_OPERATOR_ID,
  };
  return era === "eth"
    ? { ...common, networkFee: 5n * 10n ** 10n, minimumLiquidationCollateral: 10n ** 13n }
    : { ...common, networkFee: 5n * 10n ** 14n, minimumLiquidationCollateral: parseEther("0.1") };
}

/** What the `…SSV` views of the ETH-era views contract answer (mainnet-like legacy values). */
const LEGACY_SSV_PARAMETERS = {
  networkFee: 0n,
  operatorFee: 0n,
  liquidationThresholdPeriod: 214_800n,
  minimumLiquidationCollateral: parseEther("1"),
};

/** The devnet SSVToken: ERC-20 plus the deployer's mint. */
export const devnetSsvTokenAbi = [
  ...erc20Abi,
  {
    type: "function",
    name: "mint",
    stateMutability: "nonpayable",
    inputs: [
      { name: "to", type: "address" },
      { name: "amount", type: "uint256" },
    ],
    outputs: [],
  },
] as const;

export interface SsvOperatorInfo {
  id: bigint;
  owner: Address;
  /** Base64 of the "RSA PUBLIC KEY" PEM, as OperatorAdded carries it (ABI-decoded). */
  publicKey: string;
  /** PKCS#8 PEM. */
  privateKeyPem: string;
  /** Per block, unshrunk, at registration. */
  fee: bigint;
}

export interface DevnetSsv {
  feeEra: SsvFeeEra;
  network: DeployedContract;
  views: DeployedContract;
  /** The SSV token (SSV-token era only). */
  token?: DeployedContract;
  parameters: SsvNetworkParameters;
  /** The registered operators, in registration (= id) order. */
  operators: SsvOperatorInfo[];
}

export interface DeploySsvParameters {
  /** Deploys the contracts; mints the SSV token. */
  client: SignerClient;
  /** The node's URL, for the operator owners' clients. */
  url: string;
  feeEra: SsvFeeEra;
  /** Operators to register (0: none). */
  operators: number;
  parameters?: Partial<SsvNetworkParameters>;
}

/** Seed of the operator owners' keys: owner i = keccak256(utf8(`${seed}:${i}`)). TEST-ONLY. */
export const SSV_OPERATOR_OWNERS_SEED = "vault-operator devnet ssv operator owner";

export function ssvOperatorOwnerKey(index: number): Hex {
  return keccak256(stringToBytes(`${SSV_OPERATOR_OWNERS_SEED}:${index}`));
}

export async function deploySsv(params: DeploySsvParameters): Promise<DevnetSsv> {
  const { client, feeEra } = params;
  const parameters = { ...defaultSsvNetworkParameters(feeEra), ...params.parameters };
  // Keys are generated while the contracts deploy (RSA generation is the slow part).
  const keys = Promise.all(Array.from({ length: params.operators }, () => generateSsvOperatorKey()));
  const from = client.account.address;
  const nonce = await client.getTransactionCount({ address: from, blockTag: "pending" });
  const addressAt = (offset: number) => getContractAddress({ from, nonce: BigInt(nonce + offset) });
  const sends =
    feeEra === "eth"
      ? [
          (n: number) => deploy(client, "SSVNetworkEth", [parameters], n),
          (n: number) => deploy(client, "SSVNetworkViewsEth", [addressAt(0), LEGACY_SSV_PARAMETERS], n),
        ]
      : [
          (n: number) => deploy(client, "SSVToken", [], n),
          (n: number) => deploy(client, "SSVNetwork", [addressAt(0), parameters], n),
          (n: number) => deploy(client, "SSVNetworkViews", [addressAt(1)], n),
        ];
  const blocks = await sendAll(client, nonce, sends);
  const at = (index: number): DeployedContract => ({
    address: getAddress(addressAt(index)),
    blockNumber: blocks[index] as bigint,
  });
  const offset = feeEra === "eth" ? 0 : 1;
  const ssv: DevnetSsv = {
    feeEra,
    network: at(offset),
    views: at(offset + 1),
    ...(feeEra === "eth" ? {} : { token: at(0) }),
    parameters,
    operators: [],
  };
  ssv.operators = await registerOperators(params, ssv, await keys);
  return ssv;
}

/** Registers one operator per key, operator i from owner i (funded here), all in flight at once. */
async function registerOperators(
  params: DeploySsvParameters,
  ssv: DevnetSsv,
  keys: readonly { privateKeyPem: string; publicKey: string }[],
): Promise<SsvOperatorInfo[]> {
  const owners = keys.map((_, i) =>
    createSignerClient({
      url: params.url,
      chain: params.client.chain,
      account: privateKeyToAccount(ssvOperatorOwnerKey(i)),
    }),
  );
  await Promise.all(
    owners.map((owner) =>
      params.client.request({
        method: "anvil_setBalance" as never,
        params: [owner.account.address, toHex(parseEther("100"))] as never,
      }),
    ),
  );
  const fees = keys.map((_, i) => operatorFee(ssv.feeEra, i));
  // Sent one after the other, mined together; each id is read from its OperatorAdded event.
  const hashes: Hex[] = [];
  for (const [i, owner] of owners.entries()) {
    hashes.push(
      await owner.writeContract({
        address: ssv.network.address,
        abi: ssvNetworkEthEraAbi,
        functionName: "registerOperator",
        args: [ssvOperatorKeyBytes((keys[i] as { publicKey: string }).publicKey), fees[i] as bigint, false],
      }),
    );
  }
  const receipts = await Promise.all(hashes.map((hash) => params.client.waitForTransactionReceipt({ hash })));
  return keys.map((key, i) => ({
    id: operatorIdOf(receipts[i] as TransactionReceipt),
    owner: (owners[i] as SignerClient).account.address,
    publicKey: key.publicKey,
    privateKeyPem: key.privateKeyPem,
    fee: fees[i] as bigint,
  }));
}

function operatorIdOf(receipt: TransactionReceipt): bigint {
  if (receipt.status !== "success")
    throw new DeployError(`SSV operator registration ${receipt.transactionHash} reverted`);
  const [added] = parseEventLogs({
    abi: ssvNetworkEthEraAbi,
    eventName: "OperatorAdded",
    logs: receipt.logs,
  });
  if (!added)
    throw new DeployError(`SSV operator registration ${receipt.transactionHash} emitted no OperatorAdded`);
  return added.args.operatorId;
}
