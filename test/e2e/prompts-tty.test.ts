/**
 * The prompts as a person meets them, in a real terminal (tmux): Ctrl-C at any prompt of any
 * command prints exactly one "Interrupted: nothing was changed." line, exits 130 and leaves the
 * data dir as it was; hidden input is not echoed; and `init` answered entirely at its prompts
 * writes config.json.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import postgres from "postgres";
import { deriveValidatorKey } from "../../src/crypto/bls-keys.ts";
import { mnemonicToSeed, parseMnemonic } from "../../src/crypto/mnemonic.ts";
import { startDevnet } from "../../src/devnet/devnet.ts";
import { toPrefixedHex } from "../../src/lib/hex.ts";
import { createConfigsTableSql, createKeypairsTableSql, remoteDbTables } from "../../src/remote-db/tables.ts";
import { writeCheapKeystores } from "../support/cheap-key-files.ts";
import { APPENDIX_VAULT, TEST_MNEMONIC, tempDir, UNREACHABLE_ENDPOINTS } from "../support/cli.ts";
import { registerValidators } from "../support/devnet-registration.ts";
import {
  assertNoSecrets,
  assertSameSnapshot,
  snapshotDir,
  waitFor,
  writeVaultConfig,
} from "../support/e2e.ts";
import {
  operatorCommandLine,
  type Pane,
  startTmuxServer,
  TMUX_MISSING,
  type TmuxServer,
} from "../support/tmux.ts";
import { startWeb3Signer } from "../support/web3signer.ts";

const VAULT = APPENDIX_VAULT;
/** The local Postgres (trust authentication), as test/e2e/remote-db.test.ts reaches it. */
const PG_ADMIN_URL = process.env.REMOTE_DB_TEST_ADMIN_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const EXIT = /^EXIT=(\d+)$/m;

/** What a person does at one prompt: wait for its text, then press keys or type. */
interface Step {
  prompt: RegExp;
  type?: string;
  keys?: string[];
}

interface InterruptCase {
  name: string;
  args: (dataDir: string) => string[];
  env?: Record<string, string>;
  /** Prepares the data dir (it does not exist otherwise). */
  prepare?: (dataDir: string) => Promise<unknown>;
  /** Prompts answered before the one interrupted. */
  answers?: Step[];
  /** The prompt Ctrl-C is pressed at. */
  at: RegExp;
  /** Typed at that prompt before Ctrl-C: hidden input, which must not show. */
  typeHidden?: string;
}

const prepared = (dataDir: string) => writeVaultConfig(dataDir, VAULT, "hoodi", 0);
const NETWORK = /Enter the network name \(.*\) \[mainnet\]: ?$/m;
const VAULT_PROMPT = /Enter (your|the) vault address: ?$/m;

