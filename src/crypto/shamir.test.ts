import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SecretKey } from "@chainsafe/blst";
import { bls12_381 } from "@noble/curves/bls12-381.js";
import { parseHex, toPrefixedHex } from "../lib/hex.ts";
import { G2, g2FromBytes } from "./bls-points.ts";
import { BLS_CURVE_ORDER, Fr, randomScalar } from "./bls-scalar.ts";
import {
  combinePublicKeyShares,
  combineSignatureShares,
  evaluatePolynomial,
  forwardDifferencesAtZero,
  lagrangeCoefficientsAtZero,
  publicKeySharesConsistent,
  type Share,
  splitSignature,
  verifySignatureShare,
} from "./shamir.ts";

function hex(text: string): Uint8Array {
  const bytes = parseHex(text);
  assert.ok(bytes, `bad hex in test: ${text}`);
  return bytes;
}

// Appendix A, "Shamir split example": the mainnet exit signature of key 0 (validator index 123),
// t = 2, n = 3, coefficient c_1 fixed to 7.
const EXAMPLE = {
  signingRoot: "0x4f78c9792440c70a96bb0f3424a904c0cbd5e7be601609c3f412c8463e8c2d2a",
  signature:
    "0x95ed40879b8c5bc8f52ce3dc1c9ff1807ef90ec40c0aedf2418b30619dcd91528205fa0f863a316b44f7e645a474619a09c18763ea2fc395e091c40a4bfcaca72e94efe7f2d6acdca6fc08e907b9329941002439a1340b2d802a8099578d5254",
  pubkey:
    "0x90d317fa6a570715d34556f27f5b390a9c6b3deab4ef0092b45214e553f2302724d22324eeae418ba8b358cb108125ec",
  shares: [
    {
      x: 1,
      pubkey_share:
        "0xb6141e43396885f7956fb0c09af6397ddfe215c30cb9ce5a2ab1c7d24b835b3a0283b6843528d5ca197adca5d7d86386",
      signature_share:
        "0xa50ca1868ea288a61b8b784709e9f8b025baf0128fe1900dd6153d406d444e9319c8cd8d1bbc2477cd6834740eefebf604a537cd7472e9afe31d277ae10139b54d645a94f42badeba5ea1528f29e320392559f4ce0c4fc4334b7b0acf2d9e397",
    },
    {
      x: 2,
      pubkey_share:
        "0x9578af7e7f25f617965178047a4c58c67f1cf1b1adddd8f7db59043d6c53132546a2969aff899d477824f92fac5875a6",
      signature_share:
        "0xa2ad0c9c32edf606d1918358bc7f8e4b99081931ddcecbcb48478f5ffebbd6a6046a1c06cf35bd3c3f21f95c0d19cb3d0fd8a08153f76565855b098897fd47bb046a96cf743e845c5ad5b332e50a65852f37b00fb957d83678b6972221cb047a",
    },
    {
      x: 3,
      pubkey_share:
        "0x85d3d2e8cf4bdd80eb5ddf7fd27a5ef3f7809eb029d61ac39a84c6282b04502636093faff36c5df3ec511b9b62abc910",
      signature_share:
        "0xae845cdf508197e38b996f74d1a57d44413a970008c872d27ee773ef8124350e1279005046f790c6d8e6c866f0e04f2e087463f5c1d7e0d7ce978fff3854d83d5de0935c2023e3c07e051704993b0a0eee3db7716bddc91febec0abecc920192",
    },
  ],
} as const;

const MESSAGE = hex(EXAMPLE.signingRoot);

function freshSplit(threshold: number, shares: number) {
  const secretKey = SecretKey.fromKeygen(crypto.getRandomValues(new Uint8Array(32)));
  const signature = secretKey.sign(MESSAGE).toBytes(true);
  const publicKey = secretKey.toPublicKey().toBytes(true);
  return {
    signature,
    publicKey,
    shares: splitSignature({ signature, publicKey, message: MESSAGE, threshold, shares }),
  };
}

