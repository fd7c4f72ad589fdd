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
  recoverTypedDataAddress,
  stringToHex,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { readAppendixA } from "../../test/spec/appendix-a-vectors.ts";
import {
  consolidationsCheckerDomain,
  consolidationsCheckerTypedData,
  nonceAsRegistryRoot,
  vaultValidatorsDomain,
  vaultValidatorsTypedData,
} from "./vault-validators-eip712.ts";

const text = (s: string) => keccak256(stringToHex(s));

/**
 * The digest the contracts compute, written out from v3-core v4.0.1's source with its own type
 * strings, without viem's typed-data code.
 */
function contractDigest(
  domainName: string,
  chainId: number,
  verifyingContract: Address,
  structHash: Hex,
): Hex {
  // EIP712Utils.sol:12 `keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");`
  // EIP712Utils.sol:13 `bytes32 private constant _versionHash = keccak256("1");`
  // EIP712Utils.sol:24 `abi.encode(_domainTypeHash, keccak256(bytes(name)), _versionHash, block.chainid, verifyingContract)`
  const domainSeparator = keccak256(
    encodeAbiParameters(
      [
        { type: "bytes32" },
        { type: "bytes32" },
        { type: "bytes32" },
        { type: "uint256" },
        { type: "address" },
      ],
      [
        text("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"),
        text(domainName),
        text("1"),
        BigInt(chainId),
        verifyingContract,
      ],
    ),
  );
  // MessageHashUtils.toTypedDataHash: keccak256("\x19\x01" ‖ domainSeparator ‖ structHash)
  return keccak256(concat(["0x1901", domainSeparator, structHash]));
}

const VAULT = "0x3320ad928c20187602a2b2c04eeaa813fa899468" as const;
const CHECKER = "0x033E5BaE5bdc459CBb7d388b41a9d62020Be810F" as const;
const VALIDATORS = `0x${"ab".repeat(96)}` as const;

describe("VaultValidators EIP-712", () => {
  it("hashes as ValidatorUtils.isValidManagerSignature does", () => {
    const root = `0x${"11".repeat(32)}` as const;
    // ValidatorUtils.sol:18 `keccak256("VaultValidators(bytes32 validatorsRegistryRoot,bytes validators)");`
    // ValidatorUtils.sol:59 `domainSeparator, keccak256(abi.encode(_validatorsManagerTypeHash, nonce, keccak256(validators)))`
    const structHash = keccak256(
      encodeAbiParameters(
        [{ type: "bytes32" }, { type: "bytes32" }, { type: "bytes32" }],
        [
          text("VaultValidators(bytes32 validatorsRegistryRoot,bytes validators)"),
          root,
          keccak256(VALIDATORS),
        ],
      ),
    );
    // VaultValidators.sol:241 `return EIP712Utils.computeDomainSeparator("VaultValidators", address(this));`
    assert.equal(
      hashTypedData(
        vaultValidatorsTypedData(vaultValidatorsDomain(560048, VAULT), {
          validatorsRegistryRoot: root,
          validators: VALIDATORS,
        }),
      ),
      contractDigest("VaultValidators", 560048, VAULT, structHash),
    );
  });

  it("matches the spec's vector and recovers the hot wallet from its signature (Appendix A)", async () => {
    const v = readAppendixA().validators_manager_v4;
    const typedData = vaultValidatorsTypedData(
      vaultValidatorsDomain(v.chainId, v.verifyingContract as Address),
      {
        validatorsRegistryRoot: v.validatorsRegistryRoot as Hex,
        validators: v.validators as Hex,
      },
    );
    assert.equal(hashTypedData(typedData), v.digest);
    const signer = await recoverTypedDataAddress({
      ...typedData,
      signature: v.signature_by_hot_wallet as Hex,
    });
    assert.equal(signer, getAddress(readAppendixA().hot_wallet_address_m44_60_0_0_0));
  });

  it("round-trips a signature made with viem", async () => {
    const account = privateKeyToAccount(`0x${"42".repeat(32)}`);
    const typedData = vaultValidatorsTypedData(vaultValidatorsDomain(1, VAULT), {
      validatorsRegistryRoot: nonceAsRegistryRoot(7n),
      validators: VALIDATORS,
    });
    const signature = await account.signTypedData(typedData);
    assert.equal(await recoverTypedDataAddress({ ...typedData, signature }), account.address);
  });

  it("puts the nonce in the root slot as bytes32(validatorsManagerNonce)", () => {
    // VaultValidators.sol:126 `if (!_isValidatorsManager(validators, bytes32(validatorsManagerNonce), validatorsManagerSignature)) {`
    assert.equal(nonceAsRegistryRoot(0n), `0x${"00".repeat(32)}`);
    assert.equal(nonceAsRegistryRoot(258n), `0x${"00".repeat(30)}0102`);
    assert.throws(() => nonceAsRegistryRoot(-1n), RangeError);
  });
});

describe("ConsolidationsChecker EIP-712", () => {
  it("hashes as ConsolidationsChecker.isValidSignatures does", () => {
    // ConsolidationsChecker.sol:19 `keccak256("ConsolidationsChecker(address vault,bytes validators)");`
    // ConsolidationsChecker.sol:51 `keccak256(abi.encode(_consolidationsCheckerTypeHash, vault, keccak256(validators))),`
    const structHash = keccak256(
      encodeAbiParameters(
        [{ type: "bytes32" }, { type: "address" }, { type: "bytes32" }],
        [text("ConsolidationsChecker(address vault,bytes validators)"), VAULT, keccak256(VALIDATORS)],
      ),
    );
    // ConsolidationsChecker.sol:27 `constructor(address keeper) EIP712("ConsolidationsChecker", "1") {`
    // (OpenZeppelin's EIP712 domain: name, version, chainId, the checker's own address)
    assert.equal(
      hashTypedData(
        consolidationsCheckerTypedData(consolidationsCheckerDomain(1, CHECKER), {
          vault: VAULT,
          validators: VALIDATORS,
        }),
      ),
      contractDigest("ConsolidationsChecker", 1, CHECKER, structHash),
    );
  });

  it("recovers an oracle from its approval", async () => {
    const oracle = privateKeyToAccount(`0x${"07".repeat(32)}`);
    const typedData = consolidationsCheckerTypedData(consolidationsCheckerDomain(100, CHECKER), {
      vault: VAULT,
      validators: VALIDATORS,
    });
    const signature = await oracle.signTypedData(typedData);
    assert.equal(await recoverTypedDataAddress({ ...typedData, signature }), oracle.address);
  });
});
