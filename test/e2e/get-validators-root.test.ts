/**
 * `operator get-validators-root` end to end: the spec's Appendix A root, where the file comes
 * from, and every kind of bad deposit data file.
 */
import assert from "node:assert/strict";
import { copyFile, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { APPENDIX_VAULT, DEPOSIT_CLI_VAULT, runCli, TEST_MNEMONIC, tempDir } from "../support/cli.ts";
import {
  assertCleanError,
  assertSuccess,
  type DepositCliVector,
  type DepositDatumJsonEntry,
  escapeRegExp,
  pythonJson,
  readDepositCliVector,
  writeVaultConfig,
} from "../support/e2e.ts";

/** Spec Appendix A: keys 0-2 of TEST_MNEMONIC for APPENDIX_VAULT on mainnet. */
const APPENDIX_ROOT = "0xf96c9bb168a4de2fd8faf38e9fdb60264675e56a02308b04a04364378dba57e4";
const ROOT_LINE = `The validator deposit data Merkle tree root: ${APPENDIX_ROOT}`;

describe("get-validators-root", () => {
  let root: { path: string; cleanup: () => Promise<void> };
  /** Data dir with the Appendix A vault (config + deposit_data.json of keys 0-2). */
  let appendixData: string;
  let appendixFile: string;
  let appendixEntries: DepositDatumJsonEntry[];
  /** Data dir without any vault config. */
  let emptyData: string;
  let mainnet: DepositCliVector;
  let hoodi: DepositCliVector;
  let fileCounter = 0;

  before(async () => {
    root = await tempDir("e2e-validators-root-");
    appendixData = join(root.path, "appendix");
    const vaultDir = await writeVaultConfig(appendixData, APPENDIX_VAULT, "mainnet", 0);
    const created = await runCli(
      ["create-keys", "--vault", APPENDIX_VAULT, "--count", "3", "--data-dir", appendixData],
      { env: { MNEMONIC: TEST_MNEMONIC } },
    );
    assertSuccess(created);
    appendixFile = join(vaultDir, "deposit_data.json");
    appendixEntries = JSON.parse(await readFile(appendixFile, "utf8")) as DepositDatumJsonEntry[];
    emptyData = join(root.path, "empty");
    mainnet = await readDepositCliVector("mainnet-scrypt");
    hoodi = await readDepositCliVector("hoodi-scrypt");
  });
  after(async () => {
    await root.cleanup();
  });

  /** Writes `text` (or json.dumps of a value) to a new file in the temp dir. */
  async function depositFile(content: unknown): Promise<string> {
    const file = join(root.path, `deposit-data-${fileCounter++}.json`);
    await writeFile(file, typeof content === "string" ? content : pythonJson(content));
    return file;
  }

  describe("prints the root", () => {
    it("of the vault's deposit_data.json: exactly the Appendix A line", async () => {
      const result = await runCli([
        "get-validators-root",
        "--vault",
        APPENDIX_VAULT,
        "--data-dir",
        appendixData,
      ]);
      assertSuccess(result);
      assert.equal(result.stdout, `${ROOT_LINE}\n`);
      assert.equal(result.stderr, "");
    });

    it("of --deposit-data-file", async () => {
      const file = join(root.path, "copy.json");
      await copyFile(appendixFile, file);
      const result = await runCli([
        "get-validators-root",
        "--vault",
        APPENDIX_VAULT,
        "--data-dir",
        appendixData,
        "--deposit-data-file",
        file,
      ]);
      assertSuccess(result);
      assert.equal(result.stdout, `${ROOT_LINE}\n`);
    });

    it("with a config.json written by the Python operator v4 (json.dump indent=2)", async () => {
      const dataDir = join(root.path, "python-v4");
      const vaultDir = await writeVaultConfig(dataDir, APPENDIX_VAULT, "mainnet", 3);
      const config = JSON.parse(await readFile(join(vaultDir, "config.json"), "utf8")) as unknown;
      await writeFile(join(vaultDir, "config.json"), JSON.stringify(config, null, 2));
      await copyFile(appendixFile, join(vaultDir, "deposit_data.json"));
      const result = await runCli(["get-validators-root", "--vault", APPENDIX_VAULT, "--data-dir", dataDir]);
      assertSuccess(result);
      assert.equal(result.stdout, `${ROOT_LINE}\n`);
    });

    it("of DEPOSIT_DATA_FILE (env vars only, no vault config in the data dir)", async () => {
      const result = await runCli(["get-validators-root"], {
        env: { VAULT: APPENDIX_VAULT, DATA_DIR: emptyData, DEPOSIT_DATA_FILE: appendixFile },
      });
      assertSuccess(result);
      assert.equal(result.stdout, `${ROOT_LINE}\n`);
    });
  });

  describe("refuses a bad deposit data file with one Error line naming the file and the entry/field", () => {
    /** Runs with --deposit-data-file; `vault`/`dataDir` default to the Appendix A vault. */
    async function refuses(
      file: string,
      patterns: RegExp[],
      options: { vault?: string; dataDir?: string } = {},
    ): Promise<void> {
      const result = await runCli([
        "get-validators-root",
        "--vault",
        options.vault ?? APPENDIX_VAULT,
        "--data-dir",
        options.dataDir ?? appendixData,
        "--deposit-data-file",
        file,
      ]);
      assertCleanError(result, new RegExp(escapeRegExp(file)), ...patterns);
      assert.doesNotMatch(result.stdout, /Merkle tree root/);
    }

    const entry = (i: number): DepositDatumJsonEntry => ({
      ...(appendixEntries[i] as DepositDatumJsonEntry),
    });

    it("not JSON", async () => {
      await refuses(await depositFile('[{"pubkey": "ab",'), [/not valid JSON/]);
    });

    it("not an array", async () => {
      await refuses(await depositFile({ pubkey: entry(0).pubkey }), [/JSON array/]);
    });

    it("an empty array", async () => {
      await refuses(await depositFile([]), [/no entries/]);
    });

    it("a file that does not exist", async () => {
      await refuses(join(root.path, "missing.json"), [/does not exist/]);
    });

    it("an entry without pubkey", async () => {
      const { pubkey: _pubkey, ...rest } = entry(1);
      await refuses(await depositFile([entry(0), rest, entry(2)]), [/entry 1/, /"pubkey"/, /missing/]);
    });

    it("a field with the wrong hex length", async () => {
      const bad = { ...entry(2), withdrawal_credentials: entry(2).withdrawal_credentials.slice(2) };
      await refuses(await depositFile([entry(0), entry(1), bad]), [
        /entry 2/,
        /"withdrawal_credentials"/,
        /32 bytes/,
      ]);
    });

    it("a duplicate pubkey", async () => {
      await refuses(await depositFile([entry(0), entry(1), entry(0)]), [
        /entry 2/,
        /already in entry 0/,
        /duplicate/,
      ]);
    });

    it("entries of two networks (deposit CLI mainnet + hoodi entries, no vault config)", async () => {
      const file = await depositFile([mainnet.entries[0], hoodi.entries[1]]);
      await refuses(file, [/entry 1/, /hoodi/, /mainnet/, /one network/], {
        vault: DEPOSIT_CLI_VAULT,
        dataDir: emptyData,
      });
    });

    it("entries of another network than the vault's config", async () => {
      const dataDir = join(root.path, "deposit-cli-vault");
      await writeVaultConfig(dataDir, DEPOSIT_CLI_VAULT, "mainnet", 4);
      await refuses(hoodi.depositDataFile, [/entry 0/, /hoodi/, /mainnet/], {
        vault: DEPOSIT_CLI_VAULT,
        dataDir,
      });
    });

    it("withdrawal credentials that do not point at the vault (deposit CLI vector for another vault)", async () => {
      await refuses(mainnet.depositDataFile, [
        /entry 0/,
        /withdrawal_credentials/,
        /do not point at the vault/,
      ]);
    });

    it("a tampered signature (deposit_data_root no longer matches)", async () => {
      const signature = entry(1).signature;
      const flipped = `${signature.slice(0, 10)}${signature[10] === "0" ? "1" : "0"}${signature.slice(11)}`;
      await refuses(await depositFile([entry(0), { ...entry(1), signature: flipped }, entry(2)]), [
        /entry 1/,
        /deposit_data_root/,
      ]);
    });

    it("an amount other than 32 ETH (1 ETH)", async () => {
      await refuses(await depositFile([{ ...entry(0), amount: 1_000_000_000 }, entry(1), entry(2)]), [
        /entry 0/,
        /"amount"/,
        /32000000000/,
      ]);
    });

    it("an amount other than 32 ETH without a vault config", async () => {
      await refuses(
        await depositFile([entry(0), { ...entry(1), amount: 64_000_000_000 }, entry(2)]),
        [/entry 1/, /"amount"/],
        { dataDir: emptyData },
      );
    });
  });
});
