import assert from "node:assert/strict";
import { after, afterEach, before, describe, it } from "node:test";
import { PublicKey, SecretKey, Signature, verify } from "@chainsafe/blst";
import { type HashiVaultDouble, startHashiVault } from "../../../test/support/hashi-vault.ts";
import { memoryLogger } from "../../../test/support/memory-logger.ts";
import { type ExitNetwork, exitSigningRoot } from "../../crypto/exit-message.ts";
import { UserInputError } from "../../lib/errors.ts";
import { toHex } from "../../lib/hex.ts";
import type { Hex } from "../sources/exit-signer.ts";
import { openHashiVaultSigner } from "./open.ts";
import type { HashiVaultOptions } from "./options.ts";

const TOKEN = "hvs.TESTtokenDoNotLeak1234567890";
const NETWORK: ExitNetwork = {
  capellaForkVersion: "0x03000000",
  capellaEpoch: 194048,
  genesisValidatorsRoot: "0x4b363db94e286120d76eb905340fdd4e54bfe9f06bf33ff6cf5ad27f511bfe95",
};

interface TestKey {
  secretKey: SecretKey;
  /** Hex without 0x, as Vault users store it. */
  pub: string;
  priv: string;
  publicKey: Hex;
}

function testKey(seed: number): TestKey {
  const secretKey = SecretKey.fromKeygen(new Uint8Array(32).fill(seed));
  const pub = toHex(secretKey.toPublicKey().toBytes(true));
  return { secretKey, pub, priv: toHex(secretKey.toBytes()), publicKey: `0x${pub}` };
}

const KEYS = Array.from({ length: 40 }, (_, i) => testKey(i + 1));
const key = (i: number): TestKey => KEYS[i] as TestKey;

/** Every error message and log line a test produced: the token must be in none. */
const seen: string[] = [];

async function openError(vault: HashiVaultDouble, options: Partial<HashiVaultOptions>): Promise<Error> {
  const logger = memoryLogger();
  try {
    await openHashiVaultSigner(
      { url: vault.url, token: TOKEN, keyPaths: [], keyPrefixes: [], ...options },
      { logger },
    );
  } catch (error) {
    assert.ok(error instanceof Error);
    seen.push(error.message, String(error.cause), JSON.stringify(logger.entries));
    return error;
  } finally {
    seen.push(JSON.stringify(logger.entries));
  }
  assert.fail("openHashiVaultSigner resolved");
}

