import { type Address, encodeFunctionData, type Hex } from "viem";
import { keeperAbi } from "../../chain/abi/keeper.ts";
import {
  combineOracleSignatures,
  keeperDomain,
  keeperExitSignaturesTypedData,
} from "../../chain/keeper-eip712.ts";
import type { NetworkConfig } from "../../config/networks.ts";
import type { ExitSigner } from "../../keys/sources/exit-signer.ts";
import type { Logger } from "../../lib/logger.ts";
import { exitShardsFor } from "../../oracles/exit-shares.ts";
import {
  agreeingApprovals,
  NotEnoughOracleAnswersError,
  requestApprovals,
  requestOutdatedSignatures,
} from "../../oracles/oracle-client.ts";
import type { OracleSet } from "../../oracles/oracle-set.ts";
import type { RoundTask } from "../round-context.ts";
import { OK, waitingFor } from "../status/outcome.ts";
import type { TransactionSender } from "../tx/transaction-sender.ts";
import { waitOrThrow } from "../wait-errors.ts";

/** Gas of `Keeper.updateExitSignatures`, from below (the funds check before the oracle round). */
export const ROTATION_GAS_FLOOR = 100_000n;

export interface RotationTaskParameters {
  network: NetworkConfig;
  vault: Address;
  signer: ExitSigner;
  sender: TransactionSender;
  /** Beacon public keys of validator indexes. */
  publicKeysOf: (indexes: number[]) => Promise<Array<{ index: number; publicKey: Hex }>>;
  /** Block of the vault's last ExitSignaturesUpdated event (a cached, checkpointed scan). */
  lastUpdateBlock: (signal?: AbortSignal) => Promise<bigint | undefined>;
  /** Keeper.exitSignaturesNonces(vault): the nonce the approvals sign. */
  nonce: () => Promise<bigint>;
  /** The Keeper's oracle set now (a fresh read; a cached parse while the config is unchanged). */
  oracles: (signal: AbortSignal) => Promise<OracleSet>;
  timeoutMs: number;
  /** Receives the number of outdated validators, when the oracles said it. */
  onOutdated: (count: number) => void;
  log: Logger;
}

/**
 * Exit-signature rotation (spec §6.5): when the oracle set changes, the oracles report which of
 * the vault's validators have outdated exit signatures; the service re-shares them and submits
 * Keeper.updateExitSignatures. The oracle set is read afresh when the rotation starts (the set
 * may change after the slot's snapshot), and that one set is asked for the outdated validators,
 * gets the shares and signs the approval; right before sending, the set is read again and a
 * changed set ends the attempt (the next slot re-shares for the new one). So a share never goes
 * to a retired oracle while a new one is left without, and the transaction goes through the one
 * sender.
 */
export function createRotationTask(d: RotationTaskParameters): RoundTask {
  return {
    name: "exit-signatures",
    async run(round, signal) {
      const { snapshot } = round;
      const oracles = await d.oracles(signal);
      const lastUpdateBlock = await d.lastUpdateBlock(signal);
      let reports: Awaited<ReturnType<typeof requestOutdatedSignatures>>;
      try {
        reports = await requestOutdatedSignatures({
          oracles: oracles.targets,
          vault: d.vault,
          threshold: oracles.validatorsMinOracles,
          timeoutMs: d.timeoutMs,
          signal,
        });
      } catch (error) {
        // Not "0 outdated": nobody knows how many are outdated until enough oracles answer.
        if (error instanceof NotEnoughOracleAnswersError) return waitingFor("oracle-reports", error.message);
        throw error;
      }
      // Oracles that have not processed the last update yet would report it as still outdated.
      const synced = reports.filter(
        (r) =>
          lastUpdateBlock === undefined || BigInt(r.exit_signature_block_number ?? -1) >= lastUpdateBlock,
      );
      if (synced.length < oracles.validatorsMinOracles) {
        return waitingFor(
          "oracle-reports",
          `${synced.length} of ${oracles.targets.length} oracles have processed the vault's last exit signatures update, ${oracles.validatorsMinOracles} needed`,
        );
      }
      const outdated = [...new Set(synced[0]?.validators.map((v) => v.index) ?? [])].sort((a, b) => a - b);
      d.onOutdated(outdated.length);
      if (outdated.length === 0) return OK;

      const known = (await d.publicKeysOf(outdated.slice(0, oracles.rotationBatchLimit))).filter((v) =>
        d.signer.has(v.publicKey),
      );
      if (known.length === 0) return OK;
      try {
        d.sender.checkCanPay(snapshot, ROTATION_GAS_FLOOR, "exit-signatures");
        const shards = await Promise.all(
          known.map(async (v) =>
            exitShardsFor(
              await d.signer.signExitForOracles(v.publicKey, v.index, d.network, {
                count: oracles.recipients.length,
                threshold: oracles.recoverThreshold,
              }),
              {
                validatorPublicKey: Buffer.from(v.publicKey.slice(2), "hex"),
                validatorIndex: v.index,
                network: d.network,
                threshold: oracles.recoverThreshold,
                oracles: oracles.recipients,
              },
            ),
          ),
        );
        const deadline = snapshot.head.timestamp + oracles.signatureValidityPeriod;
        const nonce = await d.nonce();
        const domain = keeperDomain(d.network.chainId, d.network.keeper.address);
        const result = await requestApprovals({
          oracles: oracles.targets,
          path: "/signatures",
          body: {
            vault_address: d.vault,
            public_keys: known.map((v) => v.publicKey),
            public_key_shards: shards.map((s) => s.publicKeyShards),
            exit_signature_shards: shards.map((s) => s.exitSignatureShards),
            deadline,
          },
          timeoutMs: d.timeoutMs,
          ...(signal ? { signal } : {}),
          typedData: (approval) =>
            keeperExitSignaturesTypedData(domain, {
              vault: d.vault,
              exitSignaturesIpfsHash: approval.ipfs_hash,
              nonce,
              deadline: BigInt(approval.deadline),
            }),
        });
        for (const failure of result.failures) {
          d.log.warn("oracle did not approve", { oracle: failure.oracle, reason: failure.reason });
        }
        const agreed = agreeingApprovals(result.approvals, oracles.validatorsMinOracles, result.failures);
        if ((await d.oracles(signal)).configIpfsHash !== oracles.configIpfsHash) {
          return waitingFor(
            "oracles",
            "the oracle set changed during the rotation: it is redone for the new set",
          );
        }
        const receipt = await d.sender.send({
          kind: "exit-signatures",
          to: d.network.keeper.address,
          data: encodeFunctionData({
            abi: keeperAbi,
            functionName: "updateExitSignatures",
            args: [
              d.vault,
              BigInt(agreed.deadline),
              agreed.ipfsHash,
              combineOracleSignatures(agreed.signatures, oracles.validatorsMinOracles),
            ],
          }),
        });
        d.log.info("exit signatures updated", {
          validators: known.length,
          txHash: receipt.transactionHash,
          block: Number(receipt.blockNumber),
        });
        return OK;
      } catch (error) {
        return waitOrThrow(error);
      }
    },
  };
}