function subsets<T>(items: readonly T[], size: number): T[][] {
  if (size === 0) return [[]];
  if (items.length < size) return [];
  const [first, ...rest] = items as [T, ...T[]];
  return [...subsets(rest, size - 1).map((s) => [first, ...s]), ...subsets(rest, size)];
}

describe("splitSignature: Appendix A Shamir split example (t = 2, n = 3, c_1 = 7)", () => {
  const shares = splitSignature({
    signature: hex(EXAMPLE.signature),
    publicKey: hex(EXAMPLE.pubkey),
    message: MESSAGE,
    threshold: 2,
    shares: 3,
    coefficients: [7n],
  });

  it("reproduces every public-key share and signature share", () => {
    assert.deepEqual(
      shares.map((s) => ({ x: s.x, pubkey: toPrefixedHex(s.publicKey), sig: toPrefixedHex(s.signature) })),
      EXAMPLE.shares.map((s) => ({ x: s.x, pubkey: s.pubkey_share, sig: s.signature_share })),
    );
  });

  it("each share verifies under its public-key share", () => {
    for (const share of shares) assert.ok(verifySignatureShare(MESSAGE, share));
  });

  it("shares {2, 3} reconstruct the signature and the public key", () => {
    const pair = [shares[1], shares[2]] as Share[];
    assert.equal(toPrefixedHex(combineSignatureShares(pair)), EXAMPLE.signature);
    assert.equal(toPrefixedHex(combinePublicKeyShares(pair)), EXAMPLE.pubkey);
  });

  it("the public-key shares are consistent with the key", () => {
    assert.ok(
      publicKeySharesConsistent(
        hex(EXAMPLE.pubkey),
        shares.map((s) => s.publicKey),
        2,
      ),
    );
  });

  it("matches σ + f(x)·H(m) computed with noble's hash-to-G2 (Ethereum POP DST)", () => {
    const H = bls12_381.G2.hashToCurve(MESSAGE, { DST: "BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_" });
    const sigma = g2FromBytes(hex(EXAMPLE.signature));
    const expected = sigma.add(H.multiply(7n * 2n));
    assert.ok(g2FromBytes(shares[1]?.signature ?? new Uint8Array()).equals(expected));
  });
});

