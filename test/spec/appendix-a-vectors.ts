/**
 * The computed vectors of the operator spec's Appendix A (test/vectors/stakewise-operator-appendix-a.md,
 * a verbatim copy): the main ```json block after the heading, and the Shamir split example.
 */
import assert from "node:assert/strict";
import { readVectorText } from "./vectors.ts";

export interface DepositVector {
  withdrawal_credentials: string;
  amount_gwei: string;
  deposit_domain: string;
  deposit_message_root: string;
  signing_root: string;
  signature: string;
  deposit_data_root: string;
}

export interface KeyVector {
  index: number;
  path: string;
  sk: string;
  pubkey: string;
  deposits: Record<string, DepositVector>;
}

export interface ExitVector {
  epoch: string;
  exit_domain: string;
  signing_root: string;
  signature: string;
}

export interface AppendixA {
  mnemonic: string;
  seed: string;
  vault: string;
  keys: KeyVector[];
  first_public_key: string;
  exit_mainnet_index123_key0: ExitVector;
  exit_hoodi_index123_key0: ExitVector;
  hot_wallet_address_m44_60_0_0_0: string;
  validators_root_mainnet_3keys: string;
  leaf_hash_0: string;
  single_proof_0: string[];
  multiproof_0_1: { leaves_indexes: number[]; proof: string[]; proofFlags: boolean[] };
  /** EIP-712 VaultValidators of one 184-byte (0x02, 32 ETH) validator, signed by the hot wallet. */
  validators_manager_v4: {
    chainId: number;
    verifyingContract: string;
    validatorsRegistryRoot: string;
    validators: string;
    digest: string;
    signature_by_hot_wallet: string;
  };
}

/** The "Shamir split example" after the main block: the mainnet exit signature of key 0, t = 2, n = 3. */
export interface ShamirExample {
  exit_signature: string;
  pubkey: string;
  coefficients: string[];
  shares: Array<{ x: number; pubkey_share: string; signature_share: string; verifies: boolean }>;
  reconstructed_from_x2_x3_equals_signature: boolean;
}

const HEADING = "## Appendix A — computed vectors (JSON)";
const SHAMIR_HEADING = "Shamir split example";

/** The first ```json block after `heading` in the copy of Appendix A. */
function jsonBlockAfter(heading: string): unknown {
  const spec = readVectorText("stakewise-operator-appendix-a.md");
  const start = spec.indexOf(heading);
  assert.ok(start >= 0, `Appendix A has "${heading}"`);
  const block = /```json\n([\s\S]*?)\n```/.exec(spec.slice(start + heading.length));
  assert.ok(block?.[1], `a \`\`\`json block follows "${heading}"`);
  return JSON.parse(block[1]);
}

export function readAppendixA(): AppendixA {
  return jsonBlockAfter(HEADING) as AppendixA;
}

export function readShamirExample(): ShamirExample {
  return jsonBlockAfter(SHAMIR_HEADING) as ShamirExample;
}

/** The networks of the vectors: fork versions and genesis validators roots. */
export const APPENDIX_NETWORKS = {
  mainnet: {
    genesisForkVersion: "0x00000000",
    capellaForkVersion: "0x03000000",
    genesisValidatorsRoot: "0x4b363db94e286120d76eb905340fdd4e54bfe9f06bf33ff6cf5ad27f511bfe95",
  },
  hoodi: {
    genesisForkVersion: "0x10000910",
    capellaForkVersion: "0x40000910",
    genesisValidatorsRoot: "0x212f13fc4df078b6cb7db228f1c8307566dcecf900867401a92023d7ba99cb5f",
  },
} as const;
