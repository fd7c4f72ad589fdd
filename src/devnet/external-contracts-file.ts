/**
 * The --contracts file of `operator devnet --rpc-url`: a deployment of the protocol made elsewhere
 * (v3-core's own deploy task, a fork) and the keys the devnet services need there. v3-core's
 * deployment output names the Keeper and the VaultsRegistry but not what the beacon side needs, so
 * everything else has a default that suits a rehearsal chain, and `assumed` says which were taken.
 */
import { readFile } from "node:fs/promises";
import { type Address, getAddress, type Hex } from "viem";
import { z } from "zod";
import { UserInputError } from "../lib/errors.ts";
import { MULTICALL3_ADDRESS } from "./anvil.ts";
import { DEVNET_CAPELLA_FORK_VERSION, DEVNET_GENESIS_FORK_VERSION } from "./deploy.ts";

/** The deposit contract of mainnet, where forks of it have one too. */
export const CANONICAL_DEPOSIT_CONTRACT: Address = "0x00000000219ab540356cBB839Cbe05303d7705Fa";

const hex = (bytes: number) =>
  z.string().regex(new RegExp(`^0x[0-9a-fA-F]{${bytes * 2}}$`), `must be 0x + ${bytes * 2} hex`);
const contract = z.object({
  address: hex(20),
  genesisBlock: z.number().int().nonnegative().optional(),
});

const ContractsFileSchema = z.object({
  genesisForkVersion: hex(4).optional(),
  capellaForkVersion: hex(4).optional(),
  capellaEpoch: z.number().int().nonnegative().default(0),
  genesisValidatorsRoot: hex(32).optional(),
  slotsPerEpoch: z.number().int().positive().default(8),
  secondsPerSlot: z.number().int().positive().default(12),
  depositContract: contract.optional(),
  keeper: contract,
  vaultsRegistry: hex(20),
  sharedMevEscrow: hex(20).optional(),
  multicall3: hex(20).optional(),
  /** Without it, the owner is impersonated (anvil only). */
  keeperOwnerPrivateKey: hex(32).optional(),
  oraclePrivateKeys: z.array(hex(32)).min(1),
  recoverThreshold: z.number().int().positive().optional(),
});

/** The file with every default filled in. */
export interface ContractsFile {
  genesisForkVersion: Hex;
  capellaForkVersion: Hex;
  capellaEpoch: number;
  genesisValidatorsRoot: Hex;
  slotsPerEpoch: number;
  secondsPerSlot: number;
  depositContract: { address: Address; genesisBlock: number };
  keeper: { address: Address; genesisBlock: number };
  vaultsRegistry: Address;
  sharedMevEscrow: Address | undefined;
  multicall3: Address;
  keeperOwnerPrivateKey: Hex | undefined;
  oraclePrivateKeys: Hex[];
  recoverThreshold: number | undefined;
  /** One line per default taken: "field: value (why)". */
  assumed: string[];
}

export interface ContractsFileDefaults {
  /** The devnet's own genesis validators root (devnet.ts), kept out of this module's imports. */
  genesisValidatorsRoot: Hex;
}

/** Parses the file's JSON, filling in and listing the defaults; a bad field is one line naming it. */
export function parseContractsFile(
  json: unknown,
  path: string,
  defaults: ContractsFileDefaults,
): ContractsFile {
  const parsed = ContractsFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UserInputError(
      `--contracts ${path}: field "${issue?.path.join(".") || "(root)"}" ${issue?.message ?? "is invalid"}`,
    );
  }
  const file = parsed.data;
  const assumed: string[] = [];
  function orDefault<T>(value: T | undefined, field: string, fallback: T, why: string): T {
    if (value !== undefined) return value;
    assumed.push(`${field}: ${String(fallback)} (${why})`);
    return fallback;
  }
  const lower = (value: string) => value.toLowerCase() as Hex;
  return {
    genesisForkVersion: lower(
      orDefault(file.genesisForkVersion, "genesisForkVersion", DEVNET_GENESIS_FORK_VERSION, "the devnet's"),
    ),
    capellaForkVersion: lower(
      orDefault(file.capellaForkVersion, "capellaForkVersion", DEVNET_CAPELLA_FORK_VERSION, "the devnet's"),
    ),
    capellaEpoch: file.capellaEpoch,
    genesisValidatorsRoot: lower(
      orDefault(
        file.genesisValidatorsRoot,
        "genesisValidatorsRoot",
        defaults.genesisValidatorsRoot,
        "the devnet's; the beacon simulator serves it",
      ),
    ),
    slotsPerEpoch: file.slotsPerEpoch,
    secondsPerSlot: file.secondsPerSlot,
    depositContract: {
      address: getAddress(
        orDefault(
          file.depositContract?.address,
          "depositContract.address",
          CANONICAL_DEPOSIT_CONTRACT,
          "mainnet's; checked to hold code",
        ),
      ),
      genesisBlock: orDefault(
        file.depositContract?.genesisBlock,
        "depositContract.genesisBlock",
        0,
        "deposits are scanned from block 0",
      ),
    },
    keeper: {
      address: getAddress(file.keeper.address),
      genesisBlock: orDefault(
        file.keeper.genesisBlock,
        "keeper.genesisBlock",
        0,
        "Keeper events are scanned from block 0",
      ),
    },
    vaultsRegistry: getAddress(file.vaultsRegistry),
    sharedMevEscrow: file.sharedMevEscrow ? getAddress(file.sharedMevEscrow) : undefined,
    multicall3: getAddress(
      orDefault(
        file.multicall3,
        "multicall3",
        MULTICALL3_ADDRESS,
        "the canonical address; placed there when absent",
      ),
    ),
    keeperOwnerPrivateKey: file.keeperOwnerPrivateKey as Hex | undefined,
    oraclePrivateKeys: file.oraclePrivateKeys as Hex[],
    recoverThreshold: file.recoverThreshold,
    assumed,
  };
}

/** Reads and parses the --contracts file. */
export async function readContractsFile(
  path: string,
  defaults: ContractsFileDefaults,
): Promise<ContractsFile> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, "utf8"));
  } catch (error) {
    throw new UserInputError(`--contracts ${path} cannot be read as JSON: ${(error as Error).message}`);
  }
  return parseContractsFile(json, path, defaults);
}
