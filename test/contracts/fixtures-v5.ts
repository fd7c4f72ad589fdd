/**
 * Pieces of the version-5 vault tests: deposit data entries of either validator type, the
 * validators manager's EIP-712 signature (made with viem, not with project code) and the oracles'
 * consolidation approval.
 *
 * Byte layouts and type strings below are those of StakeWise v3-core v4.0.1, quoted where used.
 */
import { type Abi, type Address, concat, type Hex, hexToBytes, numberToHex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { deriveValidatorKey } from "../../src/crypto/bls-keys.ts";
import { mnemonicToSeed } from "../../src/crypto/mnemonic.ts";
import {
  DEVNET_GENESIS_FORK_VERSION,
  type DevnetContractName,
  loadArtifact,
} from "../../src/devnet/deploy.ts";
import { buildDepositDatum, type DepositDatumJson } from "../../src/keys/deposit-datum.ts";
import { vaultWithdrawalCredentials } from "../../src/keys/withdrawal-credentials.ts";
import { TEST_MNEMONIC } from "../support/cli.ts";
import type { DevnetChain } from "../support/devnet-chain.ts";

export const abiOf = (name: DevnetContractName): Abi => loadArtifact(name).abi;

export interface ValidatorEntry {
  datum: DepositDatumJson;
  pubkey: Hex;
  /** The registration / top-up bytes: 176 (0x01) or 184 (0x02). */
  bytes: Hex;
}

/**
 * Deposit data of legal-winner key `keyIndex` for `vault`, signed for the devnet genesis fork.
 * v3-core v4.0.1 ValidatorUtils.sol:19 `_validatorV1DepositLength = 176;` and :20
 * `_validatorV2DepositLength = 184;`, the amount read at :87
 * `(uint256(uint64(bytes8(validator[176:184]))) * 1 gwei)`: a 0x02 entry appends the gwei amount
 * as 8 big-endian bytes.
 */
export function validatorEntry(
  vault: Address,
  keyIndex: number,
  type: 0x01 | 0x02,
  amountGwei: number,
): ValidatorEntry {
  const key = deriveValidatorKey(mnemonicToSeed(TEST_MNEMONIC), keyIndex);
  const datum = buildDepositDatum({
    secretKey: key.secretKey,
    publicKey: key.publicKey,
    withdrawalCredentials: vaultWithdrawalCredentials(vault, type),
    amountGwei,
    genesisForkVersion: hexToBytes(DEVNET_GENESIS_FORK_VERSION),
    networkName: "devnet",
  });
  const head = concat([`0x${datum.pubkey}`, `0x${datum.signature}`, `0x${datum.deposit_data_root}`]);
  const bytes = type === 0x01 ? head : concat([head, numberToHex(BigInt(amountGwei), { size: 8 })]);
  return { datum, pubkey: `0x${datum.pubkey}`, bytes };
}

/** pubkey ‖ uint64 BE gwei: one EIP-7002 request (ValidatorUtils.sol:21 `_validatorWithdrawalLength = 56;`). */
export function withdrawalEntry(pubkey: Hex, amountGwei: bigint): Hex {
  return concat([pubkey, numberToHex(amountGwei, { size: 8 })]);
}

/**
 * The validators manager's signature, computed with viem from the v4.0.1 definitions:
 * ValidatorUtils.sol:18 `keccak256("VaultValidators(bytes32 validatorsRegistryRoot,bytes validators)");`
 * VaultValidators.sol:241 `EIP712Utils.computeDomainSeparator("VaultValidators", address(this));`
 * EIP712Utils.sol:13 `_versionHash = keccak256("1");`
 */
export function signAsManager(
  privateKey: Hex,
  chainId: number,
  vault: Address,
  validatorsRegistryRoot: Hex,
  validators: Hex,
): Promise<Hex> {
  return privateKeyToAccount(privateKey).signTypedData({
    domain: { name: "VaultValidators", version: "1", chainId, verifyingContract: vault },
    types: {
      VaultValidators: [
        { name: "validatorsRegistryRoot", type: "bytes32" },
        { name: "validators", type: "bytes" },
      ],
    },
    primaryType: "VaultValidators",
    message: { validatorsRegistryRoot, validators },
  });
}

/** bytes32(validatorsManagerNonce): what a signature for fund/withdraw/consolidate binds. */
export const nonceRoot = (nonce: bigint): Hex => numberToHex(nonce, { size: 32 });

/**
 * The oracles' consolidation approval (threshold signatures sorted by signer):
 * ConsolidationsChecker.sol:19 `keccak256("ConsolidationsChecker(address vault,bytes validators)");`
 * ConsolidationsChecker.sol:27 `EIP712("ConsolidationsChecker", "1")`
 */
export function consolidationApproval(devnet: DevnetChain, vault: Address, validators: Hex): Promise<Hex> {
  return devnet.signAsOracles({
    domain: {
      name: "ConsolidationsChecker",
      version: "1",
      chainId: devnet.anvil.chainId,
      verifyingContract: devnet.protocol.consolidationsChecker.address,
    },
    types: {
      ConsolidationsChecker: [
        { name: "vault", type: "address" },
        { name: "validators", type: "bytes" },
      ],
    },
    primaryType: "ConsolidationsChecker",
    message: { vault, validators },
  });
}
