/**
 * What the CLI prints when a command cannot run, end to end (no terminal, no chain): usage errors
 * with suggestions that never repeat the typed word, a bad flag or env var value named with the
 * accepted values, an error's causes with -v (credentials masked), and a closed stdout pipe.
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
