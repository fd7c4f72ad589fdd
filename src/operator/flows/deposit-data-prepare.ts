import type { Hex } from "viem";
import type { NetworkConfig } from "../../config/networks.ts";
import type { ExitSigner } from "../../keys/sources/exit-signer.ts";
import type { ValidatorsTree } from "../../keys/validators-tree.ts";
import { prepareRegistration, type RegistrationRoute } from "../registration/register-validators.ts";
import type { SlotSnapshot, SnapshotVault } from "../snapshot.ts";
import type { DepositDataPayload } from "./deposit-data-plan.ts";
import type { RegistrationPlan, RegistrationToSend } from "./vault-flow.ts";

export interface DepositDataPrepareParameters {
  network: NetworkConfig;
  vault: `0x${string}`;
  tree: ValidatorsTree;
  signer: ExitSigner;
  oracleTimeoutMs: number;
  /** The deposit contract's root now: an approval is bound to it and re-checked before sending. */
  registryRoot(): Promise<Hex>;
}

/**
 * The registration of the planned deposit data entries, for both deposit-data flows: the same
 * exit-signature shares, approvals and proofs, sent along `route` (to the vault for version 1, to
 * the DepositDataRegistry for version 2+), with the due harvest when the route carries one.
 */
export async function prepareDepositDataRegistration<V extends SnapshotVault>(
  p: DepositDataPrepareParameters,
  plan: Extract<RegistrationPlan<DepositDataPayload>, { kind: "register" }>,
  snapshot: SlotSnapshot<V>,
  route: RegistrationRoute,
  signal: AbortSignal,
): Promise<RegistrationToSend> {
  const prepared = await prepareRegistration({
    network: p.network,
    keeper: p.network.keeper.address,
    vault: p.vault,
    entries: plan.payload.entries,
    startIndex: plan.payload.startIndex,
    tree: p.tree,
    oracles: snapshot.oracles,
    registryRoot: () => p.registryRoot(),
    nextValidatorIndex: async () => snapshot.deposits.count,
    now: async () => snapshot.head.timestamp,
    signer: p.signer,
    route,
    oracleTimeoutMs: p.oracleTimeoutMs,
    signal,
  });
  return {
    request: {
      kind: "registration",
      to: prepared.to,
      data: prepared.data,
      publicKeys: prepared.publicKeys,
      firstDepositIndex: plan.payload.startIndex,
    },
    validators: prepared.publicKeys.length,
    harvests: snapshot.harvest !== undefined,
    oracleFailures: prepared.oracleFailures,
  };
}
