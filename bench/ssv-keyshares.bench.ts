import { constants, publicEncrypt } from "node:crypto";
import { SecretKey } from "@chainsafe/blst";
import { keccak_256 } from "@noble/hashes/sha3.js";
import { splitSecretKey } from "../src/crypto/key-shares.ts";
import { parseOperatorPublicKey } from "../src/ssv/keyshares/operator-public-key.ts";
import { buildSharesDataBatch, type SsvSharesData } from "../src/ssv/keyshares/shares-data.ts";
import { createSsvOperatorDouble, recombineShares } from "../test/support/ssv-operator.ts";

const OPERATORS = 4;
const THRESHOLD = 3;
const TARGET_RATIO = 1.25;
/** Many short rounds, so that a change in machine load hits both sides alike. */
const ROUNDS = 50;
const OWNER = "0x3320ad928c20187602a2b2c04eeaa813fa899468";

/**
 * SSV keyshares for many validators on one 4-operator cluster (split at the operator ids, a
 * public key per share and for the validator, RSA-encrypt every share, sign the ownership proof),
 * against the same primitives timed alone, as many times as the pipeline needs them. One thread
 * on both sides. Rounds alternate between the two so both see the same machine load.
 */
export async function run(): Promise<void> {
  const validators = Number(process.env.BENCH_SSV_VALIDATORS ?? 1000);
  const ids = [101n, 2n ** 31n + 7n, 40_000n, 2n ** 40n].sort((a, b) => (a < b ? -1 : 1));
  const doubles = ids.map((id) => createSsvOperatorDouble(id));
  const operators = doubles.map((d) => ({ id: d.id, publicKey: d.registryPublicKey }));
  const keys = Array.from({ length: validators }, (_, i) => {
    const ikm = new Uint8Array(32);
    new DataView(ikm.buffer).setUint32(0, i + 1);
    return SecretKey.fromKeygen(ikm);
  });
  const build = (from: number, to: number): SsvSharesData[] =>
    buildSharesDataBatch({ secretKeys: keys.slice(from, to), operators, owner: OWNER, nonce: from });

  // The primitives, each alone, on fixed inputs.
  const key = keys[0] as SecretKey;
  const keyBytes = key.toBytes();
  const message = keccak_256(new TextEncoder().encode(`${OWNER}:0`));
  const shareKeys = splitSecretKey({ secretKey: keyBytes, threshold: THRESHOLD, xCoordinates: ids });
  const rsaKey = parseOperatorPublicKey(doubles[0]?.registryPublicKey ?? "", ids[0] ?? 0n);
  const plaintext = Buffer.from(`0x${Buffer.from(shareKeys[0] ?? []).toString("hex")}`);
  const primitives = {
    split: () => splitSecretKey({ secretKey: keyBytes, threshold: THRESHOLD, xCoordinates: ids }),
    skToPk: (i: number) =>
      SecretKey.fromBytes(shareKeys[i % OPERATORS] as Uint8Array)
        .toPublicKey()
        .toBytes(true),
    rsaEncrypt: () => publicEncrypt({ key: rsaKey, padding: constants.RSA_PKCS1_PADDING }, plaintext),
    sign: () => key.sign(message).toBytes(true),
  };
  type Primitive = keyof typeof primitives;
  // Per validator: one split; a public key per share and one for the validator; an encryption
  // per share; one ownership signature.
  const perValidator: Record<Primitive, number> = {
    split: 1,
    skToPk: OPERATORS + 1,
    rsaEncrypt: OPERATORS,
    sign: 1,
  };
  const spent = Object.fromEntries(Object.keys(primitives).map((name) => [name, 0])) as Record<
    Primitive,
    number
  >;

  // Warm-up: JIT, OpenSSL's key setup.
  build(0, 5);
  for (const primitive of Object.values(primitives)) for (let i = 0; i < 5; i++) primitive(i);

  let pipelineMs = 0;
  let last: SsvSharesData | undefined;
  const perRound = Math.ceil(validators / ROUNDS);
  for (let from = 0; from < validators; from += perRound) {
    const count = Math.min(validators, from + perRound) - from;
    let started = performance.now();
    last = build(from, from + count).at(-1);
    pipelineMs += performance.now() - started;
    for (const [name, primitive] of Object.entries(primitives) as [Primitive, (i: number) => unknown][]) {
      started = performance.now();
      for (let i = 0; i < count * perValidator[name]; i++) primitive(i);
      spent[name] += performance.now() - started;
    }
  }
  const alone = (name: Primitive) => spent[name] / (validators * perValidator[name]);
  const primitivesMs = Object.values(spent).reduce((sum, ms) => sum + ms, 0) / validators;

  // The last validator's shares must be what the operators accept (their own code checks).
  if (!last) throw new Error("no keyshares were built");
  const registration = { ...last, owner: OWNER, nonce: validators - 1 };
  const shares = new Map(doubles.map((d) => [d.id, d.acceptShares(registration)]));
  const secret = BigInt(`0x${Buffer.from(keys[validators - 1]?.toBytes() ?? []).toString("hex")}`);
  if (recombineShares(new Map([...shares].slice(-THRESHOLD))) !== secret) {
    throw new Error("the last validator's shares do not recombine to its key");
  }

  const perValidatorMs = pipelineMs / validators;
  const ratio = perValidatorMs / primitivesMs;
  console.log(
    `ssv keyshares: ${validators} validators × ${OPERATORS} operators in ${(pipelineMs / 1000).toFixed(2)} s = ` +
      `${perValidatorMs.toFixed(3)} ms/validator; primitives alone ${primitivesMs.toFixed(3)} ms/validator; ` +
      `ratio ${ratio.toFixed(2)} (target ≤ ${TARGET_RATIO})`,
  );
  console.log(
    `  primitives per validator: split ${alone("split").toFixed(3)} ms, SkToPk ${OPERATORS + 1} × ` +
      `${alone("skToPk").toFixed(3)} ms, RSA encrypt ${OPERATORS} × ${alone("rsaEncrypt").toFixed(3)} ms, ` +
      `sign ${alone("sign").toFixed(3)} ms; one thread`,
  );
}

if (import.meta.main) await run();
