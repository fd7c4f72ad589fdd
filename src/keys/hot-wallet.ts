import { Wallet } from "@ethereumjs/wallet";
import { HDKey } from "@scure/bip32";
import { getAddress } from "viem";
import { toPythonJson } from "../lib/python-json.ts";

/** The hot wallet is Ethereum account 0 of the same mnemonic: m/44'/60'/0'/0/0. */
export const HOT_WALLET_PATH = "m/44'/60'/0'/0/0";

export interface HotWalletKey {
  privateKey: Uint8Array;
  address: `0x${string}`;
}

export function deriveHotWallet(seed: Uint8Array): HotWalletKey {
  const node = HDKey.fromMasterSeed(seed).derive(HOT_WALLET_PATH);
  if (!node.privateKey) throw new Error("hot wallet derivation produced no private key");
  const privateKey = new Uint8Array(node.privateKey);
  const wallet = Wallet.fromPrivateKey(privateKey);
  return { privateKey, address: getAddress(wallet.getAddressString()) };
}

/**
 * The scrypt parameters of new hot wallet keyfiles: geth's "standard" ones (n = 2^18, r = 8,
 * p = 1, as the deposit CLI's keystores), which eth_account, ethers, geth and OpenSSL all read.
 * eth_account's own default (r = 1, p = 8) breaks RFC 7914's N < 2^(16·r), so ethers v6, noble
 * and OpenSSL refuse to derive it; such files are still read (hot-wallet-keyfile.ts).
 */
export const HOT_WALLET_SCRYPT = { n: 2 ** 18, r: 8, p: 1, dklen: 32 } as const;

/**
 * Web3 Secret Storage v3 keyfile text in eth_account's layout (field order, json.dumps spacing)
 * with {@link HOT_WALLET_SCRYPT} (tests may pass lighter ones): one scrypt of 256 MiB, about a second.
 */
export async function encryptHotWallet(
  privateKey: Uint8Array,
  password: string,
  scrypt: { n: number; r: number; p: number; dklen: number } = HOT_WALLET_SCRYPT,
): Promise<string> {
  const keyfile = await Wallet.fromPrivateKey(privateKey).toV3(password, { kdf: "scrypt", ...scrypt });
  const kdfparams = keyfile.crypto.kdfparams as {
    dklen: number;
    n: number;
    r: number;
    p: number;
    salt: string;
  };
  const { address } = keyfile as unknown as { address: string };
  return toPythonJson({
    address,
    crypto: {
      cipher: keyfile.crypto.cipher,
      cipherparams: { iv: keyfile.crypto.cipherparams.iv },
      ciphertext: keyfile.crypto.ciphertext,
      kdf: keyfile.crypto.kdf,
      kdfparams: {
        dklen: kdfparams.dklen,
        n: kdfparams.n,
        r: kdfparams.r,
        p: kdfparams.p,
        salt: kdfparams.salt,
      },
      mac: keyfile.crypto.mac,
    },
    id: keyfile.id,
    version: keyfile.version,
  });
}
