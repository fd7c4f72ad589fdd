import { type Address, createWalletClient, formatGwei, type Hex, parseEventLogs } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { consolidationsCheckerAbi } from "../../chain/abi/consolidations-checker.ts";
import { vaultV5Abi } from "../../chain/abi/vault-v5.ts";
import { checkConsensusEndpoints, createConsensusClient } from "../../chain/consensus-client.ts";
import type { ChainLogger } from "../../chain/endpoints.ts";
import {
  chainOf,
  checkExecutionEndpoints,
  createExecutionClient,
  createExecutionTransport,
} from "../../chain/execution-client.ts";
import { ipfsGatewaysFor, parseIpfsGatewaysEnv } from "../../chain/ipfs-gateways.ts";
import { createProtocolConfigSource } from "../../chain/protocol-config-source.ts";
import { readRequestFee } from "../../chain/request-fees.ts";
import { FIRST_PECTRA_VAULT_VERSION } from "../../chain/vault-state-reader.ts";
import { scanRegisteredKeys } from "../../chain/vault-validator-events.ts";
import {
  consolidationsCheckerDomain,
  consolidationsCheckerTypedData,
} from "../../chain/vault-validators-eip712.ts";
import { vaultPaths } from "../../config/data-dir.ts";
import type { NetworkConfig, NetworkName } from "../../config/networks.ts";
import { loadHotWallet } from "../../keys/hot-wallet-file.ts";
import { encodeConsolidationEntries } from "../../keys/validator-entries.ts";
import { OperatorError, UserInputError } from "../../lib/errors.ts";
import { parseHex, toPrefixedHex } from "../../lib/hex.ts";
import { createLogger } from "../../lib/logger.ts";
import { commandManager } from "../../operator/relayer/command-manager.ts";
import { maxValidatorBalanceGweiFor } from "../../operator/v5-settings.ts";
import { readVaultBeaconView } from "../../operator/vault-beacon-view.ts";
import { requestConsolidationApproval } from "../../oracles/consolidation-approval.ts";
import { createOracleSetReader } from "../../oracles/oracle-set.ts";
import type { CommandContext } from "../context.ts";
import { askEndpoints } from "../endpoints-input.ts";
import { askVault, vaultNetwork } from "../inputs.ts";
import { checkNothingUnmined, walletNonces } from "../unmined.ts";
import { type ConsolidationPlan, ConsolidationRefusedError, checkConsolidation } from "./checks.ts";
import { checkTargetTracked, chooseConsolidation, consolidationKeys } from "./consolidation-keys.ts";

export interface ConsolidateOptions {
  network?: NetworkName;
  vault?: Address;
  dataDir: string;
  executionEndpoints?: string[];
  /** --execution-jwt-secret. */
  executionJwtSecret?: Uint8Array;
  consensusEndpoints?: string[];
  sourcePublicKeys?: `0x${string}`[];
  sourcePublicKeysFile?: string;
  targetPublicKey?: `0x${string}`;
  /** Without keys: validators never chosen. */
  excludePublicKeysFile?: string;
  walletFile?: string;
  walletPasswordFile?: string;
  /** A DVT relayer holding the validators-manager key: it signs, the wallet sends. */
  relayerEndpoint?: string;
  maxValidatorBalanceGwei?: bigint;
  maxConsolidationRequestFeeGwei: bigint;
  /** False with --no-switch-consolidation. */
  switchConsolidation: boolean;
  /** False with --no-confirm. */
  confirm: boolean;
  logLevel: "debug" | "info" | "warn" | "error";
  /** Without keys: where the scan of the vault's registered validators starts. */
  vaultFirstBlock?: number;
  verbose: boolean;
}

const GWEI = 1_000_000_000n;
/** ORACLES_CONSOLIDATION_TIMEOUT of the Python operator (spec §1.3). */
const ORACLE_TIMEOUT_MS = 10_000;
/** How long the receipt is awaited before the command stops and says how to find out. */
const RECEIPT_TIMEOUT_MS = 300_000;

