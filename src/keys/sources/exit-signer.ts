import type { Hex } from "viem";
import type { ExitNetwork } from "../../crypto/exit-message.ts";

export type { Hex };

/** One Shamir share of an exit signature; oracle j (0-based, protocol config order) has x = j + 1. */
export interface ExitSignatureShare {
  x: number;
  /** Compressed G1, 48 bytes. */
  publicKey: Uint8Array;
  /** Compressed G2, 96 bytes. */
  signature: Uint8Array;
}

/** What the oracles protocol needs to share a validator's exit signature. */
export type OracleExitSignature =
  /** The validator's full exit signature: the caller splits it (spec §4.3). */
  | { kind: "full"; signature: Uint8Array }
  /** Already one share per oracle, signed by key shares held elsewhere (remote signer, spec §4.2). */
  | { kind: "shares"; shares: ExitSignatureShare[] }
  /**
   * Already shared and ECIES-encrypted for the oracles by someone else (a legacy DVT relayer, spec
   * A.2, A.6): one public key share and one ciphertext per oracle, in config order; passed through.
   */
  | { kind: "encrypted"; publicKeys: Hex[]; encryptedExitSignatures: Hex[] };

/** A validator whose exit is signed for the oracles, at the beacon index it gets. */
export interface ExitToSign {
  publicKey: Hex;
  validatorIndex: number;
}

/** How an exit signature is shared with the oracles: how many oracles, and how many recover it. */
export interface ShareScheme {
  count: number;
  threshold: number;
}

/** A deposit to sign: deposit data made on the fly (vaults whose validators manager is the wallet). */
export interface DepositToSign {
  withdrawalCredentials: Uint8Array;
  amountGwei: number;
  /** Deposits are signed for the chain's genesis fork version. */
  genesisForkVersion: Uint8Array;
}

/**
 * Where validator signing keys live, as `start` and `validators-exit` see them: local keystores,
 * keys loaded from HashiCorp Vault, or a remote signer (Web3Signer API). The only thing the
 * operator ever signs with a validator key is a voluntary exit (spec §4.1), so that is the whole
 * interface.
 */
export interface ExitSigner {
  /** For the startup line, e.g. "remote signer at http://signer:9000"; never holds credentials. */
  readonly description: string;
  /** Number of validator keys available. */
  readonly size: number;
  has(publicKey: Hex): boolean;
  /** 0x-prefixed lower-case validator public keys. */
  publicKeys(): Hex[];
  /**
   * Fails now, with a UserInputError naming the fix, if these keys cannot be used: wrong keystore
   * password, signer unreachable, key shares outdated. Called at startup for the next keys.
   */
  check(publicKeys: readonly Hex[], oracles?: ShareScheme): Promise<void>;
  /** The validator's full exit signature (96 bytes), verified against its public key. */
  signExit(publicKey: Hex, validatorIndex: number, network: ExitNetwork): Promise<Uint8Array>;
  /** The exit signature in the form the oracles get it: full (split by the caller) or as shares. */
  signExitForOracles(
    publicKey: Hex,
    validatorIndex: number,
    network: ExitNetwork,
    oracles: ShareScheme,
  ): Promise<OracleExitSignature>;
  /**
   * Optional batch hook: a registration calls it once with the round's validators before it asks
   * signExitForOracles for each, so a source that fetches the exits from elsewhere (a legacy DVT
   * relayer) makes one request per round. It throws a wait (RelayerNotReadyError) while they are
   * not ready.
   */
  prepareExitsForOracles?(
    exits: readonly ExitToSign[],
    network: ExitNetwork,
    oracles: ShareScheme,
    signal?: AbortSignal,
  ): Promise<void>;
  /**
   * The deposit signature (96 bytes) made with a whole validator key. Absent when
   * the keys are held as shares elsewhere and no whole deposit signature can be made.
   */
  signDeposit?(publicKey: Hex, deposit: DepositToSign): Promise<Uint8Array>;
  close(): Promise<void>;
}
