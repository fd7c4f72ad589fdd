import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { SecretKey } from "@chainsafe/blst";
import { exitSigningRoot } from "../../crypto/exit-message.ts";
import { splitSecretKey } from "../../crypto/key-shares.ts";
import { combineSignatureShares, verifySignatureShare } from "../../crypto/shamir.ts";
import { OperatorError, UserInputError } from "../../lib/errors.ts";
import { parseHex, toPrefixedHex } from "../../lib/hex.ts";
import type { ExitSigner, Hex } from "../sources/exit-signer.ts";
import { writeRemoteSignerConfig } from "./config-file.ts";
import { openRemoteSigner } from "./open.ts";

const NETWORK = {
  capellaForkVersion: "0x03000000",
  capellaEpoch: 194048,
  genesisValidatorsRoot: "0x4b363db94e286120d76eb905340fdd4e54bfe9f06bf33ff6cf5ad27f511bfe95",
} as const;
const URL_WITH_SECRET = "http://operator:s3cret-token@signer.local:9000";

interface FakeOptions {
  text?: boolean;
  /** Share keys signed with another key. */
  tamper?: boolean;
  /** Keys the signer does not hold. */
  missing?: Set<string>;
  down?: boolean;
}

/** A hand-written Web3Signer over fetch: signs with the share keys it is given. */
function fakeSigner(keys: Map<Hex, SecretKey>, options: FakeOptions = {}) {
  const bodies: unknown[] = [];
  const authorization: (string | null)[] = [];
  const other = SecretKey.fromKeygen(new Uint8Array(32).fill(99));
  const fetch: typeof globalThis.fetch = async (input, init) => {
    if (options.down)
      throw new TypeError("fetch failed", { cause: Object.assign(new Error("x"), { code: "ECONNREFUSED" }) });
    const url = new URL(String(input));
    authorization.push(new Headers(init?.headers).get("authorization"));
    if (url.pathname === "/upcheck") return new Response("OK", { headers: { "content-type": "text/plain" } });
    if (url.pathname === "/api/v1/eth2/publicKeys") {
      return Response.json([...keys.keys()].filter((k) => !options.missing?.has(k)));
    }
    const match = /^\/api\/v1\/eth2\/sign\/(0x[0-9a-f]{96})$/.exec(url.pathname);
    if (match) {
      const body = JSON.parse(String(init?.body)) as { signing_root: string };
      bodies.push(body);
      const key = keys.get(match[1] as Hex);
      if (!key || options.missing?.has(match[1] as string))
        return new Response("Public Key not found", { status: 404 });
      const signature = toPrefixedHex(
        (options.tamper ? other : key).sign(parseHex(body.signing_root, 32) as Uint8Array).toBytes(true),
      );
      return options.text
        ? new Response(signature, { headers: { "content-type": "text/plain" } })
        : Response.json({ signature });
    }
    return new Response("not found", { status: 404 });
  };
  return { fetch, bodies, authorization };
}