describe("splitSignature: thresholds", () => {
  it("3 of 5: every 3 shares reconstruct σ and P, 2 shares do not", () => {
    const split = freshSplit(3, 5);
    for (const share of split.shares) assert.ok(verifySignatureShare(MESSAGE, share));
    for (const subset of subsets(split.shares, 3)) {
      assert.deepEqual(combineSignatureShares(subset), split.signature);
      assert.deepEqual(combinePublicKeyShares(subset), split.publicKey);
    }
    for (const subset of subsets(split.shares, 2)) {
      assert.notDeepEqual(combineSignatureShares(subset), split.signature);
      assert.notDeepEqual(combinePublicKeyShares(subset), split.publicKey);
    }
    assert.ok(
      publicKeySharesConsistent(
        split.publicKey,
        split.shares.map((s) => s.publicKey),
        3,
      ),
    );
  });

  it("7 of 11: 7 shares (first, last, scattered) reconstruct, 6 do not", () => {
    const split = freshSplit(7, 11);
    const pick = (xs: number[]) => split.shares.filter((s) => xs.includes(s.x));
    for (const xs of [
      [1, 2, 3, 4, 5, 6, 7],
      [5, 6, 7, 8, 9, 10, 11],
      [1, 3, 4, 7, 9, 10, 11],
    ]) {
      assert.deepEqual(combineSignatureShares(pick(xs)), split.signature, `shares ${xs}`);
      assert.deepEqual(combinePublicKeyShares(pick(xs)), split.publicKey, `shares ${xs}`);
    }
    assert.notDeepEqual(combineSignatureShares(pick([1, 2, 3, 4, 5, 6])), split.signature);
    assert.notDeepEqual(combinePublicKeyShares(pick([6, 7, 8, 9, 10, 11])), split.publicKey);
    for (const share of split.shares) assert.ok(verifySignatureShare(MESSAGE, share));
    assert.ok(
      publicKeySharesConsistent(
        split.publicKey,
        split.shares.map((s) => s.publicKey),
        7,
      ),
    );
  });

  it("1 of n: every share is the signature itself", () => {
    const split = freshSplit(1, 3);
    for (const share of split.shares) {
      assert.deepEqual(share.signature, split.signature);
      assert.deepEqual(share.publicKey, split.publicKey);
    }
  });

  it("n of n with zero Newton coefficients (c = [7, 0], and c = [0])", () => {
    const secretKey = SecretKey.fromKeygen(new Uint8Array(32).fill(9));
    const signature = secretKey.sign(MESSAGE);
    const publicKey = secretKey.toPublicKey();
    const shares = splitSignature({
      signature,
      publicKey,
      message: MESSAGE,
      threshold: 3,
      shares: 3,
      coefficients: [7n, 0n],
    });
    assert.deepEqual(combineSignatureShares(shares), signature.toBytes(true));
    const flat = splitSignature({
      signature,
      publicKey,
      message: MESSAGE,
      threshold: 2,
      shares: 2,
      coefficients: [0n],
    });
    for (const share of flat) assert.deepEqual(share.signature, signature.toBytes(true));
  });

  it("equals σ + f(x)·H(m) for random coefficients (checked with noble)", () => {
    const secretKey = SecretKey.fromKeygen(new Uint8Array(32).fill(3));
    const coefficients = [randomScalar(), randomScalar(), randomScalar()];
    const signature = secretKey.sign(MESSAGE).toBytes(true);
    const shares = splitSignature({
      signature,
      publicKey: secretKey.toPublicKey().toBytes(true),
      message: MESSAGE,
      threshold: 4,
      shares: 5,
      coefficients,
    });
    const H = bls12_381.G2.hashToCurve(MESSAGE, { DST: "BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_" });
    const share = shares[4];
    assert.ok(share);
    const expected = g2FromBytes(signature).add(H.multiply(evaluatePolynomial(coefficients, 5n)));
    assert.ok(G2.fromBytes(share.signature).equals(expected));
  });

  it("rejects bad parameters", () => {
    const signature = hex(EXAMPLE.signature);
    const publicKey = hex(EXAMPLE.pubkey);
    const base = { signature, publicKey, message: MESSAGE };
    assert.throws(() => splitSignature({ ...base, threshold: 4, shares: 3 }), { name: "ShamirError" });
    assert.throws(() => splitSignature({ ...base, threshold: 0, shares: 3 }), { name: "ShamirError" });
    assert.throws(() => splitSignature({ ...base, threshold: 2, shares: 3, coefficients: [1n, 2n] }), {
      name: "ShamirError",
    });
    assert.throws(
      () => splitSignature({ ...base, threshold: 2, shares: 3, coefficients: [BLS_CURVE_ORDER] }),
      { name: "ShamirError" },
    );
    assert.throws(() => splitSignature({ ...base, signature: signature.slice(1), threshold: 2, shares: 3 }), {
      name: "InvalidKeyError",
    });
  });
});

