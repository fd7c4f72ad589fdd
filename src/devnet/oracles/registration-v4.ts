import { type Address, getAddress, type Hex, isAddressEqual, recoverTypedDataAddress, toHex } from "viem";
import type { NetworkConfig } from "../../config/networks.ts";
import { parseHex } from "../../lib/hex.ts";
import type { BlsVerifier } from "./bls-shares.ts";
import { OracleRejection, type ValidatorShards } from "./checks.ts";
import {
  depositDataRoot,
  depositDomain,
  depositMessageRoot,
  signingRoot,
  vaultCredentials,
} from "./consensus-roots.ts";
import type { OracleChain } from "./oracle-chain.ts";
import type { RegistrationRequestV4Body } from "./request-schema.ts";
import { vaultValidatorsTypedData } from "./vault-typed-data.ts";

/**
 * What an oracle checks in a v4 registration request (spec §5.1 v4+, §6.4) before it signs:
 * the registry root and next validator index, each deposit signature for the credentials and
 * amount the vault will deposit with, the amounts within the vault's bounds, and the validators
 * manager's VaultValidators signature over exactly the validators it will approve. The exit
 * shards are checked by the caller, as for the old flow.
 */

type Body = import("zod").infer<typeof RegistrationRequestV4Body>;

/** v3-core v4 ValidatorUtils: a 0x02 registration deposits between 32 and 2048 ETH. */
const MIN_AMOUNT_GWEI = 32_000_000_000;
const MAX_AMOUNT_GWEI = 2_048_000_000_000;

export interface CheckedRegistration {
  vault: Address;
  registryRoot: Hex;
  /** Concatenated: 176 bytes per 0x01 validator, 184 per 0x02 (with its 8-byte big-endian amount). */
  validators: Uint8Array;
  shards: ValidatorShards[];
}

export interface RegistrationDeps {
  chain: OracleChain;
  network: NetworkConfig;
  chainId: number;
  bls: BlsVerifier;
}

const bytes = (hex: string, length?: number): Uint8Array => parseHex(hex, length) as Uint8Array;

export async function checkV4Registration(body: Body, deps: RegistrationDeps): Promise<CheckedRegistration> {
  const vault = getAddress(body.vault_address);
  const count = body.public_keys.length;
  if (
    body.deposit_signatures.length !== count ||
    body.public_key_shards.length !== count ||
    body.exit_signature_shards.length !== count ||
    (body.amounts !== null && body.amounts.length !== count)
  ) {
    throw new OracleRejection(
      "public_keys, deposit_signatures, amounts and shard lists must have the same length",
    );
  }
  const [registryRoot, isVault, nextIndex] = await Promise.all([
    deps.chain.depositRoot(),
    deps.chain.isVault(vault),
    deps.chain.nextValidatorIndex(),
  ]);
  if (!isVault) throw new OracleRejection(`${vault} is not a registered vault`);
  if (registryRoot.toLowerCase() !== body.validators_root.toLowerCase())
    throw new OracleRejection("validators_root is not the deposit contract's current root");
  if (body.validator_index !== nextIndex) {
    throw new OracleRejection(
      `validator_index ${body.validator_index} is not the next validator index ${nextIndex}`,
    );
  }

  const compounding = body.amounts !== null;
  const credentials = vaultCredentials(bytes(vault, 20), compounding ? 0x02 : 0x01);
  const parts = body.public_keys.map((publicKey, k) => {
    const amount = body.amounts ? (body.amounts[k] as number) : deps.network.validatorDepositGwei;
    const where = `validator ${publicKey.slice(0, 12)}…`;
    if (compounding && (amount < MIN_AMOUNT_GWEI || amount > MAX_AMOUNT_GWEI))
      throw new OracleRejection(`${where}: amount ${amount} gwei is not between 32 and 2048 ETH`);
    const pubkey = bytes(publicKey, 48);
    const signature = bytes(body.deposit_signatures[k] as string, 96);
    const root = signingRoot(
      depositMessageRoot(pubkey, credentials, amount),
      depositDomain(bytes(deps.network.genesisForkVersion, 4)),
    );
    if (!deps.bls.verify(pubkey, root, signature)) {
      throw new OracleRejection(
        `${where}: invalid deposit signature for ${compounding ? "0x02" : "0x01"} credentials and ${amount} gwei`,
      );
    }
    const dataRoot = depositDataRoot(pubkey, credentials, amount, signature);
    if (!compounding) return Uint8Array.from([...pubkey, ...signature, ...dataRoot]);
    const amountBytes = new Uint8Array(8);
    new DataView(amountBytes.buffer).setBigUint64(0, BigInt(amount), false);
    return Uint8Array.from([...pubkey, ...signature, ...dataRoot, ...amountBytes]);
  });
  const validators = Uint8Array.from(parts.flatMap((part) => [...part]));

  await checkManagerSignature(
    vault,
    registryRoot,
    validators,
    body.validators_manager_signature as Hex,
    deps,
  );

  const shards: ValidatorShards[] = body.public_keys.map((publicKey, k) => ({
    publicKey: publicKey as Hex,
    validatorIndex: body.validator_index + k,
    publicKeyShards: body.public_key_shards[k] as Hex[],
    exitSignatureShards: body.exit_signature_shards[k] as Hex[],
  }));
  return { vault, registryRoot, validators, shards };
}

/** Without a proof, only the vault's validators manager may ask: its signature must cover these validators. */
async function checkManagerSignature(
  vault: Address,
  registryRoot: Hex,
  validators: Uint8Array,
  signature: Hex,
  deps: RegistrationDeps,
): Promise<void> {
  if (signature === "0x") throw new OracleRejection("validators_manager_signature is required");
  const manager = await deps.chain.validatorsManager(vault);
  let signer: Address;
  try {
    signer = await recoverTypedDataAddress({
      ...vaultValidatorsTypedData(deps.chainId, vault, {
        validatorsRegistryRoot: registryRoot,
        validators: toHex(validators),
      }),
      signature,
    });
  } catch {
    throw new OracleRejection("validators_manager_signature is not a valid signature");
  }
  if (!isAddressEqual(signer, manager)) {
    throw new OracleRejection(
      `validators_manager_signature is by ${signer}, not the vault's validators manager ${manager}`,
    );
  }
}
