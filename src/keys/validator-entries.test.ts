import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { readAppendixA } from "../../test/spec/appendix-a-vectors.ts";
import { parseHex, toPrefixedHex } from "../lib/hex.ts";
import {
  CONSOLIDATION_ENTRY_LENGTH,
  decodeConsolidationEntries,
  decodeValidatorDepositEntries,
  decodeWithdrawalEntries,
  encodeConsolidationEntries,
  encodeValidatorDepositEntries,
  encodeValidatorDepositEntry,
  encodeWithdrawalEntries,
  isAmbiguousDepositBatchLength,
  REGISTRATION_MAX_GWEI,
  REGISTRATION_MIN_GWEI,
  V1_ENTRY_LENGTH,
  V2_ENTRY_LENGTH,
  ValidatorEntryError,
  WITHDRAWAL_ENTRY_LENGTH,
} from "./validator-entries.ts";

const bytes = (length: number, fill: number) => new Uint8Array(length).fill(fill);
const key = (fill: number) => bytes(48, fill);
const entry = (fill: number, amountGwei?: bigint) => ({
  publicKey: key(fill),
  signature: bytes(96, fill + 1),
  depositDataRoot: bytes(32, fill + 2),
  ...(amountGwei === undefined ? {} : { amountGwei }),
});
const rejects = (fn: () => unknown, fragment: string) =>
  assert.throws(fn, (e: unknown) => e instanceof ValidatorEntryError && e.message.includes(fragment));

describe("validator entries: the layouts of v3-core v4.0.1 ValidatorUtils.sol", () => {
  it("has the lengths the library declares", () => {
    // ValidatorUtils.sol:19 `uint256 private constant _validatorV1DepositLength = 176;`
    assert.equal(V1_ENTRY_LENGTH, 176);
    // ValidatorUtils.sol:20 `uint256 private constant _validatorV2DepositLength = 184;`
    assert.equal(V2_ENTRY_LENGTH, 184);
    // ValidatorUtils.sol:21 `uint256 private constant _validatorWithdrawalLength = 56;`
    assert.equal(WITHDRAWAL_ENTRY_LENGTH, 56);
    // ValidatorUtils.sol:22 `uint256 private constant _validatorConsolidationLength = 96;`
    assert.equal(CONSOLIDATION_ENTRY_LENGTH, 96);
    // ValidatorUtils.sol:23 `_validatorMinEffectiveBalance = 32 ether;` :24 `_validatorMaxEffectiveBalance = 2048 ether;`
    assert.equal(REGISTRATION_MIN_GWEI, 32n * 10n ** 9n);
    assert.equal(REGISTRATION_MAX_GWEI, 2048n * 10n ** 9n);
  });

  it("places pubkey, signature, root and the big-endian gwei amount where the vault slices them", () => {
    const encoded = encodeValidatorDepositEntry(entry(1, 0x0102030405060708n));
    assert.equal(encoded.length, 184);
    // ValidatorUtils.sol:75 `validatorDeposit.publicKey = validator[:48];`
    assert.deepEqual(encoded.slice(0, 48), key(1));
    // ValidatorUtils.sol:76 `validatorDeposit.signature = validator[48:144];`
    assert.deepEqual(encoded.slice(48, 144), bytes(96, 2));
    // ValidatorUtils.sol:77 `validatorDeposit.depositDataRoot = bytes32(validator[144:176]);`
    assert.deepEqual(encoded.slice(144, 176), bytes(32, 3));
    // ValidatorUtils.sol:87 `validatorDeposit.depositAmount = (uint256(uint64(bytes8(validator[176:184]))) * 1 gwei);`
    assert.deepEqual([...encoded.slice(176, 184)], [1, 2, 3, 4, 5, 6, 7, 8]);
    assert.equal(encodeValidatorDepositEntry(entry(1)).length, 176);
  });

  it("encodes the spec's 0x02 validators-manager vector byte for byte (Appendix A, validators_manager_v4)", () => {
    const vector = readAppendixA();
    const key0 = vector.keys[0];
    const deposit = key0?.deposits.mainnet_0x02_32eth;
    assert.ok(key0 && deposit);
    const encoded = encodeValidatorDepositEntries([
      {
        publicKey: parseHex(key0.pubkey, 48) as Uint8Array,
        signature: parseHex(deposit.signature, 96) as Uint8Array,
        depositDataRoot: parseHex(deposit.deposit_data_root, 32) as Uint8Array,
        amountGwei: BigInt(deposit.amount_gwei),
      },
    ]);
    assert.equal(toPrefixedHex(encoded), vector.validators_manager_v4.validators);
  });

  it("decodes a batch's type from its length, as getIsV1Validators does", () => {
    const v1 = decodeValidatorDepositEntries(encodeValidatorDepositEntries([entry(1), entry(5)]));
    assert.equal(v1.type, "0x01");
    assert.deepEqual(v1.entries, [entry(1), entry(5)]);
    const v2 = decodeValidatorDepositEntries(
      encodeValidatorDepositEntries([entry(1, 32_000_000_000n), entry(5, 2_048_000_000_000n)]),
    );
    assert.equal(v2.type, "0x02");
    assert.deepEqual(v2.entries, [entry(1, 32_000_000_000n), entry(5, 2_048_000_000_000n)]);
  });

  it("refuses what the vault refuses: empty, ragged and ambiguous lengths, mixed types", () => {
    // ValidatorUtils.sol:100 `if (validatorsLength == 0 || (isV1Validators && isV2Validators) || (!isV1Validators && !isV2Validators)) {`
    rejects(() => decodeValidatorDepositEntries(new Uint8Array(0)), "0 bytes");
    rejects(() => decodeValidatorDepositEntries(new Uint8Array(177)), "177 bytes");
    rejects(() => decodeValidatorDepositEntries(new Uint8Array(4048)), "4048 bytes");
    assert.equal(isAmbiguousDepositBatchLength(23 * 176), true);
    assert.equal(isAmbiguousDepositBatchLength(22 * 184), true);
    assert.equal(isAmbiguousDepositBatchLength(22 * 176), false);
    rejects(
      () => encodeValidatorDepositEntries(Array.from({ length: 23 }, (_, i) => entry(i))),
      "send fewer",
    );
    rejects(
      () => encodeValidatorDepositEntries(Array.from({ length: 22 }, (_, i) => entry(i, 32_000_000_000n))),
      "send fewer",
    );
    assert.equal(
      encodeValidatorDepositEntries(Array.from({ length: 22 }, (_, i) => entry(i))).length,
      22 * 176,
    );
    rejects(
      () => encodeValidatorDepositEntries([entry(1), entry(2, 32_000_000_000n)]),
      "mixes 0x01 and 0x02",
    );
    rejects(() => encodeValidatorDepositEntries([]), "no validators");
  });

  it("refuses keys, signatures, roots and amounts of the wrong size", () => {
    rejects(() => encodeValidatorDepositEntry({ ...entry(1), publicKey: bytes(47, 1) }), "public key is 47");
    rejects(() => encodeValidatorDepositEntry({ ...entry(1), signature: bytes(95, 1) }), "signature is 95");
    rejects(() => encodeValidatorDepositEntry({ ...entry(1), depositDataRoot: bytes(31, 1) }), "root is 31");
    rejects(() => encodeValidatorDepositEntry(entry(1, 1n << 64n)), "not a uint64");
    rejects(() => encodeValidatorDepositEntry(entry(1, -1n)), "not a uint64");
  });
});

