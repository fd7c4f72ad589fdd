/**
 * What the oracles can do with the exit signature shards they approved, redone in the test with
 * independent libraries only: eciesjs (the reference ECIES) decrypts an oracle's shard, and
 * @noble/curves recombines any threshold of the signature shards by Lagrange interpolation at
 * x = 0 (oracle k holds x = k + 1, spec A.6). No src/ crypto is used, so a bug shared by the
 * relayer and the oracles' own code cannot pass unseen.
 */
import { bls12_381 } from "@noble/curves/bls12-381.js";
import { decrypt } from "eciesjs";

const { Fr } = bls12_381.fields;
const { G2 } = bls12_381;

function bytes(hex: string): Uint8Array {
  return Uint8Array.from(Buffer.from(hex.replace(/^0x/, ""), "hex"));
}

/** An oracle's signature share from its ECIES-encrypted shard (0x hex). */
export function decryptShard(shard: string, oraclePrivateKey: string): Uint8Array {
  return decrypt(bytes(oraclePrivateKey), bytes(shard));
}

/** Oracle `position`'s signature shard of `publicKey`'s exit from an approval's exit-signatures file. */
export function decryptOracleShard(
  payload: { validators: Array<{ public_key: string; exit_signature_shards: string[] }> },
  publicKey: string,
  position: number,
  oraclePrivateKey: string,
): Uint8Array {
  const entry = payload.validators.find((v) => v.public_key.toLowerCase() === publicKey.toLowerCase());
  if (!entry) throw new Error(`validator ${publicKey} is not in the exit signatures`);
  const shard = entry.exit_signature_shards[position];
  if (shard === undefined) throw new Error(`no shard for oracle ${position}`);
  return decryptShard(shard, oraclePrivateKey);
}

/** σ = Σ λ_k·σ_k over the shares at x_k: the whole signature, 96 bytes compressed. */
export function recombineSignatureShards(
  shares: ReadonlyArray<{ x: number; signature: Uint8Array }>,
): Uint8Array {
  const xs = shares.map((s) => BigInt(s.x));
  let sum = G2.Point.ZERO;
  for (const [i, share] of shares.entries()) {
    let numerator = 1n;
    let denominator = 1n;
    for (const [j, xj] of xs.entries()) {
      if (j === i) continue;
      numerator = Fr.mul(numerator, xj);
      denominator = Fr.mul(denominator, Fr.sub(xj, xs[i] as bigint));
    }
    const lambda = Fr.div(numerator, denominator);
    sum = sum.add(G2.Point.fromBytes(share.signature).multiply(lambda));
  }
  return sum.toBytes(true);
}
