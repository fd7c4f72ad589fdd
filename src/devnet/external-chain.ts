/**
 * What `operator devnet --rpc-url` needs from a chain it did not deploy: Multicall3 where the
 * network file says (placed with anvil_setCode when absent), the Keeper owner's signature (its key,
 * or the owner impersonated on anvil, since a real owner is a multisig), and the Keeper's current
 * oracle config (so that a restart does not overwrite a config that is already this devnet's).
 */
import {
  type Address,
  type Chain,
  type Hex,
  type JsonRpcAccount,
  type PublicClient,
  parseEther,
  toHex,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { keeperAbi } from "../chain/abi/keeper.ts";
import { createSignerClient, type SignerClient } from "../chain/signer-client.ts";
import { UserInputError } from "../lib/errors.ts";
import { loadArtifact } from "./deploy.ts";

type RawRequest = (args: { method: string; params: unknown[] }) => Promise<unknown>;

const ownableAbi = [
  {
    type: "function",
    name: "owner",
    stateMutability: "view",
    inputs: [],
    outputs: [{ name: "", type: "address" }],
  },
] as const;

/** Gas money for an impersonated owner: enough for config and oracle-set updates. */
const IMPERSONATED_BALANCE = parseEther("10");

async function hasCode(client: PublicClient, address: Address): Promise<boolean> {
  const code = await client.getCode({ address });
  return code !== undefined && code !== "0x";
}

/** "placed" when Multicall3 was absent and is now there; "present" when it already was. */
export async function ensureMulticall3(
  client: PublicClient,
  address: Address,
): Promise<"present" | "placed"> {
  if (await hasCode(client, address)) return "present";
  const request = client.request as unknown as RawRequest;
  try {
    await request({
      method: "anvil_setCode",
      params: [address, loadArtifact("Multicall3").deployedBytecode],
    });
  } catch {
    throw new UserInputError(
      `no Multicall3 at ${address} and the node does not take anvil_setCode: deploy Multicall3 and set "multicall3" in --contracts`,
    );
  }
  return "placed";
}

/** Refuses a contract address without code: a wrong address otherwise fails much later. */
export async function requireCode(client: PublicClient, address: Address, field: string): Promise<void> {
  if (!(await hasCode(client, address))) {
    throw new UserInputError(
      `--contracts ${field} ${address} holds no contract on this chain: set "${field}"`,
    );
  }
}

export interface KeeperOwnerParameters {
  client: PublicClient;
  rpcUrl: string;
  chain: Chain;
  keeper: Address;
  privateKey: Hex | undefined;
}

export interface KeeperOwner {
  client: SignerClient;
  address: Address;
  impersonated: boolean;
}

/** The Keeper owner's client: from its key, or (no key) the owner impersonated and funded on anvil. */
export async function keeperOwner(p: KeeperOwnerParameters): Promise<KeeperOwner> {
  if (p.privateKey) {
    const account = privateKeyToAccount(p.privateKey);
    return {
      client: createSignerClient({ url: p.rpcUrl, chain: p.chain, account }),
      address: account.address,
      impersonated: false,
    };
  }
  const owner = await p.client
    .readContract({ address: p.keeper, abi: ownableAbi, functionName: "owner" })
    .catch((cause: unknown) => {
      throw new UserInputError(`Keeper ${p.keeper} does not answer owner(): check "keeper" in --contracts`, {
        cause,
      });
    });
  const request = p.client.request as unknown as RawRequest;
  try {
    await request({ method: "anvil_impersonateAccount", params: [owner] });
    const balance = await p.client.getBalance({ address: owner });
    if (balance < IMPERSONATED_BALANCE) {
      await request({ method: "anvil_setBalance", params: [owner, toHex(IMPERSONATED_BALANCE)] });
    }
  } catch {
    throw new UserInputError(
      `the node does not take anvil_impersonateAccount for the Keeper owner ${owner}: set "keeperOwnerPrivateKey" in --contracts`,
    );
  }
  const account: JsonRpcAccount = { address: owner, type: "json-rpc" };
  return {
    client: createSignerClient({ url: p.rpcUrl, chain: p.chain, account }),
    address: owner,
    impersonated: true,
  };
}

/** The IPFS hash of the Keeper's last ConfigUpdated, or undefined when it never had one. */
export async function lastKeeperConfig(
  client: PublicClient,
  keeper: Address,
  fromBlock: number,
): Promise<string | undefined> {
  const logs = await client.getContractEvents({
    address: keeper,
    abi: keeperAbi,
    eventName: "ConfigUpdated",
    fromBlock: BigInt(fromBlock),
  });
  return logs.at(-1)?.args.configIpfsHash;
}