describe("openRemoteSigner", () => {
  let dir: string;
  let configFile: string;
  const validator = SecretKey.fromKeygen(new Uint8Array(32).fill(1));
  const validatorKey = toPrefixedHex(validator.toPublicKey().toBytes(true));
  const shareKeys = new Map<Hex, SecretKey>();
  // 3 oracles, threshold 2.
  for (const share of splitSecretKey({ secretKey: validator.toBytes(), threshold: 2, shares: 3 })) {
    const key = SecretKey.fromBytes(share);
    shareKeys.set(toPrefixedHex(key.toPublicKey().toBytes(true)), key);
  }
  const sharePublicKeys = [...shareKeys.keys()];

  async function open(fake: ReturnType<typeof fakeSigner>): Promise<ExitSigner> {
    return openRemoteSigner({ url: URL_WITH_SECRET, configFile }, { fetch: fake.fetch });
  }

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "remote-signer-open-"));
    configFile = join(dir, "remote_signer_config.json");
    await writeRemoteSignerConfig(configFile, new Map([[validatorKey, sharePublicKeys]]));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("lists the config's validators; the description has no credentials", async () => {
    const signer = await open(fakeSigner(shareKeys));
    assert.deepEqual(signer.publicKeys(), [validatorKey]);
    assert.equal(signer.size, 1);
    assert.ok(signer.has(validatorKey.toUpperCase().replace("0X", "0x") as Hex));
    assert.equal(signer.description, "remote signer at http://***@signer.local:9000");
  });

  it("signs one verified share per oracle; any threshold of them combine to the exit signature", async () => {
    const fake = fakeSigner(shareKeys);
    const signer = await open(fake);
    const result = await signer.signExitForOracles(validatorKey, 42, NETWORK, { count: 3, threshold: 2 });
    assert.equal(result.kind, "shares");
    if (result.kind !== "shares") return;
    assert.deepEqual(
      result.shares.map((s) => [s.x, toPrefixedHex(s.publicKey)]),
      sharePublicKeys.map((key, j) => [j + 1, key]),
    );
    const root = exitSigningRoot(NETWORK, 42);
    const combined = combineSignatureShares(
      [result.shares[0], result.shares[2]].filter((s) => s !== undefined),
    );
    assert.ok(
      verifySignatureShare(root, { publicKey: validator.toPublicKey().toBytes(true), signature: combined }),
    );
    assert.deepEqual(fake.bodies[0], {
      fork_info: {
        fork: { previous_version: "0x03000000", current_version: "0x03000000", epoch: "194048" },
        genesis_validators_root: NETWORK.genesisValidatorsRoot,
      },
      signing_root: toPrefixedHex(root),
      type: "VOLUNTARY_EXIT",
      voluntary_exit: { epoch: "194048", validator_index: "42" },
    });
    assert.match(fake.authorization[0] ?? "", /^Basic /);
  });

  it("accepts the text/plain hex answer of older Web3Signer versions", async () => {
    const signer = await open(fakeSigner(shareKeys, { text: true }));
    const result = await signer.signExitForOracles(validatorKey, 7, NETWORK, { count: 3, threshold: 2 });
    assert.equal(result.kind === "shares" && result.shares.length, 3);
  });

  it("signExit combines every share and verifies against the validator key", async () => {
    const signer = await open(fakeSigner(shareKeys));
    const signature = await signer.signExit(validatorKey, 5, NETWORK);
    assert.deepEqual(signature, validator.sign(exitSigningRoot(NETWORK, 5)).toBytes(true));
  });

  it("makes no deposit signatures: the signer holds shares, not the key", async () => {
    const signer = await open(fakeSigner(shareKeys));
    assert.equal(signer.signDeposit, undefined);
  });

  it("says the key shares are outdated when the oracle count or threshold changed", async () => {
    const signer = await open(fakeSigner(shareKeys));
    for (const oracles of [
      { count: 4, threshold: 2 },
      { count: 3, threshold: 1 },
      // Shares of a degree-1 polynomial: 2 oracles could rebuild what the protocol gives 3.
      { count: 3, threshold: 3 },
    ]) {
      await assert.rejects(signer.signExitForOracles(validatorKey, 1, NETWORK, oracles), (error: Error) => {
        assert.ok(error instanceof UserInputError);
        assert.match(error.message, /outdated for the current oracle set/);
        assert.match(error.message, /operator remote-signer-setup/);
        return true;
      });
    }
    await assert.rejects(signer.check([validatorKey], { count: 2, threshold: 2 }), /outdated/);
  });

  it("rejects a share signature that does not verify against the share key", async () => {
    const signer = await open(fakeSigner(shareKeys, { tamper: true }));
    await assert.rejects(
      signer.signExitForOracles(validatorKey, 3, NETWORK, { count: 3, threshold: 2 }),
      (error: Error) => {
        assert.ok(error instanceof OperatorError);
        assert.match(error.message, /does not verify against the share's public key/);
        assert.doesNotMatch(error.message, /s3cret/);
        return true;
      },
    );
  });

  it("a key share missing from the signer: 'not present' on sign, named by check", async () => {
    const missing = new Set([sharePublicKeys[1] as string]);
    const signer = await open(fakeSigner(shareKeys, { missing }));
    await assert.rejects(
      signer.signExitForOracles(validatorKey, 3, NETWORK, { count: 3, threshold: 2 }),
      (error: Error) => {
        assert.ok(error instanceof UserInputError);
        assert.match(error.message, /public key not present in the remote signer/);
        assert.doesNotMatch(error.message, /s3cret/);
        return true;
      },
    );
    await assert.rejects(signer.check([validatorKey]), /1 of the 3 key shares of validator/);
  });

  it("check: passes for a healthy signer, one clear error when it is down", async () => {
    await (await open(fakeSigner(shareKeys))).check([validatorKey], { count: 3, threshold: 2 });
    const down = await open(fakeSigner(shareKeys, { down: true }));
    await assert.rejects(down.check([validatorKey]), (error: Error) => {
      assert.ok(error instanceof UserInputError);
      assert.match(error.message, /remote signer at http:\/\/\*\*\*@signer.local:9000 does not answer/);
      assert.doesNotMatch(error.message, /s3cret/);
      return true;
    });
  });
});

