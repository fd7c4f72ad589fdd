/**
 * `operator merge-deposit-data` end to end: round-robin order, Python json.dumps output, and the
 * refusals (too few files, existing output, duplicates, networks, vaults, bad signatures).
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { deriveValidatorKey } from "../../src/crypto/bls-keys.ts";
import { mnemonicToSeed } from "../../src/crypto/mnemonic.ts";
import { buildDepositDatum, depositDataRoot } from "../../src/keys/deposit-datum.ts";
import { vaultWithdrawalCredentials } from "../../src/keys/withdrawal-credentials.ts";
import {
  APPENDIX_VAULT,
  type CliResult,
  DEPOSIT_CLI_VAULT,
  runCli,
  TEST_MNEMONIC,
  tempDir,
} from "../support/cli.ts";
import {
  assertCleanError,
  assertSuccess,
  type DepositCliVector,
  type DepositDatumJsonEntry,
  escapeRegExp,
  fileMode,
  pythonJson,
  readDepositCliVector,
} from "../support/e2e.ts";

describe("merge-deposit-data", () => {
  let root: { path: string; cleanup: () => Promise<void> };
  let mainnet: DepositCliVector;
  let hoodi: DepositCliVector;
  let counter = 0;

  before(async () => {
    root = await tempDir("e2e-merge-");
    mainnet = await readDepositCliVector("mainnet-scrypt");
    hoodi = await readDepositCliVector("hoodi-scrypt");
  });
  after(async () => {
    await root.cleanup();
  });

  /** Writes entries as json.dumps text (the deposit CLI's format) to a new file. */
  async function depositFile(entries: unknown[]): Promise<string> {
    const file = join(root.path, `in-${counter++}.json`);
    await writeFile(file, pythonJson(entries));
    return file;
  }
  const outputPath = () => join(root.path, `merged-${counter++}.json`);
  const m = (...indexes: number[]) => indexes.map((i) => mainnet.entries[i] as DepositDatumJsonEntry);

  function merge(files: string[], output: string, extra: string[] = []): Promise<CliResult> {
    return runCli(["merge-deposit-data", ...files.flatMap((f) => ["-d", f]), "-m", output, ...extra]);
  }

  async function assertMerged(
    output: string,
    result: CliResult,
    expected: DepositDatumJsonEntry[],
  ): Promise<void> {
    assertSuccess(result);
    assert.match(result.stdout, new RegExp(`Merged ${expected.length} deposit data entries`));
    const text = await readFile(output, "utf8");
    // Same json.dumps formatting as the deposit CLI's input files; entries kept verbatim.
    assert.equal(text, pythonJson(expected));
    assert.equal(await fileMode(output), 0o644);
  }

  describe("merges round-robin", () => {
    it("[0,1] + [2,3] → [0,2,1,3], byte for byte in the deposit CLI's format", async () => {
      const a = await depositFile(m(0, 1));
      const b = await depositFile(m(2, 3));
      const output = outputPath();
      await assertMerged(output, await merge([a, b], output), m(0, 2, 1, 3));
      // pythonJson writes exactly the deposit CLI's json.dumps text, so the merged file is in that format.
      assert.equal(pythonJson(mainnet.entries), mainnet.depositDataText);
    });

    it("uneven lengths: [0,1,2] + [3] → [0,3,1,2]", async () => {
      const a = await depositFile(m(0, 1, 2));
      const b = await depositFile(m(3));
      const output = outputPath();
      await assertMerged(output, await merge([a, b], output), m(0, 3, 1, 2));
    });

    it("three files [0] + [1,2] + [3] → [0,1,3,2]", async () => {
      const files = [await depositFile(m(0)), await depositFile(m(1, 2)), await depositFile(m(3))];
      const output = outputPath();
      await assertMerged(output, await merge(files, output), m(0, 1, 3, 2));
    });

    it("files and output by env vars (DEPOSIT_DATA_FILES comma-separated, OUTPUT_FILE), with a matching VAULT", async () => {
      const a = await depositFile(m(2, 3));
      const b = await depositFile(m(0, 1));
      const output = outputPath();
      const result = await runCli(["merge-deposit-data"], {
        env: { DEPOSIT_DATA_FILES: `${a},${b}`, OUTPUT_FILE: output, VAULT: DEPOSIT_CLI_VAULT.toLowerCase() },
      });
      await assertMerged(output, result, m(2, 0, 3, 1));
    });

    it("the whole deposit CLI vector file with keys of the same vault made elsewhere", async () => {
      // Keys 4 and 5 of the same mnemonic for the same vault, signed for mainnet.
      const output = outputPath();
      const extra = await depositFile(craftEntries(DEPOSIT_CLI_VAULT, [4, 5]));
      const result = await merge([mainnet.depositDataFile, extra], output, ["--vault", DEPOSIT_CLI_VAULT]);
      const crafted = JSON.parse(await readFile(extra, "utf8")) as DepositDatumJsonEntry[];
      await assertMerged(output, result, [
        m(0)[0],
        crafted[0],
        m(1)[0],
        crafted[1],
        ...m(2, 3),
      ] as DepositDatumJsonEntry[]);
    });
  });

  describe("refuses with one Error line, and writes no output", () => {
    async function refuses(args: string[], output: string, patterns: RegExp[]): Promise<void> {
      const before = existsSync(output) ? await readFile(output, "utf8") : undefined;
      const result = await runCli(["merge-deposit-data", ...args]);
      assertCleanError(result, ...patterns);
      if (before === undefined) assert.equal(existsSync(output), false, "no output written");
      else assert.equal(await readFile(output, "utf8"), before, "the existing output is untouched");
    }

    it("fewer than 2 files", async () => {
      const output = outputPath();
      const a = await depositFile(m(0, 1));
      await refuses(["-d", a, "-m", output], output, [/at least two files/, /-d\/--deposit-data-files/]);
      await refuses(["-m", output], output, [/at least two files/]);
    });

    it("the same file twice", async () => {
      const output = outputPath();
      const a = await depositFile(m(0, 1));
      await refuses(["-d", a, "-d", a, "-m", output], output, [/twice/]);
    });

    it("no output file given", async () => {
      const a = await depositFile(m(0, 1));
      const b = await depositFile(m(2, 3));
      const result = await runCli(["merge-deposit-data", "-d", a, "-d", b]);
      assertCleanError(result, /-m\/--output-file/);
    });

    it("an output file that exists (left untouched)", async () => {
      const output = outputPath();
      await writeFile(output, "precious");
      const a = await depositFile(m(0, 1));
      const b = await depositFile(m(2, 3));
      await refuses(["-d", a, "-d", b, "-m", output], output, [
        /already exists/,
        new RegExp(escapeRegExp(output)),
      ]);
    });

    it("a key in two files", async () => {
      const output = outputPath();
      const a = await depositFile(m(0, 1));
      const b = await depositFile(m(2, 1));
      await refuses(["-d", a, "-d", b, "-m", output], output, [
        new RegExp(escapeRegExp(b)),
        /entry 1/,
        /also in/,
        new RegExp(escapeRegExp(a)),
      ]);
    });

    it("files of different networks (deposit CLI mainnet + hoodi)", async () => {
      const output = outputPath();
      await refuses(["-d", mainnet.depositDataFile, "-d", hoodi.depositDataFile, "-m", output], output, [
        new RegExp(escapeRegExp(hoodi.depositDataFile)),
        /hoodi/,
        /mainnet/,
        /one network/,
      ]);
    });

    it("files of different vaults (withdrawal credentials differ)", async () => {
      const output = outputPath();
      const other = await depositFile(craftEntries(APPENDIX_VAULT, [4, 5]));
      await refuses(["-d", mainnet.depositDataFile, "-d", other, "-m", output], output, [
        new RegExp(escapeRegExp(other)),
        /withdraws to/,
        /same vault/,
      ]);
    });

    it("files not for --vault", async () => {
      const output = outputPath();
      const a = await depositFile(m(0, 1));
      const b = await depositFile(m(2, 3));
      await refuses(["-d", a, "-d", b, "-m", output, "--vault", APPENDIX_VAULT], output, [
        new RegExp(escapeRegExp(a)),
        /entry 0/,
        /withdrawal_credentials/,
        /do not point at the vault/,
      ]);
    });

    it("a file that does not exist", async () => {
      const output = outputPath();
      const missing = join(root.path, "missing.json");
      await refuses(["-d", mainnet.depositDataFile, "-d", missing, "-m", output], output, [
        new RegExp(escapeRegExp(missing)),
        /does not exist/,
      ]);
    });

    it("an entry whose signature does not verify (a flipped byte, deposit_data_root recomputed)", async () => {
      const output = outputPath();
      const [e0, e1] = m(0, 1) as [DepositDatumJsonEntry, DepositDatumJsonEntry];
      const signature = Buffer.from(e1.signature, "hex");
      signature[40] = (signature[40] as number) ^ 0x01;
      const tampered = withSignature(e1, signature);
      const a = await depositFile([e0, tampered]);
      const b = await depositFile(m(2, 3));
      await refuses(["-d", b, "-d", a, "-m", output], output, [
        new RegExp(escapeRegExp(a)),
        /entry 1/,
        /signature does not verify/,
      ]);
    });

    it("an entry carrying another key's valid signature (deposit_data_root recomputed)", async () => {
      const output = outputPath();
      const [e0, e1] = m(0, 1) as [DepositDatumJsonEntry, DepositDatumJsonEntry];
      const a = await depositFile([withSignature(e0, Buffer.from(e1.signature, "hex")), e1]);
      const b = await depositFile(m(2, 3));
      await refuses(["-d", a, "-d", b, "-m", output], output, [/entry 0/, /signature does not verify/]);
    });
  });
});

/** The entry with another signature and a deposit_data_root that matches it (so only the signature is wrong). */
function withSignature(entry: DepositDatumJsonEntry, signature: Uint8Array): DepositDatumJsonEntry {
  const root = depositDataRoot(
    Buffer.from(entry.pubkey, "hex"),
    Buffer.from(entry.withdrawal_credentials, "hex"),
    entry.amount,
    signature,
  );
  return {
    ...entry,
    signature: Buffer.from(signature).toString("hex"),
    deposit_data_root: Buffer.from(root).toString("hex"),
  };
}

/** Mainnet deposit data of TEST_MNEMONIC's keys `indexes` for `vault`, built in-process (no keystores). */
function craftEntries(vault: string, indexes: number[]): DepositDatumJsonEntry[] {
  const seed = mnemonicToSeed(TEST_MNEMONIC);
  return indexes.map((index) => {
    const key = deriveValidatorKey(seed, index);
    return buildDepositDatum({
      secretKey: key.secretKey,
      publicKey: key.publicKey,
      withdrawalCredentials: vaultWithdrawalCredentials(vault),
      amountGwei: 32_000_000_000,
      genesisForkVersion: Uint8Array.of(0, 0, 0, 0),
      networkName: "mainnet",
    });
  });
}
