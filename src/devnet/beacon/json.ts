import type { Checkpoint } from "../../chain/consensus-dto.ts";
import { toPrefixedHex } from "../../lib/hex.ts";
import type { BeaconState } from "./beacon-state.ts";
import type { SignedVoluntaryExit } from "./exit-pool.ts";
import { rootOf, ZERO_ROOT } from "./ids.ts";
import type { ValidatorView } from "./validator-status.ts";

/** Beacon API JSON: every integer a decimal string, every byte string 0x-prefixed lower-case hex. */

export function validatorJson(view: ValidatorView) {
  return {
    index: String(view.index),
    balance: String(view.balanceGwei),
    status: view.status,
    validator: {
      pubkey: view.pubkey,
      withdrawal_credentials: toPrefixedHex(view.withdrawalCredentials),
      effective_balance: String(view.effectiveBalanceGwei),
      slashed: view.slashed,
      activation_eligibility_epoch: String(view.activationEligibilityEpoch),
      activation_epoch: String(view.activationEpoch),
      exit_epoch: String(view.exitEpoch),
      withdrawable_epoch: String(view.withdrawableEpoch),
    },
  };
}

export function exitJson(exit: SignedVoluntaryExit) {
  return {
    message: { epoch: String(exit.epoch), validator_index: String(exit.validatorIndex) },
    signature: toPrefixedHex(exit.signature),
  };
}

export function checkpointJson(checkpoint: Checkpoint) {
  return { epoch: String(checkpoint.epoch), root: checkpoint.root };
}

const zeros = (bytes: number): `0x${string}` => `0x${"00".repeat(bytes)}`;
/** The compressed point at infinity: a well-formed stand-in for the signatures nobody made. */
const EMPTY_SIGNATURE: `0x${string}` = `0xc0${"00".repeat(95)}`;
const GRAFFITI = toPrefixedHex(new TextEncoder().encode("vault-operator beacon simulator".padEnd(32, "\0")));

/** The fork a slot belongs to: the simulator knows only the genesis and Capella versions. */
export function forkOfSlot(state: BeaconState, slot: number): "bellatrix" | "capella" {
  return state.time.epochAtSlot(slot) >= state.network.capellaEpoch ? "capella" : "bellatrix";
}

/**
 * The SignedBeaconBlock of `slot`. Only what the simulator knows is real: slot, roots, the
 * deposit count, the voluntary exits included, and the execution payload's block_number,
 * block_hash, parent_hash and timestamp (the latest execution block followed by that slot; zeros
 * before the first sync). Everything else is empty or zero.
 */
export function blockJson(state: BeaconState, slot: number) {
  const fork = forkOfSlot(state, slot);
  const execution = state.executionBlockAt(slot);
  const payload = {
    parent_hash: execution?.parentHash ?? ZERO_ROOT,
    fee_recipient: zeros(20),
    state_root: ZERO_ROOT,
    receipts_root: ZERO_ROOT,
    logs_bloom: zeros(256),
    prev_randao: ZERO_ROOT,
    block_number: String(execution?.number ?? 0n),
    gas_limit: "30000000",
    gas_used: "0",
    timestamp: String(execution?.timestamp ?? 0n),
    extra_data: "0x",
    base_fee_per_gas: "0",
    block_hash: execution?.hash ?? ZERO_ROOT,
    transactions: [],
    ...(fork === "capella" ? { withdrawals: [] } : {}),
  };
  const body = {
    randao_reveal: EMPTY_SIGNATURE,
    eth1_data: {
      deposit_root: ZERO_ROOT,
      deposit_count: String(state.depositCountAt(slot)),
      block_hash: execution?.hash ?? ZERO_ROOT,
    },
    graffiti: GRAFFITI,
    proposer_slashings: [],
    attester_slashings: [],
    attestations: [],
    deposits: [],
    voluntary_exits: state.exitsIncludedAt(slot).map(exitJson),
    sync_aggregate: { sync_committee_bits: zeros(64), sync_committee_signature: EMPTY_SIGNATURE },
    execution_payload: payload,
    ...(fork === "capella" ? { bls_to_execution_changes: [] } : {}),
  };
  return {
    version: fork,
    execution_optimistic: false,
    finalized: state.isFinalized(slot),
    data: {
      message: {
        slot: String(slot),
        proposer_index: "0",
        parent_root: slot === 0 ? ZERO_ROOT : rootOf("block", slot - 1),
        state_root: rootOf("state", slot),
        body,
      },
      signature: EMPTY_SIGNATURE,
    },
  };
}
