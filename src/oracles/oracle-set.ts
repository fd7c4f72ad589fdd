import type { Address } from "viem";
import type { ProtocolConfigSource } from "../chain/protocol-config-source.ts";
import type { EciesRecipient } from "../crypto/ecies.ts";
import { oracleAddress } from "../crypto/secp256k1-keys.ts";
import { parseHex } from "../lib/hex.ts";
import { prepareOracleRecipients } from "./exit-shares.ts";
import type { OracleTarget } from "./oracle-client.ts";
import { parseProtocolConfig } from "./protocol-config.ts";

/**
 * The oracle set in force (spec §4.5): who is asked (targets, in protocol config order), who gets
 * exit-signature shares (recipients, same order), the thresholds and the protocol's limits — all
 * from one read of the Keeper's config, so what is asked and what is shared never disagree.
 */
export interface OracleSet {
  /** The IPFS hash of the config this set is read from. */
  configIpfsHash: string;
  targets: readonly OracleTarget[];
  recipients: readonly EciesRecipient[];
  /** exit_signature_recover_threshold: shares needed to rebuild an exit signature. */
  recoverThreshold: number;
  /** The Keeper's validatorsMinOracles: approvals a registration or rotation needs. */
  validatorsMinOracles: number;
  signatureValidityPeriod: number;
  /** validators_approval_batch_limit. */
  batchLimit: number;
  /** validators_exit_rotation_batch_limit. */
  rotationBatchLimit: number;
  /** validator_min_active_epochs, when the config has it: a withdrawal exits no younger validator. */
  validatorMinActiveEpochs?: number;
}

/**
 * Reads the oracle set of the Keeper's last config through `source`. The parsed set is kept for
 * the config's IPFS hash: a read with an unchanged config costs only the source's own read.
 */
export function createOracleSetReader(source: ProtocolConfigSource) {
  let cached: OracleSet | undefined;
  return async function readOracleSet(signal?: AbortSignal): Promise<{ set: OracleSet; changed: boolean }> {
    const snapshot = await source.read(signal ? { signal } : {});
    if (cached?.configIpfsHash === snapshot.configIpfsHash) return { set: cached, changed: false };
    const parsed = parseProtocolConfig(
      snapshot.json,
      snapshot.validatorsMinOracles,
      `ipfs://${snapshot.configIpfsHash}`,
    );
    cached = {
      configIpfsHash: snapshot.configIpfsHash,
      targets: parsed.oracles.map((o) => ({
        address: oracleAddress(parseHex(o.publicKey) as Uint8Array) as Address,
        endpoints: o.endpoints,
      })),
      recipients: prepareOracleRecipients(parsed.oracles),
      recoverThreshold: parsed.exitSignatureRecoverThreshold,
      validatorsMinOracles: snapshot.validatorsMinOracles,
      signatureValidityPeriod: parsed.signatureValidityPeriod,
      batchLimit: parsed.validatorsApprovalBatchLimit,
      rotationBatchLimit: parsed.validatorsExitRotationBatchLimit,
      ...(parsed.validatorMinActiveEpochs === undefined
        ? {}
        : { validatorMinActiveEpochs: parsed.validatorMinActiveEpochs }),
    };
    return { set: cached, changed: true };
  };
}

export type OracleSetReader = ReturnType<typeof createOracleSetReader>;
