import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { loadDevnetNetwork, resolveNetwork } from "../config/networks.ts";
import { deriveValidatorKey } from "../crypto/bls-keys.ts";
import { mnemonicToSeed } from "../crypto/mnemonic.ts";
import { UserInputError } from "../lib/errors.ts";
import { parseHex, toHex } from "../lib/hex.ts";
import { parseDepositData, readDepositDataFile, serializeDepositData } from "./deposit-data-file.ts";
import { buildDepositDatum, type DepositDatumJson, depositDataRoot } from "./deposit-datum.ts";
import { vaultWithdrawalCredentials } from "./withdrawal-credentials.ts";

const MNEMONIC = "legal winner thank year wave sausage worth useful legal winner thank yellow";
const VAULT = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed";
const OTHER_VAULT = "0x3320ad928c20187602a2b2c04eeaa813fa899468";
const FILE = "/vault/deposit_data.json";
const NO_DEVNET = { devnetFile: "/nonexistent" };
const HOODI = resolveNetwork("hoodi", NO_DEVNET);
const MAINNET = resolveNetwork("mainnet", NO_DEVNET);
const seed = mnemonicToSeed(MNEMONIC);

function entry(
  index: number,
  options: { vault?: string; forkVersion?: string; networkName?: string; amountGwei?: number } = {},
): DepositDatumJson {
  const key = deriveValidatorKey(seed, index);
  return buildDepositDatum({
    secretKey: key.secretKey,
    publicKey: key.publicKey,
    withdrawalCredentials: vaultWithdrawalCredentials(options.vault ?? VAULT),
    amountGwei: options.amountGwei ?? HOODI.validatorDepositGwei,
    genesisForkVersion: parseHex(options.forkVersion ?? HOODI.genesisForkVersion, 4) as Uint8Array,
    networkName: options.networkName ?? "hoodi",
  });
}

// Three valid hoodi entries for VAULT; tests copy and change them.
const ENTRIES = [entry(0), entry(1), entry(2)];
const text = (entries: readonly unknown[]) => JSON.stringify(entries);
const copy = (index: number): Record<string, unknown> => ({ ...(ENTRIES[index] as DepositDatumJson) });

/** Recomputes deposit_data_root so that only the field under test is wrong. */
function withConsistentRoot(item: Record<string, unknown>): Record<string, unknown> {
  const root = depositDataRoot(
    parseHex(item.pubkey as string, 48) as Uint8Array,
    parseHex(item.withdrawal_credentials as string, 32) as Uint8Array,
    item.amount as number,
    parseHex(item.signature as string, 96) as Uint8Array,
  );
  return { ...item, deposit_data_root: toHex(root) };
}

function assertUserError(fn: () => unknown, ...fragments: string[]): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof UserInputError, `expected a UserInputError, got ${String(error)}`);
    for (const fragment of fragments) {
      assert.ok(error.message.includes(fragment), `"${error.message}" lacks "${fragment}"`);
    }
    return true;
  });
}