describe("withdrawal entries (EIP-7002 through the vault)", () => {
  it("is pubkey ‖ uint64 gwei big-endian, 0 for a full exit", () => {
    const encoded = encodeWithdrawalEntries([
      { publicKey: key(7), amountGwei: 0n },
      { publicKey: key(8), amountGwei: 1_000_000_000n },
    ]);
    assert.equal(encoded.length, 112);
    // ValidatorUtils.sol:198 `bytes calldata publicKey = validator[:48];`
    assert.deepEqual(encoded.slice(0, 48), key(7));
    // ValidatorUtils.sol:201 `uint256 withdrawnAmount = (uint256(uint64(bytes8(validator[48:56]))) * 1 gwei);`
    assert.deepEqual([...encoded.slice(48, 56)], [0, 0, 0, 0, 0, 0, 0, 0]);
    assert.deepEqual([...encoded.slice(104, 112)], [0, 0, 0, 0, 0x3b, 0x9a, 0xca, 0x00]);
    assert.deepEqual(decodeWithdrawalEntries(encoded), [
      { publicKey: key(7), amountGwei: 0n },
      { publicKey: key(8), amountGwei: 1_000_000_000n },
    ]);
  });

  it("refuses bad lengths", () => {
    // ValidatorUtils.sol:189 `if (validatorsCount == 0 || validators.length % _validatorWithdrawalLength != 0) {`
    rejects(() => decodeWithdrawalEntries(new Uint8Array(57)), "57 bytes");
    rejects(() => decodeWithdrawalEntries(new Uint8Array(0)), "0 bytes");
    rejects(() => encodeWithdrawalEntries([{ publicKey: key(1).slice(1), amountGwei: 0n }]), "47 bytes");
    rejects(() => encodeWithdrawalEntries([]), "no withdrawals");
  });
});

describe("consolidation entries (EIP-7251 through the vault)", () => {
  it("is source pubkey ‖ target pubkey", () => {
    const encoded = encodeConsolidationEntries([{ sourcePublicKey: key(1), targetPublicKey: key(2) }]);
    // ValidatorUtils.sol:234 `fromPublicKey = validator[:48];` :235 `toPublicKey = validator[48:96];`
    assert.deepEqual(encoded.slice(0, 48), key(1));
    assert.deepEqual(encoded.slice(48, 96), key(2));
    assert.deepEqual(decodeConsolidationEntries(encoded), [
      { sourcePublicKey: key(1), targetPublicKey: key(2) },
    ]);
  });

  it("refuses bad lengths", () => {
    // ValidatorUtils.sol:257 `if (validatorsCount == 0 || validators.length % _validatorConsolidationLength != 0) {`
    rejects(() => decodeConsolidationEntries(new Uint8Array(95)), "95 bytes");
    rejects(
      () => encodeConsolidationEntries([{ sourcePublicKey: key(1), targetPublicKey: bytes(49, 1) }]),
      "target public key is 49 bytes",
    );
  });
});
