import { aggregatePublicKeys, aggregateSignatures, type PublicKey, SecretKey } from "@chainsafe/blst";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { resolveNetwork } from "../src/config/networks.ts";
import { randomScalar, scalarToBytes } from "../src/crypto/bls-scalar.ts";
import { eciesEncrypt } from "../src/crypto/ecies.ts";
import { exitSigningRoot, signExit } from "../src/crypto/exit-message.ts";
import { buildExitShards, type ExitShards, prepareOracleRecipients } from "../src/oracles/exit-shares.ts";
import {
  blsVerifies,
  combineSignatureShares,
  decryptShard,
  verifyShard,
} from "../test/support/oracle-side.ts";

const ORACLES = 11;
const THRESHOLD = 5;
const TARGET_RATIO = 1.25;
const ROUNDS = 10;
/** How often each primitive runs alone per round (≈ 0.3 s per round). */
const PRIMITIVE_ITERATIONS = 60;

/**
 * Exit-signature shares for many validators (sign the exit, split it for 11 oracles at threshold
 * 5, ECIES-encrypt every share), against the sum of the same primitive operations timed alone.
 * Rounds alternate between the two so both see the same machine load.
 */
export async function run(): Promise<void> {
  const validators = Number(process.env.BENCH_EXIT_VALIDATORS ?? 1000);
  const network = resolveNetwork("mainnet", { devnetFile: "" });
  const keys = Array.from({ length: validators }, (_, i) => {
    const ikm = new Uint8Array(32);
    new DataView(ikm.buffer).setUint32(0, i + 1);
    return SecretKey.fromKeygen(ikm);
  });
  const publicKeys = keys.map((key) => key.toPublicKey());
  const oraclePrivateKeys = Array.from({ length: ORACLES }, () => secp256k1.utils.randomSecretKey());
  let started = performance.now();
  const oracles = prepareOracleRecipients(
    oraclePrivateKeys.map((sk) => ({ publicKey: secp256k1.getPublicKey(sk, false).subarray(1) })),
  );
  const prepareMs = performance.now() - started;

  const shardsFor = (i: number): ExitShards =>
    buildExitShards({
      exitSignature: signExit(keys[i] as SecretKey, network, 1_000_000 + i),
      validatorPublicKey: publicKeys[i] as PublicKey,
      validatorIndex: 1_000_000 + i,
      network,
      threshold: THRESHOLD,
      oracles,
    });

  // The primitives, each alone, on fixed inputs.
  const root = exitSigningRoot(network, 1);
  const key = keys[0] as SecretKey;
  const share = key.sign(root);
  const otherShare = (keys[1] ?? key).sign(root);
  const publicKey = key.toPublicKey();
  const otherPublicKey = (keys[1] ?? key).toPublicKey();
  const scalarKeys = Array.from({ length: PRIMITIVE_ITERATIONS }, () => scalarToBytes(randomScalar()));
  const plaintext = share.toBytes(true);
  const [recipient] = oracles;
  if (!recipient) throw new Error("no oracles");
  const primitives = {
    exitSign: () => key.sign(root),
    coefficientSign: (i: number) => SecretKey.fromBytes(scalarKeys[i] as Uint8Array).sign(root),
    coefficientKey: (i: number) => SecretKey.fromBytes(scalarKeys[i] as Uint8Array).toPublicKey(),
    g2Add: () => aggregateSignatures([share, otherShare], false),
    g1Add: () => aggregatePublicKeys([publicKey, otherPublicKey], false),
    g2Compress: () => share.toBytes(true),
    g1Compress: () => publicKey.toBytes(true),
    ecies: () => eciesEncrypt(recipient, plaintext),
  };
  type Primitive = keyof typeof primitives;
  const spent = Object.fromEntries(Object.keys(primitives).map((name) => [name, 0])) as Record<
    Primitive,
    number
  >;
  // Per validator: 1 exit signature; t − 1 coefficient points in G2 and G1; n·(t − 1) additions
  // in each group (forward differences); n compressions in each group; n encryptions.
  const perValidator: Record<Primitive, number> = {
    exitSign: 1,
    coefficientSign: THRESHOLD - 1,
    coefficientKey: THRESHOLD - 1,
    g2Add: ORACLES * (THRESHOLD - 1),
    g1Add: ORACLES * (THRESHOLD - 1),
    g2Compress: ORACLES,
    g1Compress: ORACLES,
    ecies: ORACLES,
  };

  // Warm-up: JIT, noble's lazy generator table.
  for (let i = 0; i < 5; i++) shardsFor(i);
  for (const primitive of Object.values(primitives)) for (let i = 0; i < 5; i++) primitive(i);

  let pipelineMs = 0;
  let last: ExitShards | undefined;
  const perRound = Math.ceil(validators / ROUNDS);
  for (let round = 0; round * perRound < validators; round++) {
    started = performance.now();
    for (let i = round * perRound; i < Math.min(validators, (round + 1) * perRound); i++) last = shardsFor(i);
    pipelineMs += performance.now() - started;
    for (const [name, primitive] of Object.entries(primitives) as [Primitive, (i: number) => unknown][]) {
      started = performance.now();
      for (let i = 0; i < PRIMITIVE_ITERATIONS; i++) primitive(i);
      spent[name] += performance.now() - started;
    }
  }
  const rounds = Math.ceil(validators / perRound);
  const alone = (name: Primitive) => spent[name] / (rounds * PRIMITIVE_ITERATIONS);
  const primitivesMs = (Object.keys(perValidator) as Primitive[]).reduce(
    (sum, name) => sum + perValidator[name] * alone(name),
    0,
  );
  const splitMs = primitivesMs - alone("exitSign") - ORACLES * alone("ecies");

  const lastIndex = validators - 1;
  checkShards(
    last,
    oraclePrivateKeys,
    publicKeys[lastIndex] as PublicKey,
    exitSigningRoot(network, 1_000_000 + lastIndex),
  );
  const perValidatorMs = pipelineMs / validators;
  const ratio = perValidatorMs / primitivesMs;
  console.log(
    `exit shares: ${validators} validators × ${ORACLES} oracles in ${(pipelineMs / 1000).toFixed(1)} s = ` +
      `${perValidatorMs.toFixed(2)} ms/validator; primitives alone ${primitivesMs.toFixed(2)} ms/validator; ` +
      `ratio ${ratio.toFixed(2)} (target ≤ ${TARGET_RATIO})`,
  );
  console.log(
    `  primitives per validator: exit sign ${alone("exitSign").toFixed(2)} ms, split ${splitMs.toFixed(2)} ms ` +
      `(${THRESHOLD - 1} G2 + ${THRESHOLD - 1} G1 coefficient points, ${2 * ORACLES * (THRESHOLD - 1)} additions, ` +
      `${2 * ORACLES} compressions), ECIES ${ORACLES} × ${alone("ecies").toFixed(2)} ms; ` +
      `oracle tables built once in ${prepareMs.toFixed(0)} ms`,
  );
}

/** The last bundle must be what oracles accept (their own code checks): every shard decrypts and verifies, t recombine. */
function checkShards(
  shards: ExitShards | undefined,
  oraclePrivateKeys: readonly Uint8Array[],
  validatorPublicKey: PublicKey,
  signingRoot: Uint8Array,
): void {
  if (!shards) throw new Error("no shards were built");
  const shares = oraclePrivateKeys.map((sk, j) => {
    const signature = decryptShard(sk, shards.exitSignatureShards[j] ?? "");
    if (!verifyShard(signature, shards.publicKeyShards[j] ?? "", signingRoot)) {
      throw new Error(`oracle ${j}'s shard does not verify`);
    }
    return { x: j + 1, signature };
  });
  const combined = combineSignatureShares(shares.slice(-THRESHOLD));
  if (!blsVerifies(validatorPublicKey.toBytes(true), signingRoot, combined))
    throw new Error("recombined exit signature does not verify");
}

if (import.meta.main) await run();