describe("Shamir helpers", () => {
  it("Lagrange coefficients at 0 for x = 1, 2 are 2 and −1", () => {
    assert.deepEqual(lagrangeCoefficientsAtZero([1, 2]), [2n, BLS_CURVE_ORDER - 1n]);
  });

  it("Lagrange coefficients interpolate a polynomial's constant term", () => {
    const xs = [2, 5, 7, 11];
    const poly = (x: bigint) => Fr.add(42n, evaluatePolynomial([3n, 9n, 27n], x));
    const lambdas = lagrangeCoefficientsAtZero(xs);
    const value = xs.reduce((sum, x, i) => Fr.add(sum, Fr.mul(lambdas[i] ?? 0n, poly(BigInt(x)))), 0n);
    assert.equal(value, 42n);
  });

  it("rejects duplicate, zero and missing x-coordinates", () => {
    assert.throws(() => lagrangeCoefficientsAtZero([1, 1]), { name: "ShamirError" });
    assert.throws(() => lagrangeCoefficientsAtZero([0, 1]), { name: "ShamirError" });
    assert.throws(() => lagrangeCoefficientsAtZero([]), { name: "ShamirError" });
  });

  it("forward differences at 0 are Newton's coefficients", () => {
    assert.deepEqual(forwardDifferencesAtZero([7n]), [7n]);
    // f = a·x + b·x²: Δf(0) = a + b, Δ²f(0) = 2b.
    assert.deepEqual(forwardDifferencesAtZero([5n, 11n]), [16n, 22n]);
    assert.deepEqual(forwardDifferencesAtZero([]), []);
  });

  it("randomScalar redraws candidates ≥ r (rejection sampling, no modular bias)", () => {
    const draws = [
      new Uint8Array(32).fill(0xff),
      new Uint8Array(32).fill(0x7f),
      Uint8Array.of(...new Uint8Array(31), 5),
    ];
    const random = () => {
      const next = draws.shift();
      assert.ok(next, "drew more than expected");
      return next;
    };
    assert.equal(randomScalar(random), 5n);
    assert.equal(draws.length, 0);
  });

  it("randomScalar spreads over [0, r)", () => {
    const values = Array.from({ length: 200 }, () => randomScalar());
    assert.ok(values.every((v) => v >= 0n && v < BLS_CURVE_ORDER));
    assert.equal(new Set(values).size, 200);
    assert.ok(values.some((v) => v > BLS_CURVE_ORDER / 2n) && values.some((v) => v < BLS_CURVE_ORDER / 2n));
  });
});

describe("publicKeySharesConsistent", () => {
  const split = freshSplit(3, 5);
  const keys = split.shares.map((s) => s.publicKey);

  it("accepts honest shares", () => {
    assert.ok(publicKeySharesConsistent(split.publicKey, keys, 3));
  });

  it("rejects shares of another key, a swapped pair, a replaced share and a malformed share", () => {
    const other = freshSplit(3, 5);
    assert.ok(!publicKeySharesConsistent(other.publicKey, keys, 3));
    const swapped = [keys[1], keys[0], ...keys.slice(2)] as Uint8Array[];
    assert.ok(!publicKeySharesConsistent(split.publicKey, swapped, 3));
    const replaced = [...keys.slice(0, 4), other.publicKey];
    assert.ok(!publicKeySharesConsistent(split.publicKey, replaced, 3));
    const malformed = [...keys.slice(0, 4), new Uint8Array(48)];
    assert.ok(!publicKeySharesConsistent(split.publicKey, malformed, 3));
  });

  it("rejects shares of a polynomial of too high a degree", () => {
    const higher = freshSplit(4, 5);
    assert.ok(
      publicKeySharesConsistent(
        higher.publicKey,
        higher.shares.map((s) => s.publicKey),
        4,
      ),
    );
    assert.ok(
      !publicKeySharesConsistent(
        higher.publicKey,
        higher.shares.map((s) => s.publicKey),
        3,
      ),
    );
  });
});

describe("splitSignature: degenerate polynomial", () => {
  it("refuses to hand out a share at infinity (f(x_1) = −sk)", () => {
    const sk = 0x1234567890abcdefn;
    const secretKey = SecretKey.fromBytes(Buffer.from(sk.toString(16).padStart(64, "0"), "hex"));
    assert.throws(
      () =>
        splitSignature({
          signature: secretKey.sign(MESSAGE),
          publicKey: secretKey.toPublicKey(),
          message: MESSAGE,
          threshold: 2,
          shares: 2,
          coefficients: [BLS_CURVE_ORDER - sk],
        }),
      { name: "ShamirError" },
    );
  });
});