/**
 * `operator consolidate` (spec §7.6): the composition root. Keys and limits are checked against
 * the beacon state, the fee against its cap and, for a 0x01 → 0x02 switch, the oracles' approval
 * is collected, all before one consolidateValidators call from the validators manager's wallet.
 * The command sends at most once: it waits for the receipt, and a re-run after a success is
 * refused by the checks (the sources are then consolidating or exiting).
 */
export async function runConsolidate(options: ConsolidateOptions, ctx: CommandContext): Promise<void> {
  const { output } = ctx;
  const keys = await consolidationKeys(options);
  if (options.confirm && !ctx.prompter.interactive) {
    throw new UserInputError(
      "consolidate asks for confirmation and no terminal is attached: pass --no-confirm to consolidate without the prompt",
    );
  }
  const executionEndpoints = await askEndpoints(ctx, options.executionEndpoints, "execution");
  const consensusEndpoints = await askEndpoints(ctx, options.consensusEndpoints, "consensus");
  const vault = await askVault(ctx, options.vault);
  const network = await vaultNetwork(ctx, options, vault);
  const paths = vaultPaths(options.dataDir, vault);
  const log = createLogger({
    level: options.verbose ? "debug" : options.logLevel,
    format: "text",
    ...(ctx.onOutputError ? { onWriteError: ctx.onOutputError } : {}),
  }).child({ module: "consolidate" });
  const endpointLog: ChainLogger = { warn: (message, context, error) => log.debug(message, context, error) };

  const wallet = await loadHotWallet({
    walletFile: options.walletFile ?? paths.walletFile,
    passwordFile: options.walletPasswordFile ?? paths.walletPasswordFile,
  });
  const account = privateKeyToAccount(toPrefixedHex(wallet.privateKey));
  wallet.privateKey.fill(0);

  const jwtSecret = options.executionJwtSecret;
  await checkExecutionEndpoints(executionEndpoints, network, { jwtSecret });
  await checkConsensusEndpoints(consensusEndpoints, network);
  const execution = createExecutionClient({
    endpoints: executionEndpoints,
    network,
    jwtSecret,
    logger: endpointLog,
  });
  const consensus = createConsensusClient({ endpoints: consensusEndpoints, logger: endpointLog });

  // Only a version-5 vault consolidates, and without a manager signature only its manager may ask.
  const version = Number(
    await execution.readContract({ address: vault, abi: vaultV5Abi, functionName: "version" }),
  );
  // A vault older than version 2 has no validatorsManager(): the call reverts.
  const manager: string | undefined = await execution
    .readContract({ address: vault, abi: vaultV5Abi, functionName: "validatorsManager" })
    .then((address) => String(address))
    .catch(() => undefined);
  if (version < FIRST_PECTRA_VAULT_VERSION) {
    throw new UserInputError(
      `vault ${vault} is version ${version}; consolidations need version ${FIRST_PECTRA_VAULT_VERSION} or later: upgrade the vault first`,
    );
  }
  const managerSigner = await commandManager({
    relayerEndpoint: options.relayerEndpoint,
    network,
    vault,
    manager,
    wallet: account.address,
    execution,
    notManager: `the validators manager of vault ${vault} is ${manager ?? "not set"}, not the wallet ${account.address}: make the wallet the validators manager in the vault's settings, pass --wallet-file of the manager, or --relayer-endpoint of the DVT relayer that holds its key`,
    signal: ctx.signal,
  });

  // A consolidation of an earlier run still in the mempool is invisible to the beacon checks.
  checkNothingUnmined(await walletNonces(execution, account.address), "a consolidation", "consolidate");

  // Given keys: those; none: the vault's registered validators, to choose among.
  const publicKeys =
    keys.kind === "given"
      ? [...new Set([...keys.sources, keys.target])]
      : await scanRegisteredKeys({
          client: execution,
          vault,
          fromBlock: BigInt(options.vaultFirstBlock ?? network.keeper.genesisBlock),
          toBlock: await execution.getBlockNumber(),
          signal: ctx.signal,
        });
  const [view, spec, syncing] = await Promise.all([
    readVaultBeaconView({ publicKeys, stateId: "head", signal: ctx.signal }, { consensus }),
    consensus.getSpec({ signal: ctx.signal }),
    consensus.getSyncing({ signal: ctx.signal }),
  ]);
  const period = spec.values.SHARD_COMMITTEE_PERIOD;
  const rules = {
    vault,
    validators: view.validators,
    pendingPartialWithdrawals: view.pendingPartialWithdrawals,
    pendingConsolidations: view.pendingConsolidations,
    maxValidatorBalanceGwei: maxValidatorBalanceGweiFor(
      { maxValidatorBalanceGwei: options.maxValidatorBalanceGwei },
      network,
    ),
    allowSwitch: options.switchConsolidation,
    ...(typeof period === "string" && /^\d+$/.test(period)
      ? {
          shardCommittee: {
            headEpoch: BigInt(syncing.headSlot) / BigInt(spec.slotsPerEpoch),
            periodEpochs: BigInt(period),
          },
        }
      : {}),
  };
  let plan: ConsolidationPlan;
  if (keys.kind === "given") {
    plan = checkConsolidation({ ...rules, sources: keys.sources, target: keys.target });
    if (plan.kind === "merge") await checkTargetTracked(plan, vault, execution);
  } else {
    plan = await chooseConsolidation({ ...rules, exclude: keys.exclude }, vault, execution);
  }

  for (const line of planLines(plan)) output.line(line);
  if (options.confirm) {
    const answer = await ctx.prompter.ask("Proceed consolidation? [Y/n]");
    if (/^n(o)?$/i.test(answer.trim())) {
      output.line("Aborted: no consolidation was submitted.");
      return;
    }
  }

  if (!network.consolidationRequests) {
    throw new UserInputError(
      `network ${network.name} names no EIP-7251 consolidation request contract: add consolidationRequests to its network file`,
    );
  }
  const fee = await readRequestFee({
    client: execution,
    address: network.consolidationRequests,
    kind: "consolidation",
  });
  const cap = options.maxConsolidationRequestFeeGwei * GWEI;
  if (fee > cap) {
    throw new ConsolidationRefusedError(
      `the EIP-7251 consolidation fee is ${formatGwei(fee)} gwei per request, above --max-consolidation-request-fee-gwei ${options.maxConsolidationRequestFeeGwei}: wait until the fee falls, or raise the cap`,
    );
  }
  const entries = plan.sources.map((source) => ({
    sourcePublicKey: parseHex(source.pubkey, 48) as Uint8Array,
    targetPublicKey: parseHex(plan.target.pubkey, 48) as Uint8Array,
  }));
  const validators = toPrefixedHex(encodeConsolidationEntries(entries));

  // The vault asks the ConsolidationsChecker only when signatures are given; they are needed when
  // the target is not yet tracked as a 0x02 validator of the vault, which is the case of a switch.
  let oracleSignatures: Hex = "0x";
  if (plan.kind === "switch") {
    oracleSignatures = await oracleApproval({
      network,
      vault,
      validators,
      target: plan.target.pubkey,
      execution,
      signal: ctx.signal,
      log: endpointLog,
    });
    log.debug("oracles approved the switch", { target: plan.target.pubkey });
  }

  // The manager's signature: none when the wallet is the manager, else the relayer's, checked.
  const managerSignature = await managerSigner.sign(
    {
      kind: "consolidate",
      vault,
      validators,
      pairs: plan.sources.map((source) => ({ source: source.pubkey, target: plan.target.pubkey })),
    },
    ctx.signal,
  );

  const value = fee * BigInt(entries.length);
  const request = {
    account,
    address: vault,
    abi: vaultV5Abi,
    functionName: "consolidateValidators",
    args: [validators, managerSignature, oracleSignatures],
    value,
    chain: chainOf(network),
  } as const;
  // A revert is found here, before anything is signed or sent.
  await execution.simulateContract(request).catch((error: unknown) => {
    throw new OperatorError("the vault refuses the consolidation", { cause: error });
  });
  const sender = createWalletClient({
    account,
    chain: chainOf(network),
    transport: createExecutionTransport({ endpoints: executionEndpoints, jwtSecret, logger: endpointLog }),
  });
  const hash = await sender.writeContract(request);
  output.line(`Consolidation transaction sent: ${hash}`);
  // Never sent again from here: a receipt that does not come is reported with the hash to look up.
  const receipt = await execution
    .waitForTransactionReceipt({ hash, timeout: RECEIPT_TIMEOUT_MS })
    .catch((error: unknown) => {
      throw new OperatorError(
        `no receipt for ${hash} yet: look it up before running consolidate again, which would pay the fee twice`,
        { cause: error, retryable: false },
      );
    });
  if (receipt.status !== "success") {
    throw new OperatorError(`the consolidation transaction ${hash} reverted in block ${receipt.blockNumber}`);
  }
  const submitted = parseEventLogs({
    abi: vaultV5Abi,
    logs: receipt.logs,
    eventName: "ValidatorConsolidationSubmitted",
  });
  output.line(
    `Validators have been successfully consolidated: ${submitted.length} request(s), fee ${formatGwei(value)} gwei, block ${receipt.blockNumber}`,
  );
}

