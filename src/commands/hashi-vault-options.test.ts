import assert from "node:assert/strict";
import { afterEach, describe, it } from "node:test";
import { Command, CommanderError } from "commander";
import { UserInputError } from "../lib/errors.ts";
import {
  addHashiVaultOptions,
  type HashiVaultCliOptions,
  hashiVaultOptionsFrom,
  splitPathList,
} from "./hashi-vault-options.ts";

const ENV = [
  "HASHI_VAULT_URL",
  "HASHI_VAULT_TOKEN",
  "HASHI_VAULT_KEY_PATH",
  "HASHI_VAULT_KEY_PREFIX",
  "HASHI_VAULT_ENGINE_NAME",
  "HASHI_VAULT_ENGINE_VERSION",
  "HASHI_VAULT_NAMESPACE",
  "HASHI_VAULT_PARALLELISM",
];

/** Parses `args` with a command carrying the flags; returns what the action saw. */
async function parse(args: string[], env: Record<string, string> = {}) {
  for (const name of ENV) delete process.env[name];
  Object.assign(process.env, env);
  let seen: HashiVaultCliOptions | undefined;
  const command = addHashiVaultOptions(new Command("start"))
    .exitOverride()
    .configureOutput({ outputError: () => {} })
    .action((options: HashiVaultCliOptions) => {
      seen = options;
    });
  await command.parseAsync(args, { from: "user" });
  return seen;
}

describe("Hashi Vault CLI options", () => {
  afterEach(() => {
    for (const name of ENV) delete process.env[name];
  });

  it("repeatable flags, defaults, and the options for openHashiVaultSigner", async () => {
    const options = await parse([
      "--hashi-vault-url",
      "https://vault:8200",
      "--hashi-vault-token",
      "hvs.t",
      "--hashi-vault-key-path",
      "a",
      "--hashi-vault-key-path",
      "b",
      "--hashi-vault-key-prefix",
      "p",
    ]);
    assert.ok(options);
    assert.deepEqual(hashiVaultOptionsFrom(options), {
      url: "https://vault:8200",
      token: "hvs.t",
      keyPaths: ["a", "b"],
      keyPrefixes: ["p"],
      engineName: "secret",
      engineVersion: "auto",
      parallelism: 8,
    });
  });

  it("reads every flag from its env var; list env vars split on commas and whitespace", async () => {
    const options = await parse([], {
      HASHI_VAULT_URL: "http://vault:8200",
      HASHI_VAULT_TOKEN: "hvs.env",
      HASHI_VAULT_KEY_PATH: "a, b\nc",
      HASHI_VAULT_KEY_PREFIX: "p1 p2",
      HASHI_VAULT_ENGINE_NAME: "kv",
      HASHI_VAULT_ENGINE_VERSION: "1",
      HASHI_VAULT_NAMESPACE: "ns",
      HASHI_VAULT_PARALLELISM: "3",
    });
    assert.ok(options);
    assert.deepEqual(hashiVaultOptionsFrom(options), {
      url: "http://vault:8200",
      token: "hvs.env",
      keyPaths: ["a", "b", "c"],
      keyPrefixes: ["p1", "p2"],
      engineName: "kv",
      engineVersion: 1,
      parallelism: 3,
      namespace: "ns",
    });
  });

  it("a flag wins over its env var", async () => {
    const options = await parse(["--hashi-vault-key-path", "flag"], {
      HASHI_VAULT_URL: "http://vault:8200",
      HASHI_VAULT_TOKEN: "hvs.env",
      HASHI_VAULT_KEY_PATH: "env1,env2",
    });
    assert.deepEqual(options?.hashiVaultKeyPath, ["flag"]);
  });

  it("no URL: no Vault", async () => {
    const options = await parse([], { HASHI_VAULT_TOKEN: "hvs.env" });
    assert.ok(options);
    assert.equal(hashiVaultOptionsFrom(options), undefined);
  });

  it("usage errors name the missing flag (exit 2) and never the token", async () => {
    const cases: [string[], RegExp][] = [
      [
        ["--hashi-vault-url", "http://v", "--hashi-vault-key-path", "a"],
        /^missing --hashi-vault-token: pass --hashi-vault-token or set HASHI_VAULT_TOKEN/,
      ],
      [
        ["--hashi-vault-url", "http://v", "--hashi-vault-token", "hvs.SECRET"],
        /^missing --hashi-vault-key-path/,
      ],
      [["--hashi-vault-key-path", "a"], /^missing --hashi-vault-url/],
      [
        [
          "--hashi-vault-url",
          "http://v",
          "--hashi-vault-token",
          "hvs.SECRET x",
          "--hashi-vault-key-path",
          "a",
        ],
        /--hashi-vault-token contains spaces/,
      ],
    ];
    for (const [args, message] of cases) {
      await assert.rejects(parse(args), (error: unknown) => {
        assert.ok(error instanceof CommanderError);
        assert.equal(error.exitCode, 2);
        assert.match(error.message, message);
        assert.ok(!error.message.includes("SECRET"));
        return true;
      });
    }
    assert.throws(() => hashiVaultOptionsFrom({ hashiVaultUrl: "http://v" }), UserInputError);
  });

  it("bad values name the flag, or the env var they came from, and what is accepted", async () => {
    await assert.rejects(parse(["--hashi-vault-engine-version", "3"]), {
      name: "UserInputError",
      message: "--hashi-vault-engine-version 3 is not a KV engine version: use auto, 1 or 2",
    });
    await assert.rejects(parse([], { HASHI_VAULT_PARALLELISM: "0" }), {
      name: "UserInputError",
      message:
        'HASHI_VAULT_PARALLELISM="0" (for --hashi-vault-parallelism) is not a number of parallel reads: use a whole number from 1 to 1024',
    });
    await assert.rejects(parse(["--hashi-vault-url", "vault:8200"]), {
      message: "--hashi-vault-url vault:8200 is not an http(s) URL: use e.g. https://vault:8200",
    });
  });

  it("splits lists", () => {
    assert.deepEqual(splitPathList(" a,,b  c\t"), ["a", "b", "c"]);
  });
});