const CASES: InterruptCase[] = [
  {
    name: "submit-rated-network: the OAuth token (hidden), after the pool tag",
    args: (d) => ["submit-rated-network", "--data-dir", d, "--vault", VAULT, "--network", "mainnet"],
    answers: [{ prompt: /Enter the pool tag \(if any\)( \[\])?: ?$/m, type: "MyPool", keys: ["Enter"] }],
    at: /Enter your OAuth token: ?$/m,
    typeHidden: "rated-oauth-token-typed",
  },
  { name: "init: network", args: (d) => ["init", "--data-dir", d], at: NETWORK },
  {
    name: "init: vault",
    args: (d) => ["init", "--data-dir", d],
    answers: [{ prompt: NETWORK, keys: ["Enter"] }],
    at: VAULT_PROMPT,
  },
  {
    name: "init: language",
    args: (d) => ["init", "--data-dir", d, "--network", "hoodi", "--vault", VAULT],
    at: /Choose your mnemonic language \(.*\) \[english\]: ?$/m,
  },
  {
    name: "init: press any key",
    args: (d) => ["init", "--data-dir", d, "--network", "hoodi", "--vault", VAULT, "--language", "english"],
    at: /^Press any key when you have written down your mnemonic\.$/m,
  },
  {
    name: "init: typing the mnemonic back",
    args: (d) => ["init", "--data-dir", d, "--network", "hoodi", "--vault", VAULT, "--language", "english"],
    answers: [{ prompt: /^Press any key/m, keys: ["Space"] }],
    at: /^Please type your mnemonic/m,
  },
  {
    name: "create-keys: vault",
    args: (d) => ["create-keys", "--data-dir", d],
    prepare: prepared,
    at: VAULT_PROMPT,
  },
  {
    name: "create-keys: count",
    args: (d) => ["create-keys", "--data-dir", d, "--vault", VAULT],
    prepare: prepared,
    at: /Enter the number of the validator keys to generate: ?$/m,
  },
  {
    name: "create-keys: mnemonic (hidden)",
    args: (d) => ["create-keys", "--data-dir", d, "--vault", VAULT, "--count", "1"],
    prepare: prepared,
    at: /Enter the mnemonic for generating the validator keys: ?$/m,
    typeHidden: TEST_MNEMONIC,
  },
  {
    name: "create-wallet: vault",
    args: (d) => ["create-wallet", "--data-dir", d],
    prepare: prepared,
    at: VAULT_PROMPT,
  },
  {
    name: "create-wallet: mnemonic (hidden)",
    args: (d) => ["create-wallet", "--data-dir", d, "--vault", VAULT],
    prepare: prepared,
    at: /Enter the mnemonic for generating the wallet: ?$/m,
    typeHidden: TEST_MNEMONIC,
  },
  {
    name: "recover: mnemonic (hidden)",
    args: (d) => ["recover", "--data-dir", d],
    at: /Enter the mnemonic for generating the validator keys: ?$/m,
  },
  {
    name: "recover: endpoints",
    args: (d) => ["recover", "--data-dir", d, "--vault", VAULT],
    env: { MNEMONIC: TEST_MNEMONIC },
    at: /Enter comma separated list of API endpoints for execution nodes: ?$/m,
  },
  {
    name: "recover: network",
    args: (d) => ["recover", "--data-dir", d, "--vault", VAULT, ...UNREACHABLE_ENDPOINTS],
    env: { MNEMONIC: TEST_MNEMONIC },
    at: NETWORK,
  },
  {
    name: "recover: confirmation to replace the vault dir",
    args: (d) => [
      "recover",
      "--data-dir",
      d,
      "--vault",
      VAULT,
      "--network",
      "hoodi",
      ...UNREACHABLE_ENDPOINTS,
      "--force",
    ],
    env: { MNEMONIC: TEST_MNEMONIC },
    prepare: prepared,
    at: /Replace the keystores and config\.json in .* \[y\/N\]: ?$/m,
  },
  {
    name: "validators-exit: consensus endpoints",
    args: (d) => ["validators-exit", "--data-dir", d],
    at: /Enter the comma separated list of API endpoints for consensus nodes: ?$/m,
  },
  {
    name: "remote-db: --db-url (hidden)",
    args: () => ["remote-db", "--vault", VAULT, "--network", "hoodi", "setup"],
    at: /Enter the Postgres DB connection URL \(.*\): ?$/m,
    typeHidden: "postgresql://postgres:hunter2@127.0.0.1:5432/operator",
  },
  {
    name: "remote-db: encryption key (hidden)",
    args: () => [
      "remote-db",
      "--vault",
      VAULT,
      "--network",
      "hoodi",
      "--db-url",
      "postgresql://postgres@127.0.0.1:5432/postgres",
      "setup-web3signer",
    ],
    at: /Enter the encryption key for the remote database: ?$/m,
    typeHidden: "D/6CbpJen3J0ue0tWcd+d4KKHpT4kaSz3IzG5jz5LFI=",
  },
  {
    name: "remote-signer-setup: signer URL",
    args: (d) => ["remote-signer-setup", "--data-dir", d, "--vault", VAULT],
    at: /Enter the base URL of the remote signer \(.*\): ?$/m,
  },
  { name: "start: vault", args: (d) => ["start", "--data-dir", d], at: VAULT_PROMPT },
];

/** The lines of a screen that are not empty. */
const lines = (screen: string) => screen.split("\n").filter((line) => line.trim() !== "");

