/**
 * What a rehearsing operator does to a devnet with its test accounts, in place of foundry's
 * `cast`: set a vault's validators root (as its keys manager), fund an address, deposit into a
 * vault. Used by the `operator devnet` helper commands (through devnet.json) and the demo.
 */
import { type Address, getAddress, type Hex, zeroAddress } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { vaultAbi } from "../chain/abi/vault.ts";
import { vaultV5Abi } from "../chain/abi/vault-v5.ts";
import { revertErrorName } from "../chain/contract-error.ts";
import { createSignerClient, type SignerClient } from "../chain/signer-client.ts";
import { OperatorError, UserInputError } from "../lib/errors.ts";
import { failureReason } from "../lib/http/endpoint-failure.ts";
import { DEVNET_ROLES, type DevnetRole } from "./accounts.ts";
import { devnetChain } from "./anvil.ts";
import type { DevnetDescription } from "./devnet-file.ts";

/** A transaction a devnet action sent, mined. */
export interface DevnetTransaction {
  hash: Hex;
  blockNumber: bigint;
}

/** The running devnet of a devnet.json, with a signing client per test account. */
export interface DevnetConnection {
  description: DevnetDescription;
  client(role: DevnetRole): SignerClient;
}

/**
 * Connects to the devnet that `description` (devnet.json) describes and checks it is that devnet:
 * its execution node answers with the file's chain id. The test accounts' keys are public, so
 * nothing here is ever pointed at a chain other than the devnet's.
 */
export async function connectDevnet(description: DevnetDescription, file: string): Promise<DevnetConnection> {
  const url = description.executionEndpoint;
  const chain = devnetChain(description.chainId, url);
  const clients = new Map<DevnetRole, SignerClient>();
  const client = (role: DevnetRole) => {
    let c = clients.get(role);
    if (!c) {
      c = createSignerClient({
        url,
        chain,
        account: privateKeyToAccount(description.accounts[role].privateKey),
      });
      clients.set(role, c);
    }
    return c;
  };
  let chainId: number;
  try {
    chainId = await client(DEVNET_ROLES[0]).getChainId();
  } catch (error) {
    throw new UserInputError(
      `the devnet of ${file} is not running (${url} ${failureReason(error)}): start it with "operator devnet" and keep it running`,
      { cause: error },
    );
  }
  if (chainId !== description.chainId) {
    throw new UserInputError(
      `${url} is chain id ${chainId}, not the devnet's ${description.chainId} named in ${file}: restart "operator devnet"`,
    );
  }
  return { description, client };
}

/** The test account that manages `vault`'s keys, or a user error naming the vault's keys manager. */
export async function keysManagerOf(devnet: DevnetConnection, vault: Address): Promise<DevnetRole> {
  const manager = await devnet
    .client("deployer")
    .readContract({ address: vault, abi: vaultAbi, functionName: "keysManager" })
    .catch((error: unknown) => {
      throw new UserInputError(
        `${vault} is not a vault on the devnet (keysManager() failed): check --vault`,
        {
          cause: error,
        },
      );
    });
  const role = DEVNET_ROLES.find(
    (r) => devnet.description.accounts[r].address.toLowerCase() === manager.toLowerCase(),
  );
  if (!role) {
    throw new UserInputError(
      `the keys manager of vault ${vault} is ${manager}, which is not a devnet test account: send setValidatorsRoot from it yourself`,
    );
  }
  return role;
}

/** Sets `vault`'s validators root; `client` must be the vault's keys manager (keysManagerOf). */
export async function setValidatorsRoot(
  client: SignerClient,
  vault: Address,
  root: Hex,
): Promise<DevnetTransaction> {
  return mined(client, "setValidatorsRoot", () =>
    client.writeContract({ address: vault, abi: vaultAbi, functionName: "setValidatorsRoot", args: [root] }),
  );
}

/** The test account that is `vault`'s admin, or a user error naming the admin. */
export function adminOf(devnet: DevnetConnection, vault: Address): DevnetRole {
  const admin =
    vault.toLowerCase() === devnet.description.vault.address.toLowerCase()
      ? devnet.description.vault.admin
      : undefined;
  const role = DEVNET_ROLES.find(
    (r) =>
      admin !== undefined && devnet.description.accounts[r].address.toLowerCase() === admin.toLowerCase(),
  );
  if (!role) {
    throw new UserInputError(
      `the admin of vault ${vault} is not a devnet test account this devnet knows: send setValidatorsManager from the vault's admin yourself`,
    );
  }
  return role;
}

/** Makes `manager` the validators manager of a version-2+ `vault`; `client` must be its admin. */
export async function setValidatorsManager(
  client: SignerClient,
  vault: Address,
  manager: Address,
): Promise<DevnetTransaction> {
  return mined(client, "setValidatorsManager", () =>
    client.writeContract({
      address: vault,
      abi: vaultV5Abi,
      functionName: "setValidatorsManager",
      args: [getAddress(manager)],
    }),
  );
}

/** Sends `wei` to `to` from `client`'s account. */
export async function fundAddress(
  client: SignerClient,
  to: Address,
  wei: bigint,
): Promise<DevnetTransaction> {
  return mined(client, "the transfer", () => client.sendTransaction({ to: getAddress(to), value: wei }));
}

/** Deposits `wei` into `vault` from `client`'s account, which receives the shares. */
export async function depositToVault(
  client: SignerClient,
  vault: Address,
  wei: bigint,
): Promise<DevnetTransaction> {
  return mined(client, "the deposit", () =>
    client.writeContract({
      address: vault,
      abi: vaultAbi,
      functionName: "deposit",
      args: [client.account.address, zeroAddress],
      value: wei,
    }),
  );
}

/** Sends, waits for the receipt, and turns a revert into one line naming the contract's error. */
async function mined(
  client: SignerClient,
  what: string,
  send: () => Promise<Hex>,
): Promise<DevnetTransaction> {
  let hash: Hex;
  try {
    hash = await send();
  } catch (error) {
    const reverted = revertErrorName(error);
    if (reverted) throw new UserInputError(`${what} reverted with ${reverted}`, { cause: error });
    throw new OperatorError(`${what} could not be sent: ${failureReason(error)}`, {
      cause: error,
      retryable: true,
    });
  }
  const receipt = await client.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success") throw new OperatorError(`${what} (${hash}) reverted`);
  return { hash, blockNumber: receipt.blockNumber };
}
