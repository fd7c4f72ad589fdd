/**
 * Named test accounts of the devnet. TEST-ONLY KEYS: everything here is public and derived from
 * published strings; never send real funds to these addresses.
 *
 * - Funded accounts come from anvil's well-known mnemonic (m/44'/60'/0'/0/i), one per role.
 * - Oracle keys are separate secp256k1 keys: key i = keccak256(utf8(`${seed}:${i}`)), so any
 *   number of oracles is reproducible from a seed string without touching the funded accounts.
 */
import { type Address, type Hex, keccak256, stringToBytes, toHex } from "viem";
import { mnemonicToAccount, privateKeyToAccount } from "viem/accounts";

/** anvil's default mnemonic: its accounts are funded at genesis. */
export const DEVNET_MNEMONIC = "test test test test test test test test test test test junk";

/** The funded roles, in account-index order (role i is m/44'/60'/0'/0/i). */
export const DEVNET_ROLES = ["deployer", "admin", "keysManager", "sender", "depositor"] as const;
export type DevnetRole = (typeof DEVNET_ROLES)[number];

export interface DevnetAccount {
  role: DevnetRole;
  /** BIP-44 address index. */
  index: number;
  address: Address;
  privateKey: Hex;
}

export type DevnetAccounts = Readonly<Record<DevnetRole, DevnetAccount>>;

/** The named accounts of `mnemonic` (anvil's default one unless given). */
export function devnetAccounts(mnemonic: string = DEVNET_MNEMONIC): DevnetAccounts {
  const entries = DEVNET_ROLES.map((role, index) => {
    const account = mnemonicToAccount(mnemonic, { addressIndex: index });
    const privateKey = account.getHdKey().privateKey;
    if (!privateKey) throw new Error(`account ${index} of the devnet mnemonic has no private key`);
    return [role, { role, index, address: account.address, privateKey: toHex(privateKey) }] as const;
  });
  return Object.fromEntries(entries) as Record<DevnetRole, DevnetAccount>;
}

/** Seed string of the default devnet oracle keys. */
export const DEVNET_ORACLES_SEED = "vault-operator devnet oracle";

export interface OracleKey {
  index: number;
  privateKey: Hex;
  address: Address;
  /** Uncompressed secp256k1 public key, 0x04 ‖ x ‖ y (65 bytes). */
  publicKey: Hex;
}

export interface DeriveOracleKeysOptions {
  /** Number of oracles (default 3). */
  count?: number;
  seed?: string;
}

const SECP256K1_ORDER = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

/** `count` oracle keys derived from `seed`, in index order (not sorted by address). */
export function deriveOracleKeys(options: DeriveOracleKeysOptions = {}): OracleKey[] {
  const count = options.count ?? 3;
  const seed = options.seed ?? DEVNET_ORACLES_SEED;
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`oracle count must be ≥ 1, got ${count}`);
  return Array.from({ length: count }, (_, index) => {
    let privateKey = keccak256(stringToBytes(`${seed}:${index}`));
    // A hash outside [1, n) has probability ~2^-128; rehash rather than fail.
    while (BigInt(privateKey) === 0n || BigInt(privateKey) >= SECP256K1_ORDER)
      privateKey = keccak256(privateKey);
    const account = privateKeyToAccount(privateKey);
    return { index, privateKey, address: account.address, publicKey: account.publicKey };
  });
}
