/**
 * Bad configuration stops `operator start` at startup (issue Must 5): endpoints of another network
 * (execution chain id, consensus deposit contract chain id), deposit data that is not the vault's
 * root, unreadable keystores, a wrong keystore password, a wrong or missing hot wallet. Each run
 * ends with one clear `Error:` line on stderr, no stack trace, a non-zero exit, and nothing done:
 * no operator.db, no transaction from the hot wallet, the vault untouched.
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { copyFile, mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { vaultAbi } from "../../src/chain/abi/vault.ts";
import { startDevnet } from "../../src/devnet/devnet.ts";
import { runCli } from "../support/cli.ts";
import { assertCleanError, escapeRegExp } from "../support/e2e.ts";
import {
  type HttpProxy,
  type StartFixture,
  setupStart,
  startHttpProxy,
  startService,
} from "./start-fixture.ts";

describe("operator start refuses bad configuration", () => {
  let f: StartFixture;
  let scratch: string;

  before(async () => {
    f = await setupStart({ keys: 2 });
    scratch = join(f.dataDir, "scratch");
    await mkdir(scratch);
    // Funds for a validator: a start that got past its checks would register it.
    await f.devnet.depositToVault(32n * 10n ** 18n);
  });
  after(async () => {
    await f?.stop();
  });

  /** Runs `start` to its exit and checks it failed cleanly with nothing done. */
  const failsCleanly = async (extra: readonly string[], ...patterns: RegExp[]) => {
    const nonce = await f.nonce("pending");
    const result = await runCli(f.startArgs(extra), { env: f.env(), timeoutMs: 60_000 });
    const line = assertCleanError(result, ...patterns);
    assert.equal(result.code, 1, "a configuration error is fatal (exit 1), not retryable");
    assert.equal(result.stdout.includes("service started"), false, result.stdout);
    assert.equal(existsSync(join(f.vaultDir, "operator.db")), false, "no state written");
    assert.equal(await f.nonce("pending"), nonce, "no transaction sent");
    assert.equal(await f.vaultIndex(), 0, "nothing registered");
    return line;
  };

  describe("endpoints of another network", () => {
    let proxy: HttpProxy | undefined;
    after(async () => {
      await proxy?.close();
    });

    it("an execution endpoint on another chain id", async () => {
      proxy = await startHttpProxy({
        target: f.devnet.executionUrl,
        intercept: ({ body }) => {
          const call = JSON.parse(body || "{}") as { id?: unknown; method?: string };
          return call.method === "eth_chainId" ? { jsonrpc: "2.0", id: call.id, result: "0x1" } : undefined;
        },
      });
      await failsCleanly(
        ["--execution-endpoints", `${f.devnet.executionUrl},${proxy.url}`],
        new RegExp(
          `execution endpoint ${escapeRegExp(proxy.url)} is on the wrong chain \\(chain id 1, not devnet's ${f.devnet.network.chainId}\\)`,
        ),
      );
      await proxy.close();
      proxy = undefined;
    });

    it("a consensus endpoint on another chain id", async () => {
      proxy = await startHttpProxy({
        target: f.devnet.consensusUrl,
        intercept: ({ path }) =>
          path === "/eth/v1/config/deposit_contract"
            ? { data: { chain_id: "1", address: "0x00000000219ab540356cbb839cbe05303d7705fa" } }
            : undefined,
      });
      await failsCleanly(
        ["--consensus-endpoints", proxy.url],
        new RegExp(
          `consensus endpoint ${escapeRegExp(proxy.url)} is on the wrong chain \\(deposit contract chain id 1, not devnet's ${f.devnet.network.chainId}\\)`,
        ),
      );
    });
  });

  it("deposit data whose root is not the vault's validators root", async () => {
    const entries = JSON.parse(await readFile(f.depositDataFile, "utf8")) as unknown[];
    const other = join(scratch, "deposit_data-other.json");
    await writeFile(other, JSON.stringify(entries.slice(0, 1)));
    await failsCleanly(
      ["--deposit-data-file", other],
      /the deposit data file's root 0x[0-9a-f]{64} is not the vault's validators root 0x[0-9a-f]{64}/,
      /get-validators-root/,
    );
  });

  describe("keystores", () => {
    const keystoresDir = () => join(f.vaultDir, "keystores");

    it("a keystores dir that does not exist", async () => {
      const missing = join(scratch, "no-such-keystores");
      await failsCleanly(
        ["--keystores-dir", missing, "--keystores-password-file", join(keystoresDir(), "password.txt")],
        new RegExp(escapeRegExp(missing)),
      );
    });

    it("a keystore file that is not a keystore", async () => {
      const dir = join(scratch, "keystores-broken");
      await mkdir(dir);
      const names = (await readdir(keystoresDir())).filter((n) => n.startsWith("keystore-"));
      for (const name of names) await copyFile(join(keystoresDir(), name), join(dir, name));
      const broken = join(dir, (names[1] as string).replace(/\.json$/, "-copy.json"));
      await writeFile(broken, '{"crypto": ');
      await failsCleanly(
        ["--keystores-dir", dir, "--keystores-password-file", join(keystoresDir(), "password.txt")],
        new RegExp(`Invalid keystore format: ${escapeRegExp(broken)} \\(not valid JSON\\)`),
      );
    });

    it("a wrong keystore password", async () => {
      const wrong = join(scratch, "wrong-keystore-password.txt");
      await writeFile(wrong, "not-the-password");
      const line = await failsCleanly(
        ["--keystores-password-file", wrong],
        new RegExp(`Invalid password for keystore .*: check ${escapeRegExp(wrong)}`),
      );
      assert.ok(!line.includes("not-the-password"), "the password is never shown");
    });
  });

  describe("hot wallet", () => {
    it("a wrong hot wallet password", async () => {
      const wrong = join(scratch, "wrong-wallet-password.txt");
      await writeFile(wrong, "not-the-wallet-password");
      const line = await failsCleanly(
        ["--hot-wallet-password-file", wrong],
        new RegExp(`Invalid password for hot wallet .*: check ${escapeRegExp(wrong)}`),
      );
      assert.ok(!line.includes("not-the-wallet-password"), "the password is never shown");
    });

    it("a hot wallet file that does not exist", async () => {
      const missing = join(scratch, "no-wallet.json");
      await failsCleanly(
        ["--hot-wallet-file", missing],
        new RegExp(`hot wallet file ${escapeRegExp(missing)} does not exist`),
      );
    });
  });

  it("an operator.db made on another chain (a restarted devnet): one line saying what to do", async () => {
    // The earlier devnet: same chain id and addresses (a fresh anvil, the same deployment), its own
    // genesis. The vault's root is set there and start ran once, recording that chain.
    const earlier = await startDevnet({ blockTime: 1 });
    try {
      const root = await f.devnet.clients.sender.readContract({
        address: f.vault,
        abi: vaultAbi,
        functionName: "validatorsRoot",
      });
      const set = await earlier.clients.keysManager.writeContract({
        address: f.vault,
        abi: vaultAbi,
        functionName: "setValidatorsRoot",
        args: [root],
      });
      await earlier.clients.keysManager.waitForTransactionReceipt({ hash: set });
      const fund = await earlier.clients.depositor.sendTransaction({ to: f.wallet, value: 10n ** 18n });
      await earlier.clients.depositor.waitForTransactionReceipt({ hash: fund });
      const run = startService(
        f.startArgs([
          "--execution-endpoints",
          earlier.executionUrl,
          "--consensus-endpoints",
          earlier.consensusUrl,
        ]),
        f.env(),
      );
      await run.waitForLog((l) => l.msg === "service started", { what: "the run on the earlier devnet" });
      assert.equal((await run.stop()).code, 0, run.output());
    } finally {
      await earlier.stop();
    }
    const database = join(f.vaultDir, "operator.db");
    try {
      const result = await runCli(f.startArgs(), { env: f.env(), timeoutMs: 60_000 });
      assertCleanError(
        result,
        new RegExp(
          `${escapeRegExp(database)} holds the state of another devnet chain \\(chain id ${f.devnet.network.chainId}, genesis block 0x[0-9a-f]{64}\\) than the one at --execution-endpoints`,
        ),
        new RegExp(`delete ${escapeRegExp(database)} and start again`),
      );
      assert.equal(result.code, 1);
      assert.equal(await f.vaultIndex(), 0, "nothing registered from the old state");
    } finally {
      for (const suffix of ["", "-wal", "-shm", ".lock"]) await rm(`${database}${suffix}`, { force: true });
    }
  });
});
