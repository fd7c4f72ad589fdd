import { readFile } from "node:fs/promises";
import { Worker } from "node:worker_threads";
import { getAddress } from "viem";
import { privateKeyToAddress } from "viem/accounts";
import { UserInputError } from "../lib/errors.ts";
import type { HotWalletKey } from "./hot-wallet.ts";
import type { HotWalletWorkerInput, HotWalletWorkerReply } from "./hot-wallet-worker.ts";

export interface LoadHotWalletParameters {
  /** Web3 Secret Storage v3 keyfile (`<vault dir>/wallet/wallet.json`, --hot-wallet-file). */
  walletFile: string;
  /** Its password, trimmed like the Python operator does (--hot-wallet-password-file). */
  passwordFile: string;
  /** Where WALLET_PRIVATE_KEY is read (default process.env): when set, it replaces the keyfile. */
  env?: NodeJS.ProcessEnv;
}

/** WALLET_PRIVATE_KEY of the Python operator (v4.0.15+): the wallet's key as hex instead of a keyfile. */
export const WALLET_PRIVATE_KEY = "WALLET_PRIVATE_KEY";

/** The hot wallet cannot be loaded: a missing or malformed file, or a wrong password. */
export class HotWalletFileError extends UserInputError {
  override name = "HotWalletFileError";
}

/** The wallet password does not decrypt the keyfile. The message never holds the password. */
export class InvalidHotWalletPasswordError extends HotWalletFileError {
  override name = "InvalidHotWalletPasswordError";
}

/**
 * Decrypts the hot wallet (spec §2.5) from its keyfile and password file. Every failure is one
 * line naming the file and the fix. Takes about a second (scrypt n=2^18), once at startup.
 */
export async function loadHotWallet(params: LoadHotWalletParameters): Promise<HotWalletKey> {
  const { walletFile, passwordFile } = params;
  const rawKey = (params.env ?? process.env)[WALLET_PRIVATE_KEY]?.trim();
  if (rawKey) return walletOfPrivateKey(rawKey);
  const text = await readInput(
    walletFile,
    `hot wallet file ${walletFile} does not exist: run "operator create-wallet" or pass --hot-wallet-file`,
  );
  const address = checkKeyfileShape(text, walletFile);
  const password = (
    await readInput(
      passwordFile,
      `hot wallet password file ${passwordFile} does not exist: pass --hot-wallet-password-file, or run "operator create-wallet" to write a new wallet with its password`,
    )
  ).trim();

  const reply = await decryptOnWorker({ keyfileText: text, password });
  if (!reply.ok) {
    if (reply.wrongPassword) {
      throw new InvalidHotWalletPasswordError(
        `Invalid password for hot wallet ${walletFile}: check ${passwordFile}`,
      );
    }
    throw new HotWalletFileError(
      `hot wallet file ${walletFile} cannot be decrypted (${reply.message}): use the wallet.json that "operator create-wallet" wrote`,
    );
  }
  const wallet: HotWalletKey = { privateKey: reply.privateKey, address: reply.address };
  if (address !== undefined && address !== wallet.address.slice(2).toLowerCase()) {
    throw new HotWalletFileError(
      `hot wallet file ${walletFile} says address 0x${address} but its key belongs to ${wallet.address}: the file is corrupted; restore it from a backup or run "operator create-wallet"`,
    );
  }
  return wallet;
}

/**
 * The address a v3 keyfile names, read without its password (no KDF); a user error when the file
 * is missing, malformed or names no address.
 */
export async function readHotWalletAddress(walletFile: string): Promise<`0x${string}`> {
  const text = await readInput(
    walletFile,
    `hot wallet file ${walletFile} does not exist: run "operator create-wallet" first`,
  );
  const address = checkKeyfileShape(text, walletFile);
  if (address === undefined) {
    throw new HotWalletFileError(`hot wallet file ${walletFile} names no address: pass the address to fund`);
  }
  return getAddress(`0x${address}`);
}

