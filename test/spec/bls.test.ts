/**
 * BLS12-381 (the consensus-spec ciphersuite BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_) through
 * @chainsafe/blst, against the ethereum/bls12-381-tests vectors in test/vectors/bls12-381-tests/:
 * sign, verify, deserialization_G1 and deserialization_G2.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { PublicKey, SecretKey, Signature, verify } from "@chainsafe/blst";
import { bytesHex, bytesHex0x, hexBytes, listVectorFiles, readVectorJson } from "./vectors.ts";

interface SpecCase<I, O> {
  input: I;
  output: O;
}

function cases<I, O>(handler: string): { name: string; input: I; output: O }[] {
  const folder = `bls12-381-tests/${handler}/`;
  return listVectorFiles(folder, /\.json$/).map((file) => ({
    name: file.replace(/\.json$/, ""),
    ...readVectorJson<SpecCase<I, O>>(`${folder}${file}`),
  }));
}

function succeeds(fn: () => unknown): boolean {
  try {
    fn();
    return true;
  } catch {
    return false;
  }
}

const G1_INFINITY = `0xc0${"00".repeat(47)}`;
const G2_INFINITY = `0xc0${"00".repeat(95)}`;

describe("BLS sign", () => {
  const all = cases<{ privkey: string; message: string }, string | null>("sign");
  it("has the 10 sign cases", () => assert.equal(all.length, 10));

  for (const c of all) {
    it(c.name, () => {
      const message = hexBytes(c.input.message);
      if (c.output === null) {
        // The only null case is the zero secret key, which blst refuses to load.
        assert.throws(() => SecretKey.fromBytes(hexBytes(c.input.privkey)).sign(message));
        return;
      }
      const secretKey = SecretKey.fromBytes(hexBytes(c.input.privkey));
      const signature = secretKey.sign(message).toBytes(true);
      assert.equal(bytesHex0x(signature), c.output);
      assert.ok(verify(message, secretKey.toPublicKey(), Signature.fromBytes(signature, true)));
    });
  }
});

describe("BLS verify", () => {
  const all = cases<{ pubkey: string; message: string; signature: string }, boolean>("verify");
  it("has valid, tampered, wrong-pubkey and infinity cases", () => {
    assert.equal(all.length, 29);
    assert.equal(all.filter((c) => c.output).length, 10);
  });

  for (const c of all) {
    it(`${c.name} → ${c.output}`, () => {
      let result: boolean;
      try {
        // pkValidate rejects the infinity public key and checks the subgroup (KeyValidate);
        // sigValidate group-checks the signature and rejects infinity.
        const publicKey = PublicKey.fromBytes(hexBytes(c.input.pubkey), true);
        const signature = Signature.fromBytes(hexBytes(c.input.signature), true);
        result = verify(hexBytes(c.input.message), publicKey, signature);
      } catch {
        result = false; // an invalid encoding or point can never verify
      }
      assert.equal(result, c.output);
    });
  }
});

/*
 * The deserialization vectors test point decoding with the subgroup check, where the point at
 * infinity (0xc0 00…) is a valid encoding ("deserialization_succeeds_infinity_with_true_b_flag").
 *
 * - Signatures: Signature.fromBytes(bytes, true, false) is exactly that (group check, infinity
 *   check off).
 * - Public keys: blst's PublicKey.fromBytes(bytes, true) is KeyValidate, which also REJECTS the
 *   infinity key (the consensus rule for validator keys), and has no switch to allow it. blst has
 *   no isInfinity(), so the test accepts a key that fails validation only when the unvalidated
 *   decode succeeds and re-encodes to the canonical infinity bytes.
 */
function deserializesG1(bytes: Uint8Array): boolean {
  if (succeeds(() => PublicKey.fromBytes(bytes, true))) return true;
  try {
    return bytesHex0x(PublicKey.fromBytes(bytes, false).toBytes(true)) === G1_INFINITY;
  } catch {
    return false;
  }
}

function deserializesG2(bytes: Uint8Array): boolean {
  return succeeds(() => Signature.fromBytes(bytes, true, false));
}

describe("BLS deserialization_G1 (public keys)", () => {
  const all = cases<{ pubkey: string }, boolean>("deserialization_G1");
  it("has 16 cases", () => assert.equal(all.length, 16));

  for (const c of all) {
    it(`${c.name} → ${c.output}`, () => {
      const bytes = hexBytes(c.input.pubkey);
      assert.equal(deserializesG1(bytes), c.output);
      if (c.output) {
        assert.equal(bytesHex0x(PublicKey.fromBytes(bytes, false).toBytes(true)), c.input.pubkey);
      }
    });
  }

  it("KeyValidate (fromBytes with pkValidate) rejects the infinity public key", () => {
    assert.throws(() => PublicKey.fromBytes(hexBytes(G1_INFINITY), true), /infinity/i);
    assert.throws(() => PublicKey.fromBytes(hexBytes(G1_INFINITY), false).keyValidate(), /infinity/i);
  });

  it("the correct point passes KeyValidate", () => {
    const ok = all.find((c) => c.name === "deserialization_succeeds_correct_point");
    assert.ok(ok);
    PublicKey.fromBytes(hexBytes(ok.input.pubkey), true).keyValidate();
  });
});

describe("BLS deserialization_G2 (signatures)", () => {
  const all = cases<{ signature: string }, boolean>("deserialization_G2");
  it("has 18 cases", () => assert.equal(all.length, 18));

  for (const c of all) {
    it(`${c.name} → ${c.output}`, () => {
      const bytes = hexBytes(c.input.signature);
      assert.equal(deserializesG2(bytes), c.output);
      if (c.output) {
        assert.equal(bytesHex(Signature.fromBytes(bytes, true, false).toBytes(true)), bytesHex(bytes));
      }
    });
  }

  it("fromBytes with sigValidate and the default infinity check rejects the infinity signature", () => {
    assert.throws(() => Signature.fromBytes(hexBytes(G2_INFINITY), true));
  });
});
