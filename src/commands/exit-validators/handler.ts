import { type Address, createWalletClient, encodeFunctionData, type Hex, hexToBytes, toHex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { vaultV5Abi } from "../../chain/abi/vault-v5.ts";
import { checkConsensusEndpoints, createConsensusClient } from "../../chain/consensus-client.ts";
import {
  chainOf,
  checkExecutionEndpoints,
  createExecutionClient,
  createExecutionTransport,
} from "../../chain/execution-client.ts";
import { readRequestFee } from "../../chain/request-fees.ts";
import { createVaultStateReader, FIRST_PECTRA_VAULT_VERSION } from "../../chain/vault-state-reader.ts";
import { scanRegisteredKeys } from "../../chain/vault-validator-events.ts";
import { expandHome, vaultPaths } from "../../config/data-dir.ts";
import { EIP7002_WITHDRAWAL_REQUESTS, type NetworkConfig, type NetworkName } from "../../config/networks.ts";
import { loadHotWallet } from "../../keys/hot-wallet-file.ts";
import { encodeWithdrawalEntries } from "../../keys/validator-entries.ts";
import { OperatorError, UserInputError } from "../../lib/errors.ts";
import { toPrefixedHex } from "../../lib/hex.ts";
import { createLogger, type LogLevel } from "../../lib/logger.ts";
import { SHARD_COMMITTEE_PERIOD } from "../../operator/planning/beacon-rules.ts";
import { fullExits, selectValidatorsToExit } from "../../operator/planning/exit-selection.ts";
import { formatWeiAsGwei, WEI_PER_GWEI } from "../../operator/planning/gwei.ts";
import { commandManager } from "../../operator/relayer/command-manager.ts";
import { V5_DEFAULTS } from "../../operator/v5-settings.ts";
import type { CommandContext } from "../context.ts";
import { askEndpoints } from "../endpoints-input.ts";
import { askVault, vaultNetwork } from "../inputs.ts";
import { checkNothingUnmined, walletNonces } from "../unmined.ts";

export interface ExitValidatorsOptions {
  vault?: `0x${string}`;
  network?: NetworkName;
  dataDir: string;
  executionEndpoints?: string[];
  /** --execution-jwt-secret. */
  executionJwtSecret?: Uint8Array;
  consensusEndpoints?: string[];
  indexes?: number[];
  count?: number;
  maxWithdrawalRequestFeeGwei?: bigint;
  walletFile?: string;
  walletPasswordFile?: string;
  /** A DVT relayer holding the validators-manager key: it signs, the wallet sends. */
  relayerEndpoint?: string;
  vaultFirstBlock?: number;
  confirm: boolean;
  logLevel: LogLevel;
  verbose: boolean;
}

/**
 * `operator exit-validators` (spec §7.1, v4): the vault's validators from its registration events,
 * their beacon status, the ones to exit (--indexes, else --count longest active first, else all
 * that can), a confirmation, then one `withdrawValidators` of full-exit requests (amount 0) from
 * the validators manager's wallet, paying the EIP-7002 fee of each.
 */
export async function runExitValidators(options: ExitValidatorsOptions, ctx: CommandContext): Promise<void> {
  if (options.indexes !== undefined && options.count !== undefined) {
    throw new UserInputError("--indexes and --count both given: name the validators or how many, not both");
  }
  if (options.confirm && !ctx.prompter.interactive) {
    throw new UserInputError(
      "exit-validators asks for confirmation and no terminal is attached: pass --no-confirm to exit without the prompt",
    );
  }
  const { output } = ctx;
  const log = createLogger({
    level: options.verbose ? "debug" : options.logLevel,
    format: "text",
    ...(ctx.onOutputError ? { onWriteError: ctx.onOutputError } : {}),
  }).child({ module: "exit-validators" });
  const executionEndpoints = await askEndpoints(ctx, options.executionEndpoints, "execution");
  const consensusEndpoints = await askEndpoints(ctx, options.consensusEndpoints, "consensus");
  const vault = await askVault(ctx, options.vault);
  const network = await vaultNetwork(ctx, options, vault);
  const paths = vaultPaths(options.dataDir, vault);
  const wallet = await loadHotWallet({
    walletFile: options.walletFile ? expandHome(options.walletFile) : paths.walletFile,
    passwordFile: options.walletPasswordFile
      ? expandHome(options.walletPasswordFile)
      : paths.walletPasswordFile,
  });
  const account = privateKeyToAccount(toPrefixedHex(wallet.privateKey));
  wallet.privateKey.fill(0);

  const jwtSecret = options.executionJwtSecret;
  await checkExecutionEndpoints(executionEndpoints, network, { jwtSecret });
  await checkConsensusEndpoints(consensusEndpoints, network);
  const execution = createExecutionClient({ endpoints: executionEndpoints, network, jwtSecret });
  const consensus = createConsensusClient({ endpoints: consensusEndpoints });

  const state = await createVaultStateReader({ client: execution, network }).read(vault);
  if (state.version < FIRST_PECTRA_VAULT_VERSION) {
    throw new UserInputError(
      `vault ${vault} is version ${state.version}: it cannot request EIP-7002 exits (version ${FIRST_PECTRA_VAULT_VERSION}+ can); use "operator validators-exit", which signs voluntary exits with the validator keys`,
    );
  }
  const manager = await commandManager({
    relayerEndpoint: options.relayerEndpoint,
    network,
    vault,
    manager: state.validatorsManager,
    wallet: account.address,
    execution,
    notManager: `the wallet ${account.address} is not the validators manager of vault ${vault} (${state.validatorsManager ?? "none"}): pass the manager's --wallet-file, have the vault admin set this wallet as manager, or pass --relayer-endpoint of the DVT relayer that holds its key`,
    signal: ctx.signal,
  });

  // An exit request of an earlier run still in the mempool is invisible to the beacon statuses.
  checkNothingUnmined(await walletNonces(execution, account.address), "an exit request", "exit-validators");

  const firstBlock = BigInt(options.vaultFirstBlock ?? network.keeper.genesisBlock);
  const keys = await scanRegisteredKeys({
    client: execution,
    vault,
    fromBlock: firstBlock,
    toBlock: state.blockNumber,
    signal: ctx.signal,
  });
  log.debug("vault validators read from its events", { keys: keys.length, fromBlock: Number(firstBlock) });
  const [syncing, spec] = await Promise.all([
    consensus.getSyncing({ signal: ctx.signal }),
    consensus.getSpec({ signal: ctx.signal }),
  ]);
  const period = spec.values.SHARD_COMMITTEE_PERIOD;
  const validators =
    keys.length === 0
      ? []
      : await consensus.getValidators(keys, { signal: ctx.signal, stateId: syncing.headSlot });
  const selection = selectValidatorsToExit({
    validators,
    epoch: BigInt(syncing.headSlot) / BigInt(network.slotsPerEpoch),
    shardCommitteePeriod:
      typeof period === "string" && /^\d+$/.test(period) ? BigInt(period) : SHARD_COMMITTEE_PERIOD,
    ...(options.count !== undefined ? { count: options.count } : {}),
    ...(options.indexes !== undefined ? { indexes: options.indexes } : {}),
  });
  if (selection.kind === "refused") throw new UserInputError(`nothing was sent: ${selection.reason}`);
  const chosen = selection.validators;

  const address = network.withdrawalRequests ?? EIP7002_WITHDRAWAL_REQUESTS;
  const feeWei = await readRequestFee({ client: execution, address, kind: "withdrawal" });
  const capGwei = options.maxWithdrawalRequestFeeGwei ?? V5_DEFAULTS.maxWithdrawalRequestFeeGwei;
  if (feeWei > capGwei * WEI_PER_GWEI) {
    throw new OperatorError(
      `the withdrawal request fee is ${formatWeiAsGwei(feeWei)} gwei, above --max-withdrawal-request-fee-gwei ${capGwei}: nothing was sent; try again when it falls, or raise the cap`,
      { retryable: true },
    );
  }
  const indexes = chosen.map((v) => v.index).join(", ");
  if (options.confirm) {
    const answer = await ctx.prompter.ask(
      `Are you sure you want to exit ${chosen.length} validators with indexes: ${indexes}? The vault pays ${formatWeiAsGwei(feeWei)} gwei per request. [y/N]`,
    );
    if (!/^y(es)?$/i.test(answer.trim())) {
      output.line("Aborted: no exit was submitted.");
      return;
    }
  }

  const exits = fullExits(chosen);
  const entries = toHex(
    encodeWithdrawalEntries(
      exits.map((e) => ({ publicKey: hexToBytes(e.publicKey), amountGwei: e.amountGwei })),
    ),
  );
  const managerSignature = await manager.sign(
    { kind: "withdraw", vault, validators: entries, items: exits },
    ctx.signal,
  );
  const hash = await sendExits({
    network,
    executionEndpoints,
    jwtSecret,
    account,
    vault,
    validators: entries,
    managerSignature,
    requests: exits.length,
    feeWei,
  });
  const receipt = await execution.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success") {
    throw new OperatorError(`the withdrawValidators transaction ${hash} reverted: no exit was submitted`);
  }
  output.line(`Validators ${indexes} exits successfully initiated (transaction ${hash})`);
}

async function sendExits(p: {
  network: NetworkConfig;
  executionEndpoints: string[];
  jwtSecret: Uint8Array | undefined;
  account: ReturnType<typeof privateKeyToAccount>;
  vault: Address;
  /** The withdrawValidators entries (full exits: amount 0). */
  validators: Hex;
  /** Empty when the wallet is the validators manager; the relayer's otherwise. */
  managerSignature: Hex;
  requests: number;
  feeWei: bigint;
}): Promise<`0x${string}`> {
  const client = createWalletClient({
    account: p.account,
    chain: chainOf(p.network),
    transport: createExecutionTransport({ endpoints: p.executionEndpoints, jwtSecret: p.jwtSecret }),
  });
  return client.sendTransaction({
    to: p.vault,
    // The vault refunds what the system contract did not take, so fee × count read just now is enough.
    data: encodeFunctionData({
      abi: vaultV5Abi,
      functionName: "withdrawValidators",
      args: [p.validators, p.managerSignature],
    }),
    value: p.feeWei * BigInt(p.requests),
  });
}