/** Runs the KDF on a one-shot worker thread: its heap (scrypt's garbage) goes away with it. */
function decryptOnWorker(input: HotWalletWorkerInput): Promise<HotWalletWorkerReply> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL("./hot-wallet-worker.ts", import.meta.url), { workerData: input });
    let reply: HotWalletWorkerReply | undefined;
    worker.once("message", (message: HotWalletWorkerReply) => {
      reply = message;
    });
    worker.once("error", reject);
    worker.once("exit", (code) => {
      if (reply) resolve(reply);
      else reject(new HotWalletFileError(`the hot wallet decryption worker stopped (exit code ${code})`));
    });
  });
}

async function readInput(file: string, missing: string): Promise<string> {
  try {
    return await readFile(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new HotWalletFileError(missing);
    throw new HotWalletFileError(`cannot read ${file} (${code ?? "error"}): check its permissions`, {
      cause: error,
    });
  }
}

/**
 * Checks the fields a v3 keyfile must have before running the KDF, so a broken file is named as
 * such rather than as a wrong password. Returns the file's address (lower-case, no 0x) if any.
 */
function checkKeyfileShape(text: string, file: string): string | undefined {
  const invalid = (reason: string) =>
    new HotWalletFileError(
      `hot wallet file ${file} is not a Web3 Secret Storage v3 keyfile (${reason}): restore it from a backup or run "operator create-wallet"`,
    );
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new HotWalletFileError(
      `hot wallet file ${file} is not valid JSON: restore it from a backup or run "operator create-wallet"`,
    );
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) throw invalid("not a JSON object");
  const keyfile = json as Record<string, unknown>;
  if (keyfile.version !== 3) throw invalid(`"version" is ${JSON.stringify(keyfile.version)}, not 3`);
  const crypto = keyfile.crypto ?? keyfile.Crypto;
  if (typeof crypto !== "object" || crypto === null) throw invalid('no "crypto" object');
  const fields = crypto as Record<string, unknown>;
  for (const field of ["cipher", "ciphertext", "kdf", "mac"]) {
    if (typeof fields[field] !== "string") throw invalid(`no "crypto.${field}"`);
  }
  const cipherparams = fields.cipherparams as Record<string, unknown> | undefined;
  if (typeof cipherparams?.iv !== "string") throw invalid('no "crypto.cipherparams.iv"');
  if (typeof fields.kdfparams !== "object" || fields.kdfparams === null)
    throw invalid('no "crypto.kdfparams"');
  if (keyfile.address === undefined) return undefined;
  if (typeof keyfile.address !== "string" || !/^(0x)?[0-9a-fA-F]{40}$/.test(keyfile.address)) {
    throw invalid('"address" is not a 20-byte hex address');
  }
  return keyfile.address.replace(/^0x/, "").toLowerCase();
}

/**
 * The wallet of a hex private key (WALLET_PRIVATE_KEY). A bad value is refused without repeating
 * it: it is a secret even when malformed.
 */
export function walletOfPrivateKey(text: string): HotWalletKey {
  const digits = text.startsWith("0x") || text.startsWith("0X") ? text.slice(2) : text;
  if (!/^[0-9a-fA-F]{64}$/.test(digits)) {
    throw new HotWalletFileError(
      `${WALLET_PRIVATE_KEY} is not a private key: give 64 hex digits (0x optional), or unset it to use the wallet file`,
    );
  }
  const privateKey = Uint8Array.from(Buffer.from(digits, "hex"));
  try {
    return { privateKey, address: privateKeyToAddress(`0x${digits.toLowerCase()}`) };
  } catch {
    throw new HotWalletFileError(
      `${WALLET_PRIVATE_KEY} is not a valid secp256k1 private key (zero or above the curve order): give the wallet's key, or unset it to use the wallet file`,
    );
  }
}
