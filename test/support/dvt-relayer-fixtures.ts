import { SecretKey } from "@chainsafe/blst";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { exitSigningRoot } from "../../src/crypto/exit-message.ts";
import { shareKeyPublicKeys, splitSecretKey } from "../../src/crypto/key-shares.ts";
import type { SigningNetwork } from "../../src/dvt/relayer/signing-roots.ts";
import { depositSigningRoot } from "../../src/keys/deposit-datum.ts";
import { vaultWithdrawalCredentials } from "../../src/keys/withdrawal-credentials.ts";
import { parseHex, toPrefixedHex } from "../../src/lib/hex.ts";

/**
 * A simulated DVT cluster for relayer tests: validator keys split at the cluster's share indexes
 * (1…n for Obol, operator ids for SSV), and what each sidecar would sign. Secrets stay here: the
 * tests scan the relayer's state for them.
 */
export interface ClusterValidator {
  secretKey: Uint8Array;
  publicKey: `0x${string}`;
  shareSecrets: Map<bigint, Uint8Array>;
  publicKeyShares: Map<bigint, `0x${string}`>;
}

export function clusterValidator(
  seed: number,
  shareIndexes: readonly bigint[],
  threshold: number,
): ClusterValidator {
  const secret = SecretKey.fromKeygen(new Uint8Array(32).fill(seed));
  const shares = splitSecretKey({ secretKey: secret.toBytes(), threshold, xCoordinates: shareIndexes });
  const publicShares = shareKeyPublicKeys(shares);
  return {
    secretKey: secret.toBytes(),
    publicKey: toPrefixedHex(secret.toPublicKey().toBytes(true)),
    shareSecrets: new Map(shareIndexes.map((x, i) => [x, shares[i] as Uint8Array])),
    publicKeyShares: new Map(shareIndexes.map((x, i) => [x, toPrefixedHex(publicShares[i] as Uint8Array)])),
  };
}

/** The sidecar of `shareIndex`: its exit (and deposit) signature shares for one validator. */
export function sidecarShare(
  network: SigningNetwork,
  validator: ClusterValidator,
  shareIndex: bigint,
  job: { validatorIndex: number; vault?: `0x${string}`; amountGwei?: number; type?: "0x01" | "0x02" },
) {
  const key = SecretKey.fromBytes(validator.shareSecrets.get(shareIndex) as Uint8Array);
  const exit = key.sign(exitSigningRoot(network, job.validatorIndex)).toBytes(true);
  const deposit =
    job.vault === undefined
      ? undefined
      : key
          .sign(
            depositSigningRoot(
              {
                publicKey: parseHex(validator.publicKey, 48) as Uint8Array,
                withdrawalCredentials: vaultWithdrawalCredentials(
                  job.vault,
                  job.type === "0x02" ? 0x02 : 0x01,
                ),
                amountGwei: job.amountGwei ?? 32_000_000_000,
              },
              parseHex(network.genesisForkVersion, 4) as Uint8Array,
            ).signingRoot,
          )
          .toBytes(true);
  return {
    public_key: validator.publicKey,
    exit_signature: toPrefixedHex(exit),
    ...(deposit ? { deposit_signature: toPrefixedHex(deposit) } : {}),
    public_key_shares: [...validator.publicKeyShares].map(([x, key]) => ({
      share_index: Number(x),
      public_key_share: key,
    })),
  };
}

/** Oracle secp256k1 keys (private for decrypting in the test, public as the protocol config lists them). */
export function oracleKeys(count: number): { privateKey: Uint8Array; publicKey: `0x${string}` }[] {
  return Array.from({ length: count }, (_, i) => {
    const privateKey = new Uint8Array(32).fill(i + 1);
    return { privateKey, publicKey: toPrefixedHex(secp256k1.getPublicKey(privateKey, false).slice(1)) };
  });
}
