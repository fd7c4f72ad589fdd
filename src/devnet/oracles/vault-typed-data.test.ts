import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  type Address,
  concat,
  encodeAbiParameters,
  getAddress,
  type Hex,
  hashTypedData,
  keccak256,
  stringToBytes,
} from "viem";
import { consolidationsCheckerTypedData, vaultValidatorsTypedData } from "./vault-typed-data.ts";

const CHAIN_ID = 17000;
const VAULT: Address = getAddress("0x8a94e1d22d83990205843cda08376d16f150c9bb");
const CHECKER: Address = getAddress("0x0000000000000000000000000000000000c0ffee");
const VALIDATORS: Hex = `0x${"ab".repeat(96)}`;
const ROOT: Hex = `0x${"5e".repeat(32)}`;

/**
 * The digests as the contracts build them by hand, from the strings in v3-core v4.0.1:
 * toTypedDataHash(domainSeparator, keccak256(abi.encode(typeHash, …, keccak256(validators)))).
 */
function domainSeparator(name: string, verifyingContract: Address): Hex {
  // contracts/libraries/EIP712Utils.sol:12
  //   keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");
  // contracts/libraries/EIP712Utils.sol:13  bytes32 private constant _versionHash = keccak256("1");
  const domainTypeHash = keccak256(
    stringToBytes("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"),
  );
  return keccak256(
    encodeAbiParameters(
      [
        { type: "bytes32" },
        { type: "bytes32" },
        { type: "bytes32" },
        { type: "uint256" },
        { type: "address" },
      ],
      [
        domainTypeHash,
        keccak256(stringToBytes(name)),
        keccak256(stringToBytes("1")),
        BigInt(CHAIN_ID),
        verifyingContract,
      ],
    ),
  );
}

const typedDataHash = (separator: Hex, structHash: Hex): Hex =>
  keccak256(concat(["0x1901", separator, structHash]));

describe("EIP-712 messages of v3-core v4.0.1", () => {
  it("VaultValidators matches ValidatorUtils' type hash and struct", () => {
    // contracts/libraries/ValidatorUtils.sol:18
    //   keccak256("VaultValidators(bytes32 validatorsRegistryRoot,bytes validators)");
    const typeHash = keccak256(
      stringToBytes("VaultValidators(bytes32 validatorsRegistryRoot,bytes validators)"),
    );
    // contracts/libraries/ValidatorUtils.sol:59
    //   domainSeparator, keccak256(abi.encode(_validatorsManagerTypeHash, nonce, keccak256(validators)))
    // contracts/vaults/modules/VaultValidators.sol:241
    //   return EIP712Utils.computeDomainSeparator("VaultValidators", address(this));
    const structHash = keccak256(
      encodeAbiParameters(
        [{ type: "bytes32" }, { type: "bytes32" }, { type: "bytes32" }],
        [typeHash, ROOT, keccak256(VALIDATORS)],
      ),
    );
    const expected = typedDataHash(domainSeparator("VaultValidators", VAULT), structHash);
    const ours = hashTypedData(
      vaultValidatorsTypedData(CHAIN_ID, VAULT, { validatorsRegistryRoot: ROOT, validators: VALIDATORS }),
    );
    assert.equal(ours, expected);
  });

  it("ConsolidationsChecker matches the checker's type hash, domain and struct", () => {
    // contracts/validators/ConsolidationsChecker.sol:19
    //   keccak256("ConsolidationsChecker(address vault,bytes validators)");
    const typeHash = keccak256(stringToBytes("ConsolidationsChecker(address vault,bytes validators)"));
    // contracts/validators/ConsolidationsChecker.sol:51
    //   keccak256(abi.encode(_consolidationsCheckerTypeHash, vault, keccak256(validators))),
    const structHash = keccak256(
      encodeAbiParameters(
        [{ type: "bytes32" }, { type: "address" }, { type: "bytes32" }],
        [typeHash, VAULT, keccak256(VALIDATORS)],
      ),
    );
    // contracts/validators/ConsolidationsChecker.sol:27
    //   constructor(address keeper) EIP712("ConsolidationsChecker", "1") {
    const expected = typedDataHash(domainSeparator("ConsolidationsChecker", CHECKER), structHash);
    const ours = hashTypedData(
      consolidationsCheckerTypedData(CHAIN_ID, CHECKER, { vault: VAULT, validators: VALIDATORS }),
    );
    assert.equal(ours, expected);
  });
});