describe("openRemoteSigner without remote_signer_config.json: whole keys in the signer", () => {
  const validator = SecretKey.fromKeygen(new Uint8Array(32).fill(2));
  const validatorKey = toPrefixedHex(validator.toPublicKey().toBytes(true));
  const keys = new Map<Hex, SecretKey>([[validatorKey, validator]]);
  const noConfig = join(tmpdir(), "no-such-dir-vault-operator", "remote_signer_config.json");
  const open = (fake: ReturnType<typeof fakeSigner>) =>
    openRemoteSigner({ url: URL_WITH_SECRET, configFile: noConfig }, { fetch: fake.fetch });

  it("serves the keys the signer lists and signs the full exit, verified", async () => {
    const fake = fakeSigner(keys);
    const signer = await open(fake);
    assert.deepEqual(signer.publicKeys(), [validatorKey]);
    assert.equal(signer.size, 1);
    assert.ok(signer.has(validatorKey.toUpperCase().replace("0X", "0x") as Hex));
    assert.equal(signer.description, "remote signer at http://***@signer.local:9000");
    await signer.check([validatorKey], { count: 3, threshold: 2 });

    const result = await signer.signExitForOracles(validatorKey, 42, NETWORK, { count: 3, threshold: 2 });
    assert.equal(result.kind, "full", "the caller splits the signature, as for local keys");
    const expected = validator.sign(exitSigningRoot(NETWORK, 42)).toBytes(true);
    assert.deepEqual(result.kind === "full" && result.signature, expected);
    assert.deepEqual(await signer.signExit(validatorKey, 42, NETWORK), expected);
    const signs = fake.bodies as { type: string; voluntary_exit: unknown }[];
    assert.equal(signs.length, 2, "one request per signature: the validator key itself");
    assert.deepEqual(signs[0]?.voluntary_exit, { epoch: "194048", validator_index: "42" });
    assert.match(fake.authorization.at(-1) ?? "", /^Basic /);
    assert.equal(typeof signer.signDeposit, "function", "whole keys sign deposits too");
  });

  it("refuses a signature that does not verify, and a key the signer does not hold", async () => {
    const tampered = await open(fakeSigner(keys, { tamper: true }));
    await assert.rejects(tampered.signExit(validatorKey, 3, NETWORK), (error: Error) => {
      assert.ok(error instanceof OperatorError);
      assert.match(error.message, /exit signature for validator 0x[0-9a-f]{96} that does not verify/);
      assert.doesNotMatch(error.message, /s3cret/);
      return true;
    });
    const missing = await open(fakeSigner(keys, { missing: new Set([validatorKey]) }));
    assert.equal(missing.has(validatorKey), false);
    await assert.rejects(missing.signExit(validatorKey, 3, NETWORK), (error: Error) => {
      assert.ok(error instanceof UserInputError);
      assert.match(error.message, /public key not present in the remote signer: validator 0x/);
      assert.match(error.message, /setup-web3signer/);
      return true;
    });
  });

  it("a signer that does not answer is one line, before anything is signed", async () => {
    await assert.rejects(open(fakeSigner(keys, { down: true })), (error: Error) => {
      assert.ok(error instanceof UserInputError);
      assert.match(
        error.message,
        /^cannot list the keys of the remote signer at http:\/\/\*\*\*@signer.local:9000/,
      );
      assert.doesNotMatch(error.message, /s3cret|\n/);
      return true;
    });
  });
});
