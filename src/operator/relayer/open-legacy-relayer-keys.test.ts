import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { SecretKey } from "@chainsafe/blst";
import { memoryLogger } from "../../../test/support/memory-logger.ts";
import { NETWORK, VAULT } from "../../../test/support/oracle-fixtures.ts";
import { serializeDepositData } from "../../keys/deposit-data-file.ts";
import { buildDepositDatum } from "../../keys/deposit-datum.ts";
import { vaultWithdrawalCredentials } from "../../keys/withdrawal-credentials.ts";
import { parseHex, toPrefixedHex } from "../../lib/hex.ts";
import { createLegacyRelayerClient, type LegacyRelayerClient } from "./legacy-relayer-client.ts";
import { openLegacyRelayerKeys } from "./open-legacy-relayer-keys.ts";

const dir = await mkdtemp(join(tmpdir(), "legacy-keys-"));
after(() => rm(dir, { recursive: true, force: true }));
const secretKey = SecretKey.fromKeygen(new Uint8Array(32).fill(9));
const depositDataFile = join(dir, "deposit_data.json");
await writeFile(
  depositDataFile,
  serializeDepositData([
    buildDepositDatum({
      secretKey,
      publicKey: secretKey.toPublicKey().toBytes(true),
      withdrawalCredentials: vaultWithdrawalCredentials(VAULT),
      amountGwei: 32_000_000_000,
      genesisForkVersion: parseHex(NETWORK.genesisForkVersion, 4) as Uint8Array,
      networkName: NETWORK.name,
    }),
  ]),
);

const relayerOn = (network: string): LegacyRelayerClient => ({
  endpoint: "http://relayer.test",
  info: async () => ({ network }),
  validators: async () => ({ ready: false, validators: [] }),
  exitIndexes: async () => new Map(),
});

/** A loopback port nobody listens on. */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const open = (relayer: LegacyRelayerClient, file = depositDataFile) =>
  openLegacyRelayerKeys({
    relayer,
    network: NETWORK,
    vault: VAULT,
    depositDataFile: file,
    log: memoryLogger(),
  });

describe("opening the keys of a legacy relayer (start --relayer-protocol legacy)", () => {
  it("holds the deposit data's keys once the relayer serves the vault's network", async () => {
    const signer = await open(relayerOn(NETWORK.name));
    assert.deepEqual(signer.publicKeys(), [toPrefixedHex(secretKey.toPublicKey().toBytes(true))]);
    assert.match(signer.description, /legacy/);
  });

  it("refuses in one line: a relayer that does not answer, another network, no deposit data file", async () => {
    const dead = createLegacyRelayerClient({
      endpoint: `http://127.0.0.1:${await deadPort()}`,
      timeoutMs: 2_000,
    });
    await assert.rejects(open(dead), {
      name: "OperatorError",
      message:
        /^the relayer at --relayer-endpoint http:\/\/127\.0\.0\.1:\d+ does not answer GET \/info \(.+\): start it, or fix --relayer-endpoint$/,
    });
    await assert.rejects(open(relayerOn("hoodi")), {
      name: "UserInputError",
      message: /serves hoodi but the vault is on devnet: pass the relayer of devnet in --relayer-endpoint/,
    });
    await assert.rejects(open(relayerOn(NETWORK.name), join(dir, "missing.json")), {
      name: "UserInputError",
      message: /missing\.json does not exist: .*--deposit-data-file, or use --relayer-protocol v4/,
    });
  });
});