describe("parseDepositData: valid files", () => {
  it("parses valid entries with every check on", () => {
    const parsed = parseDepositData(text(ENTRIES), FILE, {
      vault: VAULT,
      network: HOODI,
      verifySignatures: true,
      keepJson: true,
    });
    assert.equal(parsed.length, 3);
    parsed.forEach((parsedEntry, i) => {
      const source = ENTRIES[i] as DepositDatumJson;
      assert.equal(parsedEntry.position, i);
      assert.equal(toHex(parsedEntry.publicKey), source.pubkey);
      assert.equal(toHex(parsedEntry.withdrawalCredentials), source.withdrawal_credentials);
      assert.equal(toHex(parsedEntry.signature), source.signature);
      assert.equal(toHex(parsedEntry.depositDataRoot), source.deposit_data_root);
      assert.equal(parsedEntry.amountGwei, 32_000_000_000);
      assert.equal(parsedEntry.forkVersion, "0x10000910");
      assert.deepEqual(parsedEntry.json, source);
    });
  });

  it("parses entries with 0x-prefixed hex and without fork_version", () => {
    const item = copy(0);
    delete item.fork_version;
    for (const field of ["pubkey", "withdrawal_credentials", "signature", "deposit_data_root"]) {
      item[field] = `0x${item[field] as string}`;
    }
    const [parsed] = parseDepositData(text([item]), FILE, {
      vault: VAULT,
      network: HOODI,
      verifySignatures: true,
    });
    assert.equal(parsed?.forkVersion, undefined);
    assert.equal(toHex(parsed?.publicKey ?? new Uint8Array()), ENTRIES[0]?.pubkey);
  });

  it("accepts a lower- or upper-case vault address", () => {
    const upper = `0x${VAULT.slice(2).toUpperCase()}`;
    assert.equal(parseDepositData(text(ENTRIES), FILE, { vault: VAULT.toLowerCase() }).length, 3);
    assert.equal(parseDepositData(text(ENTRIES), FILE, { vault: upper }).length, 3);
  });

  it("checks amountGwei when no network is given", () => {
    assert.equal(parseDepositData(text(ENTRIES), FILE, { amountGwei: 32_000_000_000 }).length, 3);
    assertUserError(
      () => parseDepositData(text(ENTRIES), FILE, { amountGwei: 1_000_000_000 }),
      "entry 0",
      '"amount"',
    );
  });

  it("accepts a devnet whose file spells the fork version in upper case", async () => {
    const dir = await mkdtemp(join(tmpdir(), "deposit-data-file-test-"));
    try {
      const networkFile = join(dir, "network.json");
      await writeFile(
        networkFile,
        JSON.stringify({
          chainId: 1337,
          genesisForkVersion: "0x1000ABCD",
          capellaForkVersion: "0x4000ABCD",
          genesisValidatorsRoot: `0x${"00".repeat(32)}`,
          slotsPerEpoch: 32,
          secondsPerSlot: 6,
          keeper: { address: VAULT, genesisBlock: 0 },
          depositContract: { address: VAULT, genesisBlock: 0 },
        }),
      );
      const devnet = loadDevnetNetwork(networkFile);
      const item = entry(0, { forkVersion: "0x1000abcd", networkName: "devnet" });
      assert.equal(
        parseDepositData(text([item]), FILE, { network: devnet, verifySignatures: true }).length,
        1,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("parseDepositData: file-level errors", () => {
  it("rejects text that is not JSON, naming the file", () => {
    assertUserError(() => parseDepositData("[{", FILE), FILE, "not valid JSON");
  });

  it("rejects JSON that is not an array", () => {
    assertUserError(() => parseDepositData(JSON.stringify(ENTRIES[0]), FILE), FILE, "JSON array");
    assertUserError(() => parseDepositData("null", FILE), FILE, "JSON array");
  });

  it("rejects an empty array", () => {
    assertUserError(() => parseDepositData("[]", FILE), FILE, "no entries");
  });
});

describe("parseDepositData: entry errors name the file, the entry and the field", () => {
  it("rejects an entry that is not an object", () => {
    for (const bad of [null, 1, "x", [ENTRIES[0]]]) {
      assertUserError(
        () => parseDepositData(text([ENTRIES[0], bad]), FILE),
        FILE,
        "entry 1",
        "not a JSON object",
      );
    }
  });

  for (const field of ["pubkey", "withdrawal_credentials", "signature", "deposit_data_root"]) {
    it(`rejects a missing or non-string ${field}`, () => {
      const missing = copy(1);
      delete missing[field];
      assertUserError(
        () => parseDepositData(text([ENTRIES[0], missing]), FILE),
        FILE,
        "entry 1",
        `"${field}"`,
        "missing",
      );
      const numeric = { ...copy(1), [field]: 12 };
      assertUserError(
        () => parseDepositData(text([ENTRIES[0], numeric]), FILE),
        FILE,
        "entry 1",
        `"${field}"`,
      );
    });

    it(`rejects a ${field} of the wrong length or not hex`, () => {
      const short = {
        ...copy(2),
        [field]: String(copy(2)[field]).slice(2),
      };
      assertUserError(
        () => parseDepositData(text([...ENTRIES.slice(0, 2), short]), FILE),
        FILE,
        "entry 2",
        `"${field}"`,
        "bytes of hex",
      );
      const notHex = {
        ...copy(0),
        [field]: String(copy(0)[field]).replace(/^./, "z"),
      };
      assertUserError(
        () => parseDepositData(text([notHex]), FILE),
        FILE,
        "entry 0",
        `"${field}"`,
        "bytes of hex",
      );
    });
  }

  it("rejects a bad amount", () => {
    for (const amount of [undefined, "32000000000", 0, -1, 1.5, 2 ** 53]) {
      const item = { ...copy(0), amount };
      assertUserError(
        () => parseDepositData(text([item]), FILE),
        FILE,
        "entry 0",
        '"amount"',
        "positive whole number",
      );
    }
  });

  it("rejects an amount other than the network's deposit", () => {
    const item = withConsistentRoot({ ...copy(1), amount: 1_000_000_000 });
    assertUserError(
      () => parseDepositData(text([ENTRIES[0], item]), FILE, { network: HOODI }),
      FILE,
      "entry 1",
      '"amount"',
      "1000000000 gwei",
      "32000000000 gwei",
      "32 ETH",
    );
  });

  it("names the deposit label of a Gnosis vault in the amount error", () => {
    const gnosis = resolveNetwork("gnosis", NO_DEVNET);
    const item = withConsistentRoot({ ...copy(0), amount: 1_000_000_000, fork_version: "00000064" });
    assertUserError(() => parseDepositData(text([item]), FILE, { network: gnosis }), "entry 0", "1 GNO");
  });

  it("rejects a duplicate pubkey, naming both entries", () => {
    assertUserError(
      () => parseDepositData(text([ENTRIES[0], ENTRIES[1], ENTRIES[0]]), FILE),
      FILE,
      "entry 2",
      "already in entry 0",
      `0x${ENTRIES[0]?.pubkey.slice(0, 16)}`,
    );
  });

  it("rejects a bad fork_version", () => {
    for (const forkVersion of ["0x1000091", 16, "zzzzzzzz"]) {
      const item = { ...copy(0), fork_version: forkVersion };
      assertUserError(() => parseDepositData(text([item]), FILE), FILE, "entry 0", '"fork_version"');
    }
  });

  it("rejects mixed fork versions, naming both networks", () => {
    const mainnetEntry = entry(1, { forkVersion: MAINNET.genesisForkVersion, networkName: "mainnet" });
    assertUserError(
      () => parseDepositData(text([ENTRIES[0], mainnetEntry]), FILE),
      FILE,
      "entry 1",
      "0x00000000 (mainnet)",
      "0x10000910 (hoodi)",
    );
  });

  it("rejects a fork version other than the vault network's", () => {
    const mainnetEntry = entry(0, { forkVersion: MAINNET.genesisForkVersion, networkName: "mainnet" });
    assertUserError(
      () => parseDepositData(text([mainnetEntry]), FILE, { network: HOODI }),
      FILE,
      "entry 0",
      "0x00000000 (mainnet)",
      "hoodi",
    );
  });

  it("calls an unknown fork version an unknown network", () => {
    const item = entry(1, { forkVersion: "0x12345678" });
    assertUserError(() => parseDepositData(text([ENTRIES[0], item]), FILE), "entry 1", "unknown network");
  });

  it("rejects withdrawal credentials that do not point at the vault", () => {
    const other = entry(1, { vault: OTHER_VAULT });
    assertUserError(
      () => parseDepositData(text([ENTRIES[0], other]), FILE, { vault: VAULT }),
      FILE,
      "entry 1",
      "withdrawal_credentials",
      VAULT,
      `0x01${"00".repeat(11)}${OTHER_VAULT.slice(2)}`,
    );
  });

  it("rejects withdrawal credentials that differ between entries when no vault is given", () => {
    const other = entry(2, { vault: OTHER_VAULT });
    assertUserError(
      () => parseDepositData(text([ENTRIES[0], ENTRIES[1], other]), FILE),
      FILE,
      "entry 2",
      "withdrawal_credentials",
      "entry 0",
    );
  });

  it("rejects a deposit_data_root that does not match the entry", () => {
    const item = { ...copy(1), deposit_data_root: ENTRIES[0]?.deposit_data_root };
    assertUserError(
      () => parseDepositData(text([ENTRIES[0], item]), FILE),
      FILE,
      "entry 1",
      "deposit_data_root",
    );
    const changedAmount = { ...copy(0), amount: 31_000_000_000 };
    assertUserError(
      () => parseDepositData(text([changedAmount]), FILE),
      FILE,
      "entry 0",
      "deposit_data_root",
    );
  });

  it("catches a bad signature with a consistent deposit_data_root when verifying signatures", () => {
    // Entry 1's signature (a valid G2 point) on entry 0's key, root recomputed to match.
    const item = withConsistentRoot({ ...copy(0), signature: ENTRIES[1]?.signature });
    assert.equal(parseDepositData(text([item]), FILE).length, 1);
    assertUserError(
      () => parseDepositData(text([ENTRIES[1], item]), FILE, { verifySignatures: true }),
      FILE,
      "entry 1",
      "signature",
    );
  });

  it("catches a signature that is not a curve point", () => {
    const item = withConsistentRoot({ ...copy(0), signature: "ab".repeat(96) });
    assertUserError(
      () => parseDepositData(text([item]), FILE, { verifySignatures: true }),
      "entry 0",
      "signature",
    );
  });

  it("catches a signature made for another network", () => {
    const mainnetSigned = withConsistentRoot({
      ...entry(0, { forkVersion: MAINNET.genesisForkVersion }),
      fork_version: "10000910",
    });
    assertUserError(
      () => parseDepositData(text([mainnetSigned]), FILE, { network: HOODI, verifySignatures: true }),
      "entry 0",
      "signature",
    );
  });

  it("verifies against the network's fork version when an entry has none, and fails without either", () => {
    const item = copy(0);
    delete item.fork_version;
    assert.equal(parseDepositData(text([item]), FILE, { network: HOODI, verifySignatures: true }).length, 1);
    assertUserError(
      () => parseDepositData(text([item]), FILE, { network: MAINNET, verifySignatures: true }),
      "entry 0",
      "signature",
    );
    assertUserError(
      () => parseDepositData(text([item]), FILE, { verifySignatures: true }),
      "entry 0",
      "fork_version",
    );
  });
});

describe("serializeDepositData", () => {
  it("writes the deposit CLI's field order and spacing", () => {
    const serialized = serializeDepositData([ENTRIES[0] as DepositDatumJson]);
    const e = ENTRIES[0] as DepositDatumJson;
    assert.equal(
      serialized,
      `[{"pubkey": "${e.pubkey}", "withdrawal_credentials": "${e.withdrawal_credentials}", "amount": 32000000000, ` +
        `"signature": "${e.signature}", "deposit_message_root": "${e.deposit_message_root}", ` +
        `"deposit_data_root": "${e.deposit_data_root}", "fork_version": "10000910", "network_name": "hoodi", ` +
        `"deposit_cli_version": "2.8.0"}]`,
    );
  });

  it("round-trips through parseDepositData", () => {
    const parsed = parseDepositData(serializeDepositData(ENTRIES), FILE, {
      vault: VAULT,
      network: HOODI,
      verifySignatures: true,
      keepJson: true,
    });
    assert.deepEqual(
      parsed.map((p) => p.json),
      ENTRIES,
    );
  });
});

describe("readDepositDataFile", () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "deposit-data-file-test-"));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("reads and checks a file", async () => {
    const file = join(dir, "deposit_data.json");
    await writeFile(file, serializeDepositData(ENTRIES));
    assert.equal((await readDepositDataFile(file, { vault: VAULT, network: HOODI })).length, 3);
  });

  it("rejects a missing file, naming it", async () => {
    const file = join(dir, "missing.json");
    await assert.rejects(readDepositDataFile(file), (error: unknown) => {
      assert.ok(error instanceof UserInputError);
      assert.ok(error.message.includes(file));
      assert.match(error.message, /does not exist/);
      return true;
    });
  });

  it("rejects an unreadable path (a directory), naming it", async () => {
    await assert.rejects(readDepositDataFile(dir), (error: unknown) => {
      assert.ok(error instanceof UserInputError);
      assert.ok(error.message.includes(dir));
      return true;
    });
  });

  it("names the file in parse errors", async () => {
    const file = join(dir, "empty.json");
    await writeFile(file, "[]");
    await assert.rejects(readDepositDataFile(file), (error: unknown) => {
      assert.ok(error instanceof UserInputError);
      assert.ok(error.message.includes(file));
      return true;
    });
  });
});
