/**
 * What the CLI prints when a command cannot run, end to end (no terminal, no chain): usage errors
 * with suggestions that never repeat the typed word, a bad flag or env var value named with the
 * accepted values (the flags of vault versions 2–5 too), the start-* commands of the Python
 * operator v4, an error's causes with -v (credentials masked), and a closed stdout pipe.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import {
  type CliResult,
  collect,
  runCli,
  startCli,
  TEST_MNEMONIC,
  tempDir,
  UNREACHABLE_ENDPOINTS,
} from "../support/cli.ts";
import { assertCleanError, assertNoSecrets } from "../support/e2e.ts";

const VAULT = "0x3320ad928c20187602a2b2c04eeaa813fa899468";
/** Enough for `start` to reach its settings (it fails there, before any endpoint is called). */
const START = ["start", "--vault", VAULT, ...UNREACHABLE_ENDPOINTS];

function assertUsageError(result: CliResult, line: string): void {
  assert.equal(result.code, 2, result.stderr);
  assert.equal(result.stderr, `Error: ${line}\n`);
}

describe("CLI errors", () => {
  let dir: { path: string; cleanup: () => Promise<void> };
  before(async () => {
    dir = await tempDir("e2e-cli-errors-");
  });
  after(async () => {
    await dir.cleanup();
  });

  it("a mistyped command or option: commander's suggestion, not the typed word", async () => {
    assertUsageError(
      await runCli(["inti"]),
      "unknown command: did you mean init? (run operator --help for the list of commands)",
    );
    const word = await runCli(["sausage", "worth", "useful"]);
    assertUsageError(word, "unknown command (run operator --help for the list of commands)");
    assertUsageError(
      await runCli(["create-keys", "--mnemonik", TEST_MNEMONIC]),
      "unknown option --mnemonik: did you mean --mnemonic? (run with --help for usage)",
    );
  });

  it("a bad flag value names the flag and what is accepted", async () => {
    for (const [args, line] of [
      [
        [...START, "--metrics-port", "99999"],
        "--metrics-port 99999 is not a port: use a whole number from 1 to 65535",
      ],
      [
        [...START, "--max-fee-per-gas-gwei", "abc"],
        "--max-fee-per-gas-gwei abc is not a max fee per gas: use a positive number of gwei, e.g. 30",
      ],
      [
        ["validators-exit", "--count", "0"],
        "--count 0 is not a number of validators: use a whole number of at least 1",
      ],
    ] as const) {
      const result = await runCli(args);
      assert.equal(assertCleanError(result), `Error: ${line}`);
      assert.equal(result.code, 1);
    }
  });

  it("a bad env var value names the env var, the flag it stands for and what is accepted", async () => {
    for (const [args, env, line] of [
      [
        START,
        { METRICS_PORT: "99999" },
        'METRICS_PORT="99999" (for --metrics-port) is not a port: use a whole number from 1 to 65535',
      ],
      [
        START,
        { LOG_LEVEL: "verbose" },
        'LOG_LEVEL="verbose" (for --log-level) is not a log level: use debug, info, warn or error',
      ],
      [
        START,
        { ORACLES_VALIDATORS_TIMEOUT: "soon" },
        'ORACLES_VALIDATORS_TIMEOUT="soon" is not a timeout: use a positive number of seconds, e.g. 10',
      ],
      [
        ["create-keys"],
        { COUNT: "0" },
        'COUNT="0" (for --count) is not a number of keys: use a whole number from 1 to 100000',
      ],
      [
        ["devnet", "--oracles", "3"],
        { DEVNET_THRESHOLD: "5" },
        'DEVNET_THRESHOLD="5" (for --threshold) is more than --oracles 3: use a whole number from 1 to 3',
      ],
      [
        ["remote-db", "--vault", VAULT, "--network", "hoodi", "setup"],
        { DB_URL: "postgresql://host/db" },
        "DB_URL (for --db-url) is not a database connection URL (postgresql://host/***): use postgresql:// followed by username[:password]@hostname[:port]/dbname",
      ],
    ] as const) {
      const result = await runCli(args, { env });
      assert.equal(assertCleanError(result), `Error: ${line}`);
    }
  });

  it("the flags of vault versions 2–5: a bad value of each names it and what is accepted", async () => {
    for (const [extra, env, line] of [
      [["--validator-type", "0x03"], {}, "--validator-type 0x03 is not a validator type: use 0x01 or 0x02"],
      [
        ["--max-validator-balance-gwei", "31000000000"],
        {},
        "--max-validator-balance-gwei 31000000000 is not a max validator balance: use a whole number of gwei from 32000000000 (32 ETH) to 2048000000000 (2048 ETH)",
      ],
      [
        ["--min-deposit-amount-gwei", "5"],
        {},
        "--min-deposit-amount-gwei 5 is not a min deposit amount: use a whole number of gwei of at least 1000000000 (1 ETH)",
      ],
      [
        ["--vault-min-balance-gwei", "1.5"],
        {},
        "--vault-min-balance-gwei 1.5 is not a vault balance: use a whole number of gwei, e.g. 1000000000 for 1 ETH",
      ],
      [
        ["--min-deposit-delay", "1h"],
        {},
        "--min-deposit-delay 1h is not a delay: use a whole number of at least 0",
      ],
      [
        ["--max-withdrawal-request-fee-gwei", "0"],
        {},
        "--max-withdrawal-request-fee-gwei 0 is not a max withdrawal request fee: use a whole number of gwei of at least 1, e.g. 1000",
      ],
      [
        [],
        { DISABLE_VALIDATORS_FUNDING: "sometimes" },
        'DISABLE_VALIDATORS_FUNDING="sometimes" (for --disable-validators-funding) is not a boolean: use true or false',
      ],
      [
        [],
        { DISABLE_VALIDATORS_REGISTRATION: "2" },
        'DISABLE_VALIDATORS_REGISTRATION="2" (for --disable-validators-registration) is not a boolean: use true or false',
      ],
      [
        [],
        { DISABLE_WITHDRAWALS: "maybe" },
        'DISABLE_WITHDRAWALS="maybe" (for --disable-withdrawals) is not a boolean: use true or false',
      ],
      [
        [],
        { VALIDATOR_TYPE: "compounding" },
        'VALIDATOR_TYPE="compounding" (for --validator-type) is not a validator type: use 0x01 or 0x02',
      ],
      [
        [],
        { WITHDRAWALS_INTERVAL: "12h" },
        'WITHDRAWALS_INTERVAL="12h" is not a number of seconds: use a whole number of at least 1',
      ],
      [
        ["--min-deposit-amount-gwei", "40000000000", "--max-validator-balance-gwei", "32000000000"],
        {},
        "--min-deposit-amount-gwei 40000000000 is above --max-validator-balance-gwei 32000000000: no deposit could ever be made; lower the first or raise the second",
      ],
      [
        ["--hot-wallet-file", "/a/wallet.json"],
        { WALLET_FILE: "/b/wallet.json" },
        "--hot-wallet-file (HOT_WALLET_FILE) is /a/wallet.json but --wallet-file (WALLET_FILE) is /b/wallet.json: they name the same file, give one of them",
      ],
    ] as const) {
      const result = await runCli([...START, ...extra], { env });
      assert.equal(assertCleanError(result), `Error: ${line}`, extra.join(" ") || JSON.stringify(env));
      assert.equal(result.code, 1);
    }
  });

  it("start-local, start-remote-signer and start-hashi-vault: listed, with help showing their key source only", async () => {
    const list = await runCli(["--help"]);
    for (const name of ["start-local", "start-remote-signer", "start-hashi-vault"]) {
      assert.match(
        list.stdout,
        new RegExp(`\\n  ${name} \\[options\\] +start, with the validator keys`),
        name,
      );
    }
    const help = async (name: string) => {
      const result = await runCli([name, "--help"]);
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, new RegExp(`^Usage: operator ${name} \\[options\\]`));
      for (const flag of ["--vault", "--wallet-file", "--validator-type", "--disable-withdrawals"]) {
        assert.match(result.stdout, new RegExp(` ${flag} `), `${name} ${flag}`);
      }
      return result.stdout;
    };
    const local = await help("start-local");
    assert.match(local, / --keystores-dir /);
    assert.doesNotMatch(local, /--remote-signer-url|--hashi-vault-url/);
    const signer = await help("start-remote-signer");
    assert.match(signer, / --remote-signer-url /);
    assert.doesNotMatch(signer, /--keystores-dir|--hashi-vault-url/);
    const hashi = await help("start-hashi-vault");
    assert.match(hashi, / --hashi-vault-url /);
    assert.doesNotMatch(hashi, /--keystores-dir|--remote-signer-url/);
    assert.doesNotMatch(hashi, /--relayer-endpoint/);
    const relayer = await help("start-relayer");
    assert.match(relayer, / --relayer-endpoint /);
    assert.doesNotMatch(relayer, /--keystores-dir|--remote-signer-url|--hashi-vault-url/);
    // `start` keeps every key source, and the relayer.
    const start = await help("start");
    assert.match(
      start,
      /--keystores-dir[\s\S]*--remote-signer-url|--remote-signer-url[\s\S]*--keystores-dir/,
    );
    assert.match(start, / --relayer-endpoint /);
  });

  it("start-remote-signer and start-hashi-vault without their URL: one line, before any endpoint is called", async () => {
    const args = ["--vault", VAULT, ...UNREACHABLE_ENDPOINTS];
    assert.equal(
      assertCleanError(await runCli(["start-remote-signer", ...args])),
      "Error: missing --remote-signer-url: start-remote-signer needs it; pass --remote-signer-url or set REMOTE_SIGNER_URL",
    );
    assert.equal(
      assertCleanError(await runCli(["start-hashi-vault", ...args])),
      "Error: missing --hashi-vault-url: start-hashi-vault needs it; pass --hashi-vault-url or set HASHI_VAULT_URL",
    );
  });

  it("-v adds one line per cause, with URL credentials masked", async () => {
    const args = [
      "recover",
      "--vault",
      VAULT,
      "--network",
      "hoodi",
      "--data-dir",
      join(dir.path, "data"),
      "--execution-endpoints",
      "http://operator:hunter2@127.0.0.1:1/v3/apikey",
      "--consensus-endpoints",
      "http://127.0.0.1:2",
    ];
    const plain = await runCli(args, { env: { MNEMONIC: TEST_MNEMONIC } });
    const line = assertCleanError(
      plain,
      /^Error: no execution endpoint is ready \(http:\/\/\*\*\*@127\.0\.0\.1:1\/\*\*\* \S/,
    );
    assert.equal(plain.code, 75, "an unreachable endpoint is worth retrying");
    const verbose = await runCli([...args, "-v"], { env: { MNEMONIC: TEST_MNEMONIC } });
    const lines = verbose.stderr.trimEnd().split("\n");
    assert.equal(lines[0], line);
    assert.ok(lines.length > 1, verbose.stderr);
    for (const cause of lines.slice(1)) assert.match(cause, /^ {2}caused by: \w+: \S/);
    assert.doesNotMatch(verbose.stderr, /hunter2|apikey|\n\s+at /);
    assertNoSecrets(verbose.stdout + verbose.stderr, { mnemonic: TEST_MNEMONIC });
    // VERBOSE=true is the same as -v.
    assert.equal(
      (await runCli(args, { env: { MNEMONIC: TEST_MNEMONIC, VERBOSE: "true" } })).stderr,
      verbose.stderr,
    );
  });

  it("a closed stdout pipe ends the command quietly, a long-running one too (exit 141)", async () => {
    for (const args of [
      ["start", "--help"],
      ["devnet", "--data-dir", join(dir.path, "devnet")],
    ]) {
      const child = startCli(args);
      // The reader is gone before the first line is written.
      child.stdout?.destroy();
      const result = await collect(child, { timeoutMs: 60_000 });
      assert.equal(result.stderr, "", `${args[0]}: ${result.stderr}`);
      assert.equal(result.code, 141, args[0]);
    }
  });
});
