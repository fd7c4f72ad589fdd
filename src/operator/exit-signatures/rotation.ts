import type { Account, Address, Chain, Client, Hex, PublicClient, Transport } from "viem";
import { waitForTransactionReceipt, writeContract } from "viem/actions";
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
  requestApprovals,
  requestOutdatedSignatures,
} from "../../oracles/oracle-client.ts";
import type { OracleSet } from "../registration/register-validators.ts";

export interface RotationDeps {
  network: NetworkConfig;
  vault: Address;
  client: PublicClient;
  sender: Client<Transport, Chain, Account>;
  oracles: () => OracleSet & { rotationBatchLimit: number };
  /** Beacon public keys of validator indexes. */
  publicKeysOf: (indexes: number[]) => Promise<Array<{ index: number; publicKey: Hex }>>;
  signer: ExitSigner;
  timeoutMs: number;
  log: Logger;
  /** Block of the vault's last ExitSignaturesUpdated event (a cached, checkpointed scan). */
  lastUpdateBlock: (signal?: AbortSignal) => Promise<bigint | undefined>;
}

/**
 * Exit-signature rotation (spec §6.5): when the oracle set changes, the oracles report which of
 * the vault's validators have outdated exit signatures; the service re-shares them with the new
 * set and submits Keeper.updateExitSignatures. Returns the number of outdated validators.
 */
export async function rotateExitSignatures(d: RotationDeps, signal?: AbortSignal): Promise<number> {
  const oracles = d.oracles();
  const lastUpdateBlock = await d.lastUpdateBlock(signal);
  // Fewer answers than validatorsMinOracles throws, naming each oracle that failed.
  const reports = await requestOutdatedSignatures({
    oracles: oracles.targets,
    vault: d.vault,
    threshold: oracles.validatorsMinOracles,
    timeoutMs: d.timeoutMs,
    ...(signal ? { signal } : {}),
  });
  // Oracles that have not processed the last update yet would report it as still outdated.
  const synced = reports.filter(
    (r) => lastUpdateBlock === undefined || BigInt(r.exit_signature_block_number ?? -1) >= lastUpdateBlock,
  );
  if (synced.length < oracles.validatorsMinOracles) return 0;
  const outdated = [...new Set(synced[0]?.validators.map((v) => v.index) ?? [])].sort((a, b) => a - b);
  if (outdated.length === 0) return 0;

  const known = (await d.publicKeysOf(outdated.slice(0, oracles.rotationBatchLimit))).filter((v) =>
    d.signer.has(v.publicKey),
  );
  if (known.length === 0) return outdated.length;
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
  const block = await d.client.getBlock();
  const deadline = Number(block.timestamp) + oracles.signatureValidityPeriod;
  const nonce = await d.client.readContract({
    address: d.network.keeper.address,
    abi: keeperAbi,
    functionName: "exitSignaturesNonces",
    args: [d.vault],
  });
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
  const agreed = agreeingApprovals(result.approvals, oracles.validatorsMinOracles, result.failures);
  const hash = await writeContract(d.sender, {
    account: d.sender.account,
    chain: d.sender.chain,
    address: d.network.keeper.address,
    abi: keeperAbi,
    functionName: "updateExitSignatures",
    args: [
      d.vault,
      BigInt(agreed.deadline),
      agreed.ipfsHash,
      combineOracleSignatures(agreed.signatures, oracles.validatorsMinOracles),
    ],
  });
  const receipt = await waitForTransactionReceipt(d.sender, { hash });
  d.log.info("exit signatures updated", { validators: known.length, txHash: hash, status: receipt.status });
  return outdated.length;
}