describe("prompts in a terminal", { skip: TMUX_MISSING, concurrency: 4 }, () => {
  let tmux: TmuxServer;
  let root: { path: string; cleanup: () => Promise<void> };
  let cases = 0;
  /** A data dir path of its own (not created). */
  const newDataDir = () => join(root.path, `data-${cases++}`);

  before(async () => {
    root = await tempDir("e2e-prompts-tty-");
    // The compile cache: every CLI start after the first skips compiling the modules.
    tmux = await startTmuxServer({ NODE_COMPILE_CACHE: join(root.path, ".node-cache") });
  });
  after(async () => {
    await tmux?.kill();
    await root?.cleanup();
  });

  /** Answers the steps, presses Ctrl-C at the last prompt; returns the final screen. */
  async function interrupt(
    pane: Pane,
    steps: readonly Step[],
    at: RegExp,
    typeHidden?: string,
  ): Promise<string> {
    for (const step of steps) {
      await pane.waitFor(step.prompt);
      if (step.type !== undefined) await pane.type(step.type);
      if (step.keys) await pane.keys(...step.keys);
    }
    await pane.waitFor(at);
    if (typeHidden !== undefined) {
      await pane.type(typeHidden);
      // Give the terminal time to echo it, if it were going to.
      await new Promise((resolve) => setTimeout(resolve, 300));
      const screen = await pane.screen();
      assertNoSecrets(screen, { mnemonic: TEST_MNEMONIC, passwords: [typeHidden] }, "the screen");
    }
    await pane.keys("C-c");
    return pane.waitFor(EXIT);
  }

  for (const c of CASES) {
    it(`Ctrl-C at ${c.name}: one line, exit 130, nothing written`, async () => {
      const dataDir = newDataDir();
      await c.prepare?.(dataDir);
      const before = await snapshotDir(dataDir);
      const pane = await tmux.open(operatorCommandLine(c.args(dataDir), c.env));
      const screen = await interrupt(pane, c.answers ?? [], c.at, c.typeHidden);
      assert.equal(EXIT.exec(screen)?.[1], "130", screen);
      assert.deepEqual(lines(screen).slice(-2), ["Interrupted: nothing was changed.", "EXIT=130"], screen);
      assert.equal(screen.match(/Interrupted/g)?.length, 1, screen);
      assert.doesNotMatch(screen, /Error|error|at .*:\d+:\d+|Received SIGINT/, screen);
      assertSameSnapshot(await snapshotDir(dataDir), before, "the data dir changed");
    });
  }

  it("Ctrl-C at the validators-exit confirmation: no exit submitted", async () => {
    const dataDir = newDataDir();
    const devnet = await startDevnet({
      blockTime: "automine",
      slotsPerEpoch: 1,
      activationDelaySlots: 0,
      outputDir: join(dataDir, "devnet"),
    });
    try {
      const vault = devnet.vault.address;
      const vaultDir = await writeVaultConfig(dataDir, vault, "devnet", 1);
      await writeCheapKeystores(join(vaultDir, "keystores"), TEST_MNEMONIC, 1);
      await registerValidators(devnet, 0, 1);
      const publicKey = toPrefixedHex(deriveValidatorKey(mnemonicToSeed(TEST_MNEMONIC), 0).publicKey);
      const status = () =>
        devnet.beacon.validatorAt(devnet.beacon.currentSlot(), { pubkey: publicKey })?.status;
      await waitFor(
        async () => {
          await devnet.beacon.sync();
          return status() === "active_ongoing" ? true : undefined;
        },
        { timeoutMs: 20_000, what: "validator 0 active" },
      );
      const before = await snapshotDir(dataDir, (path) => path.startsWith("devnet"));
      const pane = await tmux.open(
        operatorCommandLine([
          "validators-exit",
          "--data-dir",
          dataDir,
          "--vault",
          vault,
          "--consensus-endpoints",
          devnet.consensusUrl,
        ]),
      );
      const at = /Are you sure you want to exit 1 validators with indexes: \d+\? \[y\/N\]: ?$/m;
      const screen = await interrupt(pane, [], at);
      assert.equal(EXIT.exec(screen)?.[1], "130", screen);
      assert.match(screen, /^Interrupted: nothing was changed\.$/m);
      assert.deepEqual(devnet.beacon.poolVoluntaryExits(), [], "no exit was submitted");
      assert.equal(status(), "active_ongoing");
      assertSameSnapshot(await snapshotDir(dataDir, (path) => path.startsWith("devnet")), before);
    } finally {
      await devnet.stop();
    }
  });

  it("Ctrl-C at the remote-db cleanup confirmation: nothing removed", async () => {
    const admin = postgres(PG_ADMIN_URL, { max: 1, onnotice: () => {} });
    const name = `vault_operator_tty_${randomBytes(6).toString("hex")}`;
    await admin.unsafe(`CREATE DATABASE ${name}`);
    const url = PG_ADMIN_URL.replace(/\/postgres$/, `/${name}`);
    const sql = postgres(url, { max: 1, onnotice: () => {} });
    try {
      const tables = remoteDbTables("hoodi");
      await sql.unsafe(createKeypairsTableSql(tables));
      await sql.unsafe(createConfigsTableSql(tables));
      await sql`INSERT INTO hoodi_configs (vault, name, data) VALUES (${VAULT}, 'deposit_data.json', '[]')`;
      const pane = await tmux.open(
        operatorCommandLine(["remote-db", "--vault", VAULT, "--network", "hoodi", "cleanup"], {
          DB_URL: url,
        }),
      );
      const at =
        /Remove the 0 keys and 1 configs of vault 0x3320ad928c20187602a2B2C04EeAa813fA899468 from the database\? \[y\/N\]: ?$/m;
      const screen = await interrupt(pane, [], at);
      assert.deepEqual(lines(screen).slice(-2), ["Interrupted: nothing was changed.", "EXIT=130"], screen);
      assert.equal((await sql`SELECT count(*)::int AS n FROM hoodi_configs`)[0]?.n, 1, "nothing removed");
    } finally {
      await sql.end();
      await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    }
  });

  it("setup-remote-signer answered at its prompts; Ctrl-C at the removal question keeps the keystores and says why", async () => {
    const signer = await startWeb3Signer();
    try {
      const dataDir = newDataDir();
      const keystoresDir = join(await writeVaultConfig(dataDir, VAULT, "hoodi", 0), "keystores");
      await writeCheapKeystores(keystoresDir, TEST_MNEMONIC, 2);
      const keystores = async () => (await readdir(keystoresDir)).filter((n) => n.startsWith("keystore"));
      const run = () =>
        tmux.open(operatorCommandLine(["setup-remote-signer", "--vault", VAULT, "--data-dir", dataDir]));
      const url = /Enter the URL of the remote signer \(e\.g\. https:\/\/signer:9000\): ?$/m;
      const remove = /^Remove local keystores\? \[y\/N\]: ?$/m;

      const first = await run();
      const screen = await interrupt(first, [{ prompt: url, type: signer.url, keys: ["Enter"] }], remove);
      assert.deepEqual(
        lines(screen).slice(-2),
        [
          `Interrupted: the remote signer holds the 2 keys; the local keystores in ${keystoresDir} were kept.`,
          "EXIT=130",
        ],
        screen,
      );
      assert.equal(signer.keys().length, 2);
      assert.equal((await keystores()).length, 2);

      const second = await run();
      await second.waitFor(url);
      await second.type(signer.url);
      await second.keys("Enter");
      await second.waitFor(remove);
      await second.type("y");
      await second.keys("Enter");
      const done = await second.waitFor(EXIT);
      assert.equal(EXIT.exec(done)?.[1], "0", done);
      assert.match(done, /^Removed keystores from local filesystem\.$/m);
      assert.match(
        done,
        /^Done\. Successfully configured operator to use remote signer for 2 public key\(s\)!$/m,
      );
      assert.deepEqual(await keystores(), []);
    } finally {
      await signer.close();
    }
  });

  it("init answered at its prompts writes config.json; the mnemonic typed back is checked", async () => {
    const dataDir = newDataDir();
    const pane = await tmux.open(operatorCommandLine(["init", "--data-dir", dataDir]));
    await pane.waitFor(NETWORK);
    await pane.type("hoodi");
    await pane.keys("Enter");
    await pane.waitFor(VAULT_PROMPT);
    await pane.type(VAULT);
    await pane.keys("Enter");
    await pane.waitFor(/Choose your mnemonic language/);
    await pane.keys("Enter");
    const shown = await pane.waitFor(/^Press any key/m);
    const mnemonic = lines(shown)
      .find((line) => line.trim().split(/\s+/).length === 24)
      ?.trim();
    assert.ok(mnemonic, shown);
    await pane.keys("Space");
    const cleared = await pane.waitFor(/^Please type your mnemonic/m);
    assert.ok(!cleared.includes(mnemonic), "the screen is cleared before the mnemonic is typed back");
    await pane.type("wrong words");
    await pane.keys("Enter");
    await pane.waitFor(/^The mnemonic you typed does not match\. Please try again\.$/m);
    await pane.type(mnemonic);
    await pane.keys("Enter");
    const done = await pane.waitFor(EXIT);
    assert.equal(EXIT.exec(done)?.[1], "0", done);
    assert.match(
      done,
      /^Successfully initialized configuration for vault 0x3320ad928c20187602a2B2C04EeAa813fA899468$/m,
    );
    const config = JSON.parse(await readFile(join(dataDir, VAULT, "config.json"), "utf8")) as Record<
      string,
      unknown
    >;
    const firstKey = toPrefixedHex(deriveValidatorKey(mnemonicToSeed(parseMnemonic(mnemonic)), 0).publicKey);
    assert.deepEqual(config, { network: "hoodi", mnemonic_next_index: 0, first_public_key: firstKey });
    assert.ok(existsSync(join(dataDir, VAULT)));
  });
});
