/**
 * Deposit data against the official deposit CLI's output (test/vectors/deposit-cli/): every
 * field of every entry must be reproduced, deposit_cli_version aside.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { PublicKey, Signature, verify } from "@chainsafe/blst";
import { deriveValidatorKey } from "../../src/crypto/bls-keys.ts";
import { mnemonicToSeed, parseMnemonic } from "../../src/crypto/mnemonic.ts";
import { computeDepositDomain, computeSigningRoot } from "../../src/crypto/signing.ts";
import { buildDepositDatum, type DepositDatumJson, depositDataRoot } from "../../src/keys/deposit-datum.ts";
import { vaultWithdrawalCredentials } from "../../src/keys/withdrawal-credentials.ts";
import {
  bytesHex,
  DEPOSIT_CLI_MNEMONIC,
  DEPOSIT_CLI_WITHDRAWAL_ADDRESS,
  hexBytes,
  listVectorFiles,
  readVectorJson,
} from "./vectors.ts";

const GENESIS_FORK_VERSIONS: Record<string, string> = { mainnet: "00000000", hoodi: "10000910" };

const folders = [
  { folder: "mainnet-scrypt", network: "mainnet", indexes: [0, 1, 2, 3] },
  { folder: "hoodi-scrypt", network: "hoodi", indexes: [0, 1, 2, 3] },
  { folder: "mainnet-start2-pbkdf2", network: "mainnet", indexes: [2, 3] },
] as const;

const seed = mnemonicToSeed(parseMnemonic(DEPOSIT_CLI_MNEMONIC));
const withdrawalCredentials = vaultWithdrawalCredentials(DEPOSIT_CLI_WITHDRAWAL_ADDRESS);
const AMOUNT_GWEI = 32_000_000_000;

describe("deposit data of the deposit CLI", () => {
  it("0x01 withdrawal credentials of the README's address", () => {
    assert.equal(
      bytesHex(withdrawalCredentials),
      "010000000000000000000000eefffd4c23d2e8c845870e273861e7d60df49663",
    );
  });

  for (const { folder, network, indexes } of folders) {
    describe(folder, () => {
      const files = listVectorFiles(`deposit-cli/${folder}/`, /^deposit_data-\d+\.json$/);
      assert.equal(files.length, 1, `one deposit_data file in ${folder}`);
      const entries = readVectorJson<DepositDatumJson[]>(`deposit-cli/${folder}/${files[0]}`);

      it(`has one entry for each of validators ${indexes.join(", ")}`, () => {
        assert.equal(entries.length, indexes.length);
      });

      for (const [i, entry] of entries.entries()) {
        const index = indexes[i] as number;
        it(`validator ${index}: every field but deposit_cli_version`, () => {
          assert.equal(entry.network_name, network);
          assert.equal(entry.fork_version, GENESIS_FORK_VERSIONS[network]);
          const key = deriveValidatorKey(seed, index);
          const ours = buildDepositDatum({
            secretKey: key.secretKey,
            publicKey: key.publicKey,
            withdrawalCredentials,
            amountGwei: AMOUNT_GWEI,
            genesisForkVersion: hexBytes(entry.fork_version),
            networkName: entry.network_name,
          });
          const { deposit_cli_version: _ours, ...oursCompared } = ours;
          const { deposit_cli_version: _theirs, ...theirsCompared } = entry;
          assert.deepEqual(oursCompared, theirsCompared);
          assert.deepEqual(Object.keys(ours), Object.keys(entry), "same field order as the CLI");
        });

        it(`validator ${index}: the CLI's signature verifies and its data root recomputes`, () => {
          const signingRoot = computeSigningRoot(
            hexBytes(entry.deposit_message_root),
            computeDepositDomain(hexBytes(entry.fork_version)),
          );
          const signature = hexBytes(entry.signature);
          assert.ok(
            verify(
              signingRoot,
              PublicKey.fromBytes(hexBytes(entry.pubkey), true),
              Signature.fromBytes(signature, true),
            ),
          );
          const root = depositDataRoot(
            hexBytes(entry.pubkey),
            hexBytes(entry.withdrawal_credentials),
            entry.amount,
            signature,
          );
          assert.equal(bytesHex(root), entry.deposit_data_root);
        });
      }
    });
  }
});
