/**
 * Which registration flow a vault needs, from what it says about itself (issue 12, spec §5.3):
 *
 * - version 1 keeps its own validators root: the deposit data file's root is set in the vault;
 * - version 2 and later whose validators manager is the network's DepositDataRegistry: the deposit
 *   data file's root is set in the registry, and the registry registers;
 * - version 2 and later whose manager is this operator's wallet: the wallet is the manager, so the
 *   vault takes validators made from the keystores on the fly, with no deposit data file.
 *
 * Any other manager can only be served by whoever holds its key, so the service refuses with one
 * line that names the manager and the two ways out. Pure: the caller reads version() and
 * validatorsManager() and logs the outcome.
 */

export const FLOW_NAMES = ["validators-root", "deposit-data-registry", "validators-manager"] as const;
export type FlowName = (typeof FLOW_NAMES)[number];

export interface ChooseFlowInput {
  /** The vault's version() (1 for the first-generation vault). */
  version: number;
  /** The vault's validatorsManager(); undefined for a version-1 vault, which has none. */
  validatorsManager: `0x${string}` | undefined;
  /** The network's DepositDataRegistry (config/networks.ts); undefined where there is none. */
  depositDataRegistry: `0x${string}` | undefined;
  /** The operator's wallet (the hot wallet that sends the transactions). */
  wallet: `0x${string}`;
}

export type FlowChoice = { kind: "flow"; flow: FlowName } | { kind: "refused"; reason: string };

const ZERO_ADDRESS = "0x0000000000000000000000000000000000000000";

const same = (a: string | undefined, b: string | undefined) =>
  a !== undefined && b !== undefined && a.toLowerCase() === b.toLowerCase();

/** The flow for the vault, or why none of ours can serve it (see the file comment). */
export function chooseFlow(input: ChooseFlowInput): FlowChoice {
  const { version, validatorsManager, depositDataRegistry, wallet } = input;
  if (!Number.isSafeInteger(version) || version < 1) {
    return {
      kind: "refused",
      reason: `the vault reports version ${version}, which no StakeWise vault has: check --vault`,
    };
  }
  if (version === 1) return { kind: "flow", flow: "validators-root" };
  if (validatorsManager === undefined) {
    // The caller must read the manager of every vault from version 2 on: a bug, not bad input.
    throw new Error(`chooseFlow: validatorsManager of a version-${version} vault was not read`);
  }
  if (same(validatorsManager, wallet)) return { kind: "flow", flow: "validators-manager" };
  if (same(validatorsManager, depositDataRegistry)) return { kind: "flow", flow: "deposit-data-registry" };
  return { kind: "refused", reason: refusal(input, validatorsManager) };
}

/** The one line for a manager that is neither the wallet nor the registry. */
function refusal(input: ChooseFlowInput, manager: `0x${string}`): string {
  const { version, depositDataRegistry, wallet } = input;
  const who = same(manager, ZERO_ADDRESS)
    ? `has no validators manager (${ZERO_ADDRESS}), so nobody can register its validators`
    : `has validators manager ${manager}, which is neither this operator's wallet ${wallet} nor the DepositDataRegistry`;
  const wayToWallet = `the vault admin calls setValidatorsManager(${wallet}) on the vault to make this wallet the manager (no deposit data file needed)`;
  const ways =
    depositDataRegistry === undefined
      ? `${wayToWallet}; this network has no DepositDataRegistry to set it back to`
      : `either ${wayToWallet}, or sets it back to the DepositDataRegistry with setValidatorsManager(${depositDataRegistry}) and sets the deposit data root there`;
  return `the vault (version ${version}) ${who}: ${ways}`;
}
