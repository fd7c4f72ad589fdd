import { readFile } from "node:fs/promises";
import { PublicKey, Signature, verify } from "@chainsafe/blst";
import { type NetworkConfig, publicNetworkByForkVersion } from "../config/networks.ts";
import { computeDepositDomain, computeSigningRoot } from "../crypto/signing.ts";
import { DepositMessage } from "../crypto/ssz-types.ts";
import { UserInputError } from "../lib/errors.ts";
import { bytesEqual, parseHex, toHex } from "../lib/hex.ts";
import { toPythonJson } from "../lib/python-json.ts";
import { depositDataRoots } from "./deposit-data-roots.ts";
import type { DepositDatumJson } from "./deposit-datum.ts";
import { vaultWithdrawalCredentials } from "./withdrawal-credentials.ts";

/** One validated deposit data entry. */
export interface DepositDataEntry {
  /** 0-based position in the file: the leaf index in the validators tree. */
  position: number;
  publicKey: Uint8Array;
  withdrawalCredentials: Uint8Array;
  amountGwei: number;
  signature: Uint8Array;
  /** The file's deposit_data_root, checked against one recomputed from the fields above. */
  depositDataRoot: Uint8Array;
  /** Genesis fork version the deposit was signed for, when the file says it. */
  forkVersion: string | undefined;
  /** The entry as the file has it, with `keepJson` only (a 10k-entry file's JSON is ~50 MiB of heap). */
  json?: DepositDatumJson;
}

export interface DepositDataExpectations {
  /** Every entry must withdraw to this vault (0x01 credentials). */
  vault?: string;
  /** Every entry must be for this network and carry its deposit amount. */
  network?: NetworkConfig;
  /** Deposit amount every entry must carry when no network is given. */
  amountGwei?: number;
  /** Verify each deposit signature (≈1 ms per entry). */
  verifySignatures?: boolean;
  /** Keep each entry's parsed JSON object (to write the entries out again, as merging does). */
  keepJson?: boolean;
}

export async function readDepositDataFile(
  file: string,
  expectations: DepositDataExpectations = {},
): Promise<DepositDataEntry[]> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UserInputError(
      code === "ENOENT"
        ? `deposit data file ${file} does not exist: run "operator create-keys" or pass --deposit-data-file`
        : `deposit data file ${file} cannot be read (${code ?? "error"}): check its permissions`,
    );
  }
  return parseDepositData(text, file, expectations);
}

const FIELDS: ReadonlyArray<[keyof DepositDatumJson, number]> = [
  ["pubkey", 48],
  ["withdrawal_credentials", 32],
  ["signature", 96],
  ["deposit_data_root", 32],
];