describe("openHashiVaultSigner", () => {
  let vault: HashiVaultDouble;

  before(async () => {
    vault = await startHashiVault({
      token: TOKEN,
      mounts: [
        { path: "secret", version: 2 },
        { path: "kv1", version: 1 },
        { path: "legacy", version: 1, legacyOptions: true },
      ],
    });
    // KV v2: two bundles and two prefixes.
    vault.put("secret", "validators/batch1", {
      [key(0).pub]: key(0).priv,
      [`0x${key(1).pub}`]: `0x${key(1).priv}`,
    });
    vault.put("secret", "validators/batch2", { [key(2).pub]: key(2).priv, [key(3).pub]: "" });
    for (const i of [4, 5]) vault.put("secret", `prefixed/a/${key(i).pub}`, { value: key(i).priv });
    vault.put("secret", `prefixed/b/${key(6).pub}`, { private_key: `0x${key(6).priv}` });
    vault.put("secret", "prefixed/b/sub/ignored", { x: "y" });
    // KV v1 (current and legacy mount options).
    vault.put("kv1", "bundle", { [key(7).pub]: key(7).priv });
    vault.put("kv1", `pfx/${key(8).pub}`, { key: key(8).priv });
    vault.put("legacy", "bundle", { [key(9).pub]: key(9).priv });
    // Parallelism: ten prefixed secrets.
    for (let i = 10; i < 20; i++) vault.put("secret", `many/${key(i).pub}`, { k: key(i).priv });
  });

  afterEach(() => {
    vault.setFault(null);
    vault.beforeResponse = undefined;
    vault.clearRequests();
  });

  after(async () => {
    await vault.close();
    assert.ok(seen.length > 20, "the error cases recorded their messages");
    const leaks = seen.filter((text) => text.includes(TOKEN) || text.includes("TESTtoken"));
    assert.deepEqual(leaks, [], "the token appeared in an error or a log entry");
  });

  it("loads KV v2 bundles and prefixes, and signs exits that verify", async () => {
    const logger = memoryLogger();
    const signer = await openHashiVaultSigner(
      {
        url: `${vault.url}/`,
        token: TOKEN,
        keyPaths: ["validators/batch1", "/validators/batch2/"],
        keyPrefixes: ["prefixed/a", "prefixed/b"],
      },
      { logger },
    );
    seen.push(JSON.stringify(logger.entries));
    // Bundles in option order, then each prefix's keys in Vault's (sorted) list order.
    const prefixA = [4, 5].map((i) => key(i).publicKey).sort();
    const expected = [...[0, 1, 2].map((i) => key(i).publicKey), ...prefixA, key(6).publicKey];
    assert.deepEqual(signer.publicKeys(), expected);
    assert.equal(signer.size, 6);
    assert.ok(signer.has(key(6).publicKey));
    assert.ok(!signer.has(key(3).publicKey), "empty values are skipped");
    assert.equal(signer.description, `HashiCorp Vault at ${vault.url} (6 keys)`);

    for (const i of [1, 6]) {
      const signature = await signer.signExit(key(i).publicKey, 123 + i, NETWORK);
      assert.ok(
        verify(
          exitSigningRoot(NETWORK, 123 + i),
          PublicKey.fromBytes(key(i).secretKey.toPublicKey().toBytes()),
          Signature.fromBytes(signature),
        ),
      );
    }
    const forOracles = await signer.signExitForOracles(key(0).publicKey, 7, NETWORK, {
      count: 3,
      threshold: 2,
    });
    assert.equal(forOracles.kind, "full");

    // The token went only in the header; the list used GET ?list=true; the folder was skipped.
    for (const request of vault.requests) {
      assert.equal(request.headers["x-vault-token"], TOKEN);
      assert.ok(!request.url.includes(TOKEN));
      assert.equal(request.method, "GET");
    }
    const urls = vault.requests.map((request) => request.url).sort();
    assert.ok(urls.includes("/v1/sys/internal/ui/mounts/secret"));
    assert.ok(urls.includes("/v1/secret/metadata/prefixed/a?list=true"));
    assert.ok(urls.includes("/v1/secret/data/validators/batch1"));
    assert.ok(!urls.some((url) => url.includes("sub")));
    assert.deepEqual(logger.lines("warn"), ["warn skipping folders under a Vault key prefix"]);
    await signer.close();
  });

  it("detects KV v1 and reads its paths without data/ and metadata/", async () => {
    const signer = await openHashiVaultSigner({
      url: vault.url,
      token: TOKEN,
      keyPaths: ["bundle"],
      keyPrefixes: ["pfx"],
      engineName: "kv1",
    });
    assert.deepEqual(signer.publicKeys(), [key(7).publicKey, key(8).publicKey]);
    const urls = vault.requests.map((request) => request.url);
    assert.deepEqual(urls.slice(0, 2), ["/v1/sys/internal/ui/mounts/kv1", "/v1/kv1/pfx?list=true"]);
    assert.deepEqual(urls.slice(2).sort(), ["/v1/kv1/bundle", `/v1/kv1/pfx/${key(8).pub}`]);
    const signature = await signer.signExit(key(8).publicKey, 5, NETWORK);
    assert.ok(
      verify(exitSigningRoot(NETWORK, 5), key(8).secretKey.toPublicKey(), Signature.fromBytes(signature)),
    );
  });

  it("takes a mount without options (KV before versioning) as KV v1", async () => {
    const signer = await openHashiVaultSigner({
      url: vault.url,
      token: TOKEN,
      keyPaths: ["bundle"],
      keyPrefixes: [],
      engineName: "legacy",
    });
    assert.deepEqual(signer.publicKeys(), [key(9).publicKey]);
  });

  it("skips detection when --hashi-vault-engine-version is given", async () => {
    const signer = await openHashiVaultSigner({
      url: vault.url,
      token: TOKEN,
      keyPaths: ["bundle"],
      keyPrefixes: [],
      engineName: "kv1",
      engineVersion: 1,
    });
    assert.equal(signer.size, 1);
    assert.deepEqual(
      vault.requests.map((request) => request.url),
      ["/v1/kv1/bundle"],
    );
  });

  it("reads below the mount when the engine name is a path inside it", async () => {
    const signer = await openHashiVaultSigner({
      url: vault.url,
      token: TOKEN,
      keyPaths: ["batch1"],
      keyPrefixes: [],
      engineName: "secret/validators",
    });
    assert.equal(signer.size, 2);
    assert.ok(vault.requests.some((request) => request.url === "/v1/secret/data/validators/batch1"));
  });

  it("reads at most --hashi-vault-parallelism secrets at once", { timeout: 10_000 }, async () => {
    const total = 10;
    let arrived = 0;
    let held: (() => void)[] = [];
    vault.beforeResponse = (request) => {
      if (!request.url.startsWith("/v1/secret/data/many/")) return;
      arrived++;
      return new Promise<void>((resolve) => {
        held.push(resolve);
        if (held.length === 3 || arrived === total) {
          for (const release of held) release();
          held = [];
        }
      });
    };
    const signer = await openHashiVaultSigner({
      url: vault.url,
      token: TOKEN,
      keyPaths: [],
      keyPrefixes: ["many"],
      parallelism: 3,
    });
    assert.equal(signer.size, total);
    assert.equal(arrived, total);
    assert.equal(vault.maxInFlight, 3);
  });

  it("reads a key path given twice only once", async () => {
    const signer = await openHashiVaultSigner({
      url: vault.url,
      token: TOKEN,
      keyPaths: ["validators/batch1", "/validators/batch1/"],
      keyPrefixes: [],
    });
    assert.deepEqual(signer.publicKeys(), [key(0).publicKey, key(1).publicKey]);
    await signer.close();
  });

  describe("errors", () => {
    it("Vault unreachable: retryable, names the address", async () => {
      vault.setFault("refuse");
      const error = await openError(vault, { keyPaths: ["validators/batch1"] });
      assert.match(error.message, /^cannot reach HashiCorp Vault at http:\/\/127\.0\.0\.1:\d+ \(failed: /);
      assert.match(error.message, /check --hashi-vault-url/);
      assert.equal((error as { retryable?: boolean }).retryable, true);
    });

    it("wrong token: 403 on the mount check, says to check the token", async () => {
      const error = await openHashiVaultSigner({
        url: vault.url,
        token: "wrong-token",
        keyPaths: ["validators/batch1"],
        keyPrefixes: [],
      }).catch((caught: unknown) => caught as Error);
      assert.ok(error instanceof UserInputError);
      assert.match(
        error.message,
        /^HashiCorp Vault denied access to KV engine "secret" \(sys\/internal\/ui\/mounts\/secret\) \(HTTP 403: permission denied\): check --hashi-vault-token/,
      );
      assert.ok(!error.message.includes("wrong-token"));
    });

    it("wrong token with a fixed engine version: 403 names the key path", async () => {
      const error = await openHashiVaultSigner({
        url: vault.url,
        token: "wrong-token",
        keyPaths: ["validators/batch1"],
        keyPrefixes: [],
        engineVersion: 2,
      }).catch((caught: unknown) => caught as Error);
      assert.ok(error instanceof UserInputError);
      assert.equal(
        error.message,
        'HashiCorp Vault denied access to key path "validators/batch1" (secret/data/validators/batch1) (HTTP 403: permission denied): check --hashi-vault-token and that the token\'s policy grants "read" on secret/data/validators/batch1',
      );
    });

    it("a policy without list on a prefix: 403 names the prefix and the capability", async () => {
      const denied = await startHashiVault({ token: TOKEN });
      try {
        denied.put("secret", `p/${key(0).pub}`, { v: key(0).priv });
        denied.deny("secret/metadata/p");
        const error = await openError(denied, { keyPrefixes: ["p"] });
        assert.ok(error instanceof UserInputError);
        assert.match(
          error.message,
          /key prefix "p" \(secret\/metadata\/p\) \(HTTP 403: 1 error occurred: \* permission denied\)/,
        );
        assert.match(error.message, /check --hashi-vault-token and that the token's policy grants "list"/);
      } finally {
        await denied.close();
      }
    });

    it("a missing key path: names it and the flag", async () => {
      const error = await openError(vault, { keyPaths: ["validators/batch1", "validators/nope"] });
      assert.ok(error instanceof UserInputError);
      assert.equal(
        error.message,
        'HashiCorp Vault has no key path "validators/nope" (secret/data/validators/nope): check --hashi-vault-key-path and --hashi-vault-engine-name',
      );
    });

    it("a prefix without secrets: names it and the flag", async () => {
      const error = await openError(vault, { keyPrefixes: ["empty"] });
      assert.match(
        error.message,
        /^HashiCorp Vault has no key prefix "empty" \(secret\/metadata\/empty\): check --hashi-vault-key-prefix/,
      );
    });

    it("an engine that is not mounted: 403 on the mount check names the engine flag", async () => {
      const error = await openError(vault, { keyPaths: ["x"], engineName: "nope" });
      assert.match(error.message, /KV engine "nope".*check --hashi-vault-token, --hashi-vault-engine-name/);
    });

    it("a response without data: logs and reports Vault's errors", async () => {
      vault.setFault("no-data", "/data/");
      const logger = memoryLogger();
      const error = await openHashiVaultSigner(
        { url: vault.url, token: TOKEN, keyPaths: ["validators/batch1"], keyPrefixes: [] },
        { logger },
      ).catch((caught: unknown) => caught as Error);
      seen.push(JSON.stringify(logger.entries));
      assert.ok(error instanceof Error);
      assert.match(
        error.message,
        /returned no data for key path "validators\/batch1" \(secret\/data\/validators\/batch1\): secret backend returned nothing$/,
      );
      assert.deepEqual(logger.lines("error"), ["error HashiCorp Vault returned no data"]);
      assert.equal(logger.entries.at(-1)?.context?.errors, "secret backend returned nothing");
    });

    it("a body that is not JSON", async () => {
      vault.setFault("malformed", "/data/");
      const error = await openError(vault, { keyPaths: ["validators/batch1"] });
      assert.match(error.message, /returned an invalid response for key path "validators\/batch1".*not JSON/);
    });

    it("HTTP 5xx: retryable, with Vault's errors", async () => {
      vault.setFault("down");
      const down = await openError(vault, { keyPaths: ["validators/batch1"] });
      assert.match(down.message, /answered HTTP 503 for KV engine "secret" .*: Vault is sealed$/);
      assert.equal((down as { retryable?: boolean }).retryable, true);
      vault.setFault("error", "/data/");
      const failed = await openError(vault, { keyPaths: ["validators/batch1"] });
      assert.match(failed.message, /answered HTTP 500 for key path "validators\/batch1" .*internal error/);
    });

    describe("bad keys", () => {
      const cases: { name: string; secret: Record<string, unknown>; message: RegExp; hidden?: string }[] = [
        {
          name: "private key not hex",
          secret: { [key(0).pub]: "zz" },
          message: new RegExp(
            `^Vault secret secret/data/bad/\\d+: the private key of 0x${key(0).pub} is not 32-byte hex`,
          ),
        },
        {
          name: "private key of the wrong length",
          secret: { [key(0).pub]: key(0).priv.slice(2) },
          message: /is not 32-byte hex/,
          hidden: key(0).priv.slice(2),
        },
        {
          name: "private key not below the curve order",
          secret: { [key(0).pub]: "f".repeat(64) },
          message: /is not a valid BLS secret key/,
        },
        {
          name: "private key of another public key",
          secret: { [key(0).pub]: key(1).priv },
          message: new RegExp(
            `the private key stored for 0x${key(0).pub} belongs to public key 0x${key(1).pub}`,
          ),
          hidden: key(1).priv,
        },
        {
          name: "public key not hex",
          secret: { "not-a-key": key(0).priv },
          message: /"not-a-key" is not a validator public key \(48-byte hex\)/,
          hidden: key(0).priv,
        },
        {
          name: "keys and values swapped",
          secret: { [key(0).priv]: key(0).pub },
          message: /a private key in place of a public key/,
          hidden: key(0).priv,
        },
        {
          name: "private key not a string",
          secret: { [key(0).pub]: 12 },
          message: /is not a string/,
        },
      ];
      cases.forEach((testCase, i) => {
        it(testCase.name, async () => {
          vault.put("secret", `bad/${i}`, testCase.secret);
          const error = await openError(vault, { keyPaths: [`bad/${i}`] });
          assert.ok(error instanceof UserInputError);
          assert.match(error.message, testCase.message);
          if (testCase.hidden) assert.ok(!error.message.includes(testCase.hidden));
        });
      });

      it("a prefixed secret with more than one value", async () => {
        vault.put("secret", `multi/${key(0).pub}`, { a: key(0).priv, b: key(0).priv });
        const error = await openError(vault, { keyPrefixes: ["multi"] });
        assert.equal(
          error.message,
          `Vault secret secret/data/multi/${key(0).pub} holds 2 values: a secret under --hashi-vault-key-prefix holds exactly one, the private key of public key ${key(0).pub}`,
        );
      });

      it("a prefixed secret whose name is not its key's public key", async () => {
        vault.put("secret", `wrongname/${key(1).pub}`, { v: key(2).priv });
        const error = await openError(vault, { keyPrefixes: ["wrongname"] });
        assert.match(
          error.message,
          new RegExp(`stored for 0x${key(1).pub} belongs to public key 0x${key(2).pub}`),
        );
      });
    });

    it("the same public key in two sources", async () => {
      vault.put("secret", `dup/${key(1).pub}`, { v: key(1).priv });
      const error = await openError(vault, { keyPaths: ["validators/batch1"], keyPrefixes: ["dup"] });
      assert.ok(error instanceof UserInputError);
      assert.equal(
        error.message,
        `validator public key ${key(1).publicKey} is in both Vault secret secret/data/validators/batch1 and Vault secret secret/data/dup/${key(1).pub}: keep one copy (a key loaded twice risks slashing)`,
      );
    });

    it("the same public key twice in one bundle (with and without 0x)", async () => {
      vault.put("secret", "dup-bundle", { [key(2).pub]: key(2).priv, [`0x${key(2).pub}`]: key(2).priv });
      const error = await openError(vault, { keyPaths: ["dup-bundle"] });
      assert.match(error.message, /is twice in Vault secret secret\/data\/dup-bundle/);
    });

    it("a token that cannot be a header value is refused without quoting it", async () => {
      const error = await openHashiVaultSigner({
        url: vault.url,
        token: `${TOKEN}\nX-Other: 1`,
        keyPaths: ["validators/batch1"],
        keyPrefixes: [],
      }).catch((caught: unknown) => caught as Error);
      assert.ok(error instanceof UserInputError);
      seen.push(error.message);
      assert.match(error.message, /^--hashi-vault-token contains spaces or control characters/);
      assert.equal(vault.requests.length, 0);
    });

    it("credentials in the URL never show", async () => {
      vault.setFault("refuse");
      const url = vault.url.replace("http://", "http://user:pa55word@");
      const error = await openError(vault, { url, keyPaths: ["validators/batch1"] });
      assert.ok(!error.message.includes("pa55word"));
      assert.match(error.message, /HashiCorp Vault at http:\/\/\*\*\*@127\.0\.0\.1:\d+/);
    });
  });

  it("sends the namespace header when one is set", async () => {
    const namespaced = await startHashiVault({ token: TOKEN, namespace: "team-a" });
    try {
      namespaced.put("secret", "keys", { [key(0).pub]: key(0).priv });
      const signer = await openHashiVaultSigner({
        url: namespaced.url,
        token: TOKEN,
        keyPaths: ["keys"],
        keyPrefixes: [],
        namespace: "team-a",
      });
      assert.equal(signer.size, 1);
      assert.ok(namespaced.requests.every((request) => request.headers["x-vault-namespace"] === "team-a"));
      const error = await openError(namespaced, { keyPaths: ["keys"] });
      assert.ok(error instanceof UserInputError);
    } finally {
      await namespaced.close();
    }
  });

  it("the double answers the LIST method like GET ?list=true", async () => {
    const init = { headers: { "x-vault-token": TOKEN } };
    const list = await fetch(`${vault.url}/v1/secret/metadata/prefixed/b`, { ...init, method: "LIST" });
    const get = await fetch(`${vault.url}/v1/secret/metadata/prefixed/b?list=true`, init);
    const listed = (await list.json()) as { data: { keys: string[] } };
    assert.equal(list.status, 200);
    assert.deepEqual(listed.data.keys, [key(6).pub, "sub/"]);
    assert.deepEqual(((await get.json()) as { data: unknown }).data, listed.data);
    const missing = await fetch(`${vault.url}/v1/secret/data/none`, init);
    assert.equal(missing.status, 404);
    assert.deepEqual(await missing.json(), { errors: [] });
    const forbidden = await fetch(`${vault.url}/v1/secret/data/none`);
    assert.equal(forbidden.status, 403);
    assert.deepEqual(await forbidden.json(), { errors: ["permission denied"] });
  });
});