function planLines(plan: ConsolidationPlan): string[] {
  if (plan.kind === "switch")
    return [`Switching validator with index ${plan.target.index} to compounding (0x02)`];
  return [
    ...plan.sources.map(
      (s) =>
        `Consolidating from validator with index ${s.index} to validator with index ${plan.target.index}`,
    ),
    `The target's balance will be ${formatGwei(plan.targetBalanceAfterGwei * GWEI)} ETH`,
  ];
}

interface OracleApprovalParameters {
  network: NetworkConfig;
  vault: Address;
  validators: Hex;
  target: Hex;
  execution: ReturnType<typeof createExecutionClient>;
  signal: AbortSignal;
  log: ChainLogger;
}

/** The oracles' ConsolidationsChecker signatures over `validators` (POST /consolidate-validators/). */
async function oracleApproval(p: OracleApprovalParameters): Promise<Hex> {
  const checker = p.network.consolidationsChecker;
  if (!checker) {
    throw new UserInputError(
      `network ${p.network.name} names no ConsolidationsChecker, which approves a switch to 0x02: add consolidationsChecker to its network file`,
    );
  }
  const readOracleSet = createOracleSetReader(
    createProtocolConfigSource({
      client: p.execution,
      network: p.network,
      ipfs: { gateways: ipfsGatewaysFor(p.network, parseIpfsGatewaysEnv(process.env)), logger: p.log },
    }),
  );
  const { set } = await readOracleSet(p.signal);
  const signatures = await requestConsolidationApproval({
    oracles: set.targets,
    timeoutMs: ORACLE_TIMEOUT_MS,
    signal: p.signal,
    body: { public_keys: [p.target], vault_address: p.vault },
    typedData: consolidationsCheckerTypedData(consolidationsCheckerDomain(p.network.chainId, checker), {
      vault: p.vault,
      validators: p.validators,
    }),
    threshold: set.validatorsMinOracles,
  });
  // The checker the vault will call agrees, or the oracle set changed under us: say so here
  // rather than as a revert.
  const valid = await p.execution.readContract({
    address: checker,
    abi: consolidationsCheckerAbi,
    functionName: "isValidSignatures",
    args: [p.vault, p.validators, signatures],
  });
  if (!valid) {
    throw new OperatorError(`the ConsolidationsChecker ${checker} does not accept the oracles' approval`, {
      details: "has the Keeper's oracle set just changed? run consolidate again",
      retryable: true,
    });
  }
  return signatures;
}