export function parseDepositData(
  text: string,
  file: string,
  expectations: DepositDataExpectations = {},
): DepositDataEntry[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UserInputError(
      `deposit data file ${file} is not valid JSON (${(error as Error).message}): use the deposit_data.json that create-keys or the deposit CLI wrote`,
    );
  }
  if (!Array.isArray(json)) {
    throw new UserInputError(`deposit data file ${file} must hold a JSON array of deposit data entries`);
  }
  if (json.length === 0) throw new UserInputError(`deposit data file ${file} has no entries`);

  const fail = (position: number, message: string): never => {
    throw new UserInputError(`deposit data file ${file}: entry ${position}: ${message}`);
  };
  const expectedCredentials = expectations.vault ? vaultWithdrawalCredentials(expectations.vault) : undefined;
  const expectedAmount = expectations.network?.validatorDepositGwei ?? expectations.amountGwei;
  const seen = new Map<string, number>();
  const entries: DepositDataEntry[] = new Array(json.length);
  let firstForkVersion: string | undefined;
  let firstCredentials: Uint8Array | undefined;
  const domains = new Map<string, Uint8Array>();

  for (let position = 0; position < json.length; position++) {
    const raw: unknown = json[position];
    if (typeof raw !== "object" || raw === null || Array.isArray(raw)) fail(position, "is not a JSON object");
    const item = raw as Record<string, unknown>;
    const bytes: Record<string, Uint8Array> = {};
    for (const [field, length] of FIELDS) {
      const value = item[field];
      if (typeof value !== "string") fail(position, `field "${field}" is missing`);
      const parsed = parseHex(value as string, length);
      if (!parsed) fail(position, `field "${field}" must be ${length} bytes of hex`);
      bytes[field] = parsed as Uint8Array;
    }
    const publicKey = bytes.pubkey as Uint8Array;
    const withdrawalCredentials = bytes.withdrawal_credentials as Uint8Array;
    const signature = bytes.signature as Uint8Array;

    const amount = item.amount;
    if (typeof amount !== "number" || !Number.isSafeInteger(amount) || amount <= 0) {
      fail(position, `field "amount" must be a positive whole number of gwei`);
    }
    if (expectedAmount !== undefined && amount !== expectedAmount) {
      fail(
        position,
        `field "amount" is ${amount} gwei but a validator of this vault takes ${expectedAmount} gwei (${expectations.network?.validatorDepositLabel ?? "32 ETH"}): regenerate the deposit data`,
      );
    }

    const key = (item.pubkey as string).replace(/^0x/i, "").toLowerCase();
    const duplicateOf = seen.get(key);
    if (duplicateOf !== undefined) {
      fail(
        position,
        `pubkey 0x${key.slice(0, 16)}… is already in entry ${duplicateOf}: remove the duplicate entry`,
      );
    }
    seen.set(key, position);

    let forkVersion: string | undefined;
    if (item.fork_version !== undefined) {
      const parsedFork = typeof item.fork_version === "string" ? parseHex(item.fork_version, 4) : undefined;
      if (!parsedFork) fail(position, `field "fork_version" must be 4 bytes of hex`);
      forkVersion = `0x${toHex(parsedFork as Uint8Array)}`;
      if (firstForkVersion === undefined) firstForkVersion = forkVersion;
      else if (forkVersion !== firstForkVersion) {
        fail(
          position,
          `is for fork version ${forkVersion} (${networkLabel(forkVersion)}) but entry 0 is for ${firstForkVersion} (${networkLabel(firstForkVersion)}): a deposit data file must be for one network`,
        );
      }
      if (expectations.network && forkVersion !== expectations.network.genesisForkVersion) {
        fail(
          position,
          `is for fork version ${forkVersion} (${networkLabel(forkVersion)}) but the vault is on ${expectations.network.name} (${expectations.network.genesisForkVersion}): use deposit data made for ${expectations.network.name}`,
        );
      }
    }

    if (expectedCredentials && !bytesEqual(withdrawalCredentials, expectedCredentials)) {
      fail(
        position,
        `withdrawal_credentials 0x${toHex(withdrawalCredentials)} do not point at the vault ${expectations.vault} (expected 0x${toHex(expectedCredentials)}): regenerate the deposit data with the vault as withdrawal address`,
      );
    }
    if (!expectedCredentials) {
      if (firstCredentials === undefined) firstCredentials = withdrawalCredentials;
      else if (!bytesEqual(firstCredentials, withdrawalCredentials)) {
        fail(
          position,
          `withdrawal_credentials 0x${toHex(withdrawalCredentials)} differ from entry 0's 0x${toHex(firstCredentials)}: all validators of a vault withdraw to the vault`,
        );
      }
    }

    if (expectations.verifySignatures) {
      const fork = forkVersion ?? expectations.network?.genesisForkVersion;
      if (fork === undefined) fail(position, `has no fork_version to verify its signature against`);
      let domain = domains.get(fork as string);
      if (!domain) {
        domain = computeDepositDomain(parseHex(fork as string, 4) as Uint8Array);
        domains.set(fork as string, domain);
      }
      const messageRoot = DepositMessage.hashTreeRoot({
        pubkey: publicKey,
        withdrawalCredentials,
        amount: amount as number,
      });
      if (!verifySignature(computeSigningRoot(messageRoot, domain), publicKey, signature)) {
        fail(
          position,
          `signature does not verify for its pubkey: the entry is corrupted or was made for another network`,
        );
      }
    }

    entries[position] = {
      position,
      publicKey,
      withdrawalCredentials,
      amountGwei: amount as number,
      signature,
      depositDataRoot: bytes.deposit_data_root as Uint8Array,
      forkVersion,
      ...(expectations.keepJson ? { json: item as unknown as DepositDatumJson } : {}),
    };
  }

  // The roots are recomputed in one batch (100k entries in well under a second).
  const roots = depositDataRoots(entries);
  for (const entry of entries) {
    if (!bytesEqual(roots[entry.position] as Uint8Array, entry.depositDataRoot)) {
      fail(
        entry.position,
        "deposit_data_root does not match its pubkey, withdrawal_credentials, amount and signature: the entry is corrupted; regenerate the deposit data",
      );
    }
  }
  return entries;
}

function verifySignature(message: Uint8Array, publicKey: Uint8Array, signature: Uint8Array): boolean {
  try {
    return verify(message, PublicKey.fromBytes(publicKey, true), Signature.fromBytes(signature, true));
  } catch {
    return false;
  }
}

function networkLabel(forkVersion: string): string {
  return publicNetworkByForkVersion(forkVersion)?.name ?? "unknown network";
}

/** deposit_data.json text, byte-compatible with the staking deposit CLI's. */
export function serializeDepositData(entries: readonly DepositDatumJson[]): string {
  return toPythonJson(
    entries.map((e) => ({
      pubkey: e.pubkey,
      withdrawal_credentials: e.withdrawal_credentials,
      amount: e.amount,
      signature: e.signature,
      deposit_message_root: e.deposit_message_root,
      deposit_data_root: e.deposit_data_root,
      fork_version: e.fork_version,
      network_name: e.network_name,
      deposit_cli_version: e.deposit_cli_version,
    })),
  );
}
