/**
 * The devnet deposit contract against the consensus spec: its root is hash_tree_root of the
 * DepositData list (checked with @chainsafe/ssz after every deposit), events carry little-endian
 * amount and index, and malformed deposits revert with the official reasons.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { type Address, type Hex, hexToBytes, parseEventLogs } from "viem";
import { depositContractAbi } from "../../src/chain/abi/deposit-contract.ts";
import { deriveValidatorKey } from "../../src/crypto/bls-keys.ts";
import { mnemonicToSeed } from "../../src/crypto/mnemonic.ts";
import { DEVNET_GENESIS_FORK_VERSION } from "../../src/devnet/deploy.ts";
import { buildDepositDatum, type DepositDatumJson } from "../../src/keys/deposit-datum.ts";
import { vaultWithdrawalCredentials } from "../../src/keys/withdrawal-credentials.ts";
import { TEST_MNEMONIC } from "../support/cli.ts";
import { type DevnetChain, startDevnetChain } from "../support/devnet-chain.ts";
import { assertRevertReason, expectedDepositRoot, littleEndian64, mined } from "./fixtures.ts";

/** Root of the empty deposit tree (the mainnet deposit contract's root at deployment). */
const EMPTY_DEPOSIT_ROOT = "0xd70a234731285c6804c2a4f56711ddb8c82c99740f207854891028af34e27e5e";
/** ERC-165 id of IDepositContract: deposit ^ get_deposit_root ^ get_deposit_count selectors. */
const DEPOSIT_CONTRACT_INTERFACE_ID = "0x85640907";

describe("DepositContract on the devnet", () => {
  let devnet: DevnetChain;
  let address: Address;
  const deposited: DepositDatumJson[] = [];

  before(async () => {
    devnet = await startDevnetChain({ oracles: 1 });
    address = devnet.protocol.depositContract.address;
  });
  after(async () => {
    await devnet?.stop();
  });

  /** Real deposit data of legal-winner key `index` with 0x01 credentials to `owner`. */
  function datum(index: number, amountGwei: number): DepositDatumJson {
    const key = deriveValidatorKey(mnemonicToSeed(TEST_MNEMONIC), index);
    return buildDepositDatum({
      secretKey: key.secretKey,
      publicKey: key.publicKey,
      withdrawalCredentials: vaultWithdrawalCredentials(devnet.accounts.depositor.address),
      amountGwei,
      genesisForkVersion: hexToBytes(DEVNET_GENESIS_FORK_VERSION),
      networkName: "devnet",
    });
  }

  const args = (d: DepositDatumJson) =>
    [`0x${d.pubkey}`, `0x${d.withdrawal_credentials}`, `0x${d.signature}`, `0x${d.deposit_data_root}`] as [
      Hex,
      Hex,
      Hex,
      Hex,
    ];
  const deposit = (depositArgs: [Hex, Hex, Hex, Hex], value: bigint) =>
    devnet.clients.depositor.writeContract({
      address,
      abi: depositContractAbi,
      functionName: "deposit",
      args: depositArgs,
      value,
    });
  const read = <F extends "get_deposit_root" | "get_deposit_count">(functionName: F) =>
    devnet.clients.depositor.readContract({ address, abi: depositContractAbi, functionName });

  it("starts empty and supports ERC-165 with the deposit contract interface", async () => {
    assert.equal(await read("get_deposit_root"), EMPTY_DEPOSIT_ROOT);
    assert.equal(await read("get_deposit_count"), littleEndian64(0n));
    const supports = (id: Hex) =>
      devnet.clients.depositor.readContract({
        address,
        abi: depositContractAbi,
        functionName: "supportsInterface",
        args: [id],
      });
    assert.equal(await supports("0x01ffc9a7"), true);
    assert.equal(await supports(DEPOSIT_CONTRACT_INTERFACE_ID), true);
    assert.equal(await supports("0xffffffff"), false);
  });

  it("tracks hash_tree_root of the deposit list over several deposits", async () => {
    const amounts = [32_000_000_000, 1_000_000_000, 2_500_000_000, 32_000_000_000, 1_000_000_001];
    for (const [k, amountGwei] of amounts.entries()) {
      const d = datum(10 + k, amountGwei);
      const receipt = await mined(devnet.clients.depositor, deposit(args(d), BigInt(amountGwei) * 10n ** 9n));
      deposited.push(d);
      const [event] = parseEventLogs({
        abi: depositContractAbi,
        logs: receipt.logs,
        eventName: "DepositEvent",
      });
      assert.deepEqual(event?.args, {
        pubkey: `0x${d.pubkey}`,
        withdrawal_credentials: `0x${d.withdrawal_credentials}`,
        amount: littleEndian64(BigInt(amountGwei)),
        signature: `0x${d.signature}`,
        index: littleEndian64(BigInt(k)),
      });
      assert.equal(await read("get_deposit_root"), expectedDepositRoot(deposited));
      assert.equal(await read("get_deposit_count"), littleEndian64(BigInt(deposited.length)));
    }
  });

  it("rejects malformed deposits with the official reasons", async () => {
    const d = datum(20, 32_000_000_000);
    const [pubkey, credentials, signature, root] = args(d);
    const value = 32n * 10n ** 18n;
    const cases: [[Hex, Hex, Hex, Hex], bigint, string][] = [
      [[`${pubkey}00`, credentials, signature, root], value, "DepositContract: invalid pubkey length"],
      [
        [pubkey, `${credentials}00`, signature, root],
        value,
        "DepositContract: invalid withdrawal_credentials length",
      ],
      [[pubkey, credentials, `${signature}00`, root], value, "DepositContract: invalid signature length"],
      [
        [pubkey, credentials, signature, root],
        10n ** 18n - 10n ** 9n,
        "DepositContract: deposit value too low",
      ],
      [
        [pubkey, credentials, signature, root],
        value + 1n,
        "DepositContract: deposit value not multiple of gwei",
      ],
      [
        [pubkey, credentials, signature, root],
        value - 10n ** 9n,
        "DepositContract: reconstructed DepositData does not match supplied deposit_data_root",
      ],
    ];
    for (const [depositArgs, amount, reason] of cases) {
      await assertRevertReason(deposit(depositArgs, amount), reason);
    }
    assert.equal(await read("get_deposit_root"), expectedDepositRoot(deposited));
  });
});
