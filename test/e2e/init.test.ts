/**
 * `operator init` end to end: the real CLI as a child process without a terminal, every input
 * given by flag or env var.
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { validateMnemonic } from "@scure/bip39";
import { wordlist as czech } from "@scure/bip39/wordlists/czech.js";
import { wordlist as english } from "@scure/bip39/wordlists/english.js";
import { wordlist as italian } from "@scure/bip39/wordlists/italian.js";
import { wordlist as korean } from "@scure/bip39/wordlists/korean.js";
import { wordlist as portuguese } from "@scure/bip39/wordlists/portuguese.js";
import { wordlist as chineseSimplified } from "@scure/bip39/wordlists/simplified-chinese.js";
import { wordlist as spanish } from "@scure/bip39/wordlists/spanish.js";
import { wordlist as chineseTraditional } from "@scure/bip39/wordlists/traditional-chinese.js";
import { deriveValidatorKey } from "../../src/crypto/bls-keys.ts";
import { mnemonicToSeed, parseMnemonic } from "../../src/crypto/mnemonic.ts";
import { APPENDIX_VAULT, type CliResult, runCli, tempDir } from "../support/cli.ts";
import { assertCleanError, assertSameSnapshot, assertSuccess, snapshotDir } from "../support/e2e.ts";

const VAULT = APPENDIX_VAULT;
const CHECKSUMMED = "0x3320ad928c20187602a2B2C04EeAa813fA899468";
/** The checksummed address with one letter's case flipped: a valid address, a bad EIP-55 checksum. */
const BAD_CHECKSUM = "0x3320AD928c20187602a2B2C04EeAa813fA899468";

const WORDLISTS: Record<string, string[]> = {
  chinese_simplified: chineseSimplified,
  chinese_traditional: chineseTraditional,
  czech,
  english,
  italian,
  korean,
  portuguese,
  spanish,
};

/** The mnemonic line of init's output: the only line of 12+ space-separated words. */
function printedMnemonic(stdout: string): string | undefined {
  return stdout
    .split("\n")
    .map((l) => l.trim())
    .find((l) => l.split(/\s+/u).length >= 12 && !/[.:,]/.test(l));
}

function assertInitialized(result: CliResult): string {
  assertSuccess(result);
  assert.match(result.stdout, /Successfully initialized configuration for vault/);
  assert.equal(result.stderr, "");
  const mnemonic = printedMnemonic(result.stdout);
  assert.ok(mnemonic, `no mnemonic in the output:\n${result.stdout}`);
  assert.equal(mnemonic.split(/\s+/u).length, 24);
  return mnemonic;
}

function keyZeroOf(mnemonic: string): string {
  return `0x${Buffer.from(deriveValidatorKey(mnemonicToSeed(parseMnemonic(mnemonic)), 0).publicKey).toString("hex")}`;
}

const configPath = (dataDir: string, vault = VAULT) => join(dataDir, vault.toLowerCase(), "config.json");

describe("init", () => {
  let dir: { path: string; cleanup: () => Promise<void> };
  let counter = 0;
  /** A fresh data dir path inside the test's temp dir (not created). */
  const dataDir = () => join(dir.path, `data-${counter++}`);

  before(async () => {
    dir = await tempDir("e2e-init-");
  });
  after(async () => {
    await dir.cleanup();
  });

  it("with flags: prints a 24-word mnemonic and writes config.json in the Python operator's format", async () => {
    const data = dataDir();
    const ignored = join(dir.path, "env-data-dir");
    // The flag wins over the env var.
    const result = await runCli(
      ["init", "--network", "mainnet", "--vault", CHECKSUMMED, "--no-verify", "--data-dir", data],
      { env: { DATA_DIR: ignored } },
    );
    const mnemonic = assertInitialized(result);
    assert.ok(validateMnemonic(mnemonic, english), "the mnemonic is a valid English BIP-39 mnemonic");
    assert.match(
      result.stdout,
      new RegExp(`Successfully initialized configuration for vault ${CHECKSUMMED}`),
    );

    // The vault dir is the lower-case address; config.json is json.dumps() text.
    const text = await readFile(configPath(data), "utf8");
    const firstPublicKey = keyZeroOf(mnemonic);
    assert.equal(
      text,
      `{"network": "mainnet", "mnemonic_next_index": 0, "first_public_key": "${firstPublicKey}"}`,
    );
    assert.match(firstPublicKey, /^0x[0-9a-f]{96}$/);
    assert.equal(existsSync(ignored), false, "DATA_DIR is ignored when --data-dir is given");
  });

  it("reads every input from env vars: NETWORK, VAULT, LANGUAGE, NO_VERIFY=true, DATA_DIR", async () => {
    const data = dataDir();
    const result = await runCli(["init"], {
      env: { NETWORK: "hoodi", VAULT, LANGUAGE: "italian", NO_VERIFY: "true", DATA_DIR: data },
    });
    const mnemonic = assertInitialized(result);
    assert.ok(validateMnemonic(mnemonic, italian), "LANGUAGE=italian gives an Italian mnemonic");
    const config = JSON.parse(await readFile(configPath(data), "utf8")) as Record<string, unknown>;
    assert.deepEqual(config, {
      network: "hoodi",
      mnemonic_next_index: 0,
      first_public_key: keyZeroOf(mnemonic),
    });
  });

  it("makes a valid mnemonic in each of the 8 languages, whose key 0 is first_public_key", async () => {
    for (const [language, wordlist] of Object.entries(WORDLISTS)) {
      const data = dataDir();
      const result = await runCli([
        "init",
        "--network",
        "mainnet",
        "--vault",
        VAULT,
        "--no-verify",
        "--language",
        language,
        "--data-dir",
        data,
      ]);
      const mnemonic = assertInitialized(result);
      assert.ok(
        validateMnemonic(mnemonic.normalize("NFKD"), wordlist) || validateMnemonic(mnemonic, wordlist),
        `${language}: ${mnemonic}`,
      );
      const config = JSON.parse(await readFile(configPath(data), "utf8")) as { first_public_key: string };
      assert.equal(config.first_public_key, keyZeroOf(mnemonic), language);
      // Typed back in another Unicode form and case, it is still the same mnemonic.
      assert.equal(config.first_public_key, keyZeroOf(mnemonic.normalize("NFC").toUpperCase()), language);
    }
  });

  describe("refuses bad input with one Error line and writes nothing", () => {
    /** Runs init in a data dir (optionally prepared) and checks that nothing changed there. */
    async function refuses(
      args: string[],
      patterns: RegExp[],
      options: { env?: Record<string, string>; prepare?: (data: string) => Promise<void> } = {},
    ): Promise<CliResult> {
      const data = dataDir();
      await options.prepare?.(data);
      const before = await snapshotDir(dir.path);
      const result = await runCli(["init", ...args.map((a) => a.replace("$DATA", data))], {
        ...(options.env ? { env: options.env } : {}),
      });
      assertCleanError(result, ...patterns);
      assertSameSnapshot(await snapshotDir(dir.path), before, "init wrote something");
      assert.equal(printedMnemonic(result.stdout), undefined, "a failed init must not print a mnemonic");
      return result;
    }

    it("unknown network", async () => {
      await refuses(
        ["--network", "mainnett", "--vault", VAULT, "--no-verify", "--data-dir", "$DATA"],
        [/mainnett/, /--network/, /mainnet, hoodi/],
      );
    });

    it("malformed vault address", async () => {
      await refuses(
        ["--network", "mainnet", "--vault", "0x3320ad928c", "--no-verify", "--data-dir", "$DATA"],
        [/--vault/, /0x3320ad928c/, /40 hex/],
      );
    });

    it("mixed-case vault address with a bad EIP-55 checksum", async () => {
      await refuses(
        ["--network", "mainnet", "--vault", BAD_CHECKSUM, "--no-verify", "--data-dir", "$DATA"],
        [/--vault/, /checksum/i],
      );
    });

    it("unknown language", async () => {
      await refuses(
        [
          "--network",
          "mainnet",
          "--vault",
          VAULT,
          "--no-verify",
          "--language",
          "klingon",
          "--data-dir",
          "$DATA",
        ],
        [/--language/, /klingon/, /english/],
      );
    });

    it("vault already initialized (config.json kept as it is)", async () => {
      const result = await refuses(
        ["--network", "mainnet", "--vault", VAULT, "--no-verify", "--data-dir", "$DATA"],
        [/already initialized/, /config\.json/],
        {
          prepare: async (data) => {
            assertInitialized(
              await runCli([
                "init",
                "--network",
                "hoodi",
                "--vault",
                VAULT,
                "--no-verify",
                "--data-dir",
                data,
              ]),
            );
          },
        },
      );
      assert.doesNotMatch(result.stdout, /Successfully/);
    });

    it("data dir not writable (its parent is a regular file)", async () => {
      await refuses(
        ["--network", "mainnet", "--vault", VAULT, "--no-verify", "--data-dir", "$DATA/sub"],
        [/not writable/, /--data-dir/],
        { prepare: (data) => writeFile(data, "a regular file") },
      );
    });

    it("a data dir on a filesystem that refuses directories (/proc/x) fails at once", {
      skip: existsSync("/proc/self") ? false : "no /proc",
    }, async () => {
      const started = Date.now();
      const result = await runCli(
        [
          "init",
          "--network",
          "mainnet",
          "--vault",
          VAULT,
          "--no-verify",
          "--data-dir",
          "/proc/vault-operator-x",
        ],
        { timeoutMs: 20_000 },
      );
      assertCleanError(result, /--data-dir/, /\/proc\/vault-operator-x is not writable/, /ENOENT/);
      assert.equal(result.stdout, "", "no mnemonic printed");
      assert.ok(Date.now() - started < 15_000);
    });

    it("a data dir that does not exist is not created when init fails", async () => {
      const data = dataDir();
      assertCleanError(
        await runCli([
          "init",
          "--network",
          "mainnet",
          "--vault",
          "0x3320",
          "--no-verify",
          "--data-dir",
          data,
        ]),
        /--vault/,
      );
      assert.equal(existsSync(data), false);
    });

    it("missing --vault without a terminal names --vault and VAULT", async () => {
      await refuses(["--network", "mainnet", "--no-verify", "--data-dir", "$DATA"], [/--vault/, /\bVAULT\b/]);
    });

    it("without --no-verify and no terminal: a clear error, no mnemonic printed, no config", async () => {
      const result = await refuses(
        ["--network", "mainnet", "--vault", VAULT, "--data-dir", "$DATA"],
        [/terminal/, /--no-verify/],
      );
      assert.equal(result.stdout, "");
    });

    it("NO_VERIFY=false is not truthy: init still wants to verify, so it fails without a terminal", async () => {
      await refuses(["--network", "mainnet", "--vault", VAULT, "--data-dir", "$DATA"], [/terminal/], {
        env: { NO_VERIFY: "false" },
      });
    });
  });
});
