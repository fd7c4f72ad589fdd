import Fastify, { type FastifyInstance, type FastifyReply } from "fastify";
import type { Address } from "viem";
import type { z } from "zod";
import { OperatorError } from "../../lib/errors.ts";
import type { Logger } from "../../lib/logger.ts";
import {
  ConsolidateBody,
  FundBody,
  issueLine,
  LegacyExitSignatureBody,
  LegacyValidatorsBody,
  RegisterBody,
  SignaturesBody,
  WithdrawBody,
} from "./http-schemas.ts";
import {
  type ManagerAccount,
  type ManagerChain,
  type ManagerRequest,
  signManagerRequest,
} from "./manager-signature.ts";
import type { ValidatorRecord } from "./records.ts";
import { type RelayerCore, shareIndexesReady, signaturesReady } from "./relayer-core.ts";
import { RelayerInputError, RelayerUnavailableError } from "./relayer-errors.ts";

export type RelayerProtocol = "v4" | "legacy";

/** Today's generation: the DV public keys (CSV order) that are not registered yet (spec A.4). */
export interface KeyRegistry {
  unregisteredKeys(): Promise<`0x${string}`[]>;
}

export interface RelayerAppOptions {
  protocol: RelayerProtocol;
  network: string;
  now?: () => number;
}

export interface RelayerAppDeps {
  core: RelayerCore;
  log: Logger;
  /** Today's generation. */
  keys?: KeyRegistry;
  manager?: { chain: ManagerChain; account: ManagerAccount };
  /** Legacy: the beacon index the next new validator gets (spec A.4). */
  nextValidatorIndex?: () => Promise<number>;
}

function parse<T extends z.ZodType>(schema: T, body: unknown): z.output<T> {
  const result = schema.safeParse(body ?? {});
  if (!result.success) throw new RequestBodyError(issueLine(result.error));
  return result.data;
}

class RequestBodyError extends OperatorError {
  override name = "RequestBodyError";
}

const claimed = (shares: readonly { share_index: bigint; public_key_share: `0x${string}` }[]) =>
  shares.map((p) => ({ shareIndex: p.share_index, publicKeyShare: p.public_key_share }));

const createdAtString = (seconds: number) =>
  `${new Date(seconds * 1000).toISOString().replace("T", " ").slice(0, 19)}+0000`;
const numbers = (indexes: readonly bigint[]) => indexes.map(Number);

/**
 * The relayer's HTTP API (spec A.1 today's generation, A.2 legacy) on fastify. Bodies are checked
 * with zod: a malformed body is 422, a share or key the relayer refuses 400, both `{detail}` with
 * one line; nothing is stored for a refused request.
 */
export function createRelayerApp(options: RelayerAppOptions, deps: RelayerAppDeps): FastifyInstance {
  const { core, log } = deps;
  const now = options.now ?? Date.now;
  // Shutdown closes every connection at once: fastify would otherwise wait up to its 72-s
  // keep-alive for the sidecars' and the operator's pooled connections (they retry).
  const app = Fastify({ logger: false, bodyLimit: 8 * 1024 * 1024, forceCloseConnections: true });

  app.setErrorHandler((error, request, reply: FastifyReply) => {
    if (error instanceof RequestBodyError) return reply.code(422).send({ detail: error.message });
    if (error instanceof RelayerInputError) return reply.code(400).send({ detail: error.shortMessage });
    if (error instanceof RelayerUnavailableError) return reply.code(503).send({ detail: error.shortMessage });
    const status = (error as { statusCode?: number }).statusCode;
    if (status !== undefined && status >= 400 && status < 500) {
      return reply.code(status).send({ detail: "malformed request" });
    }
    log.error("relayer request failed", { path: request.url }, error);
    return reply.code(500).send({ detail: "internal error" });
  });

  app.get("/info", async () => ({
    network: options.network,
    ...(deps.manager ? { validators_manager_address: deps.manager.account.address } : {}),
  }));

  const managerSignature = async (request: ManagerRequest) => {
    if (!deps.manager) throw new RelayerUnavailableError("this relayer has no validators-manager wallet");
    return signManagerRequest(request, deps.manager);
  };

  if (options.protocol === "v4") {
    app.post("/register", async (request) => {
      const body = parse(RegisterBody, request.body);
      if (!deps.keys) throw new RelayerUnavailableError("this relayer has no public keys file");
      const keys = (await deps.keys.unregisteredKeys()).slice(0, body.amounts.length);
      const createdAt = Math.floor(now() / 1000);
      const records = await core.recordValidators(
        keys.map((publicKey, i) => ({
          publicKey,
          vault: body.vault.toLowerCase() as Address,
          amountGwei: body.amounts[i] as number,
          validatorType: body.validator_type,
          validatorIndex: body.validators_start_index + i,
          createdAt,
        })),
      );
      const ready = records.length > 0 && records.every(signaturesReady);
      const signature = ready
        ? await managerSignature({
            kind: "register",
            vault: body.vault,
            type: body.validator_type,
            items: records.map((r) => ({
              publicKey: r.publicKey,
              amountGwei: r.amountGwei,
              depositSignature: r.depositSignature as `0x${string}`,
            })),
          })
        : null;
      return {
        validators: records.map((r) => ({
          public_key: r.publicKey,
          amount: r.amountGwei,
          deposit_signature: r.depositSignature,
          exit_signature: r.exitSignature,
          oracles_exit_signature_shares: r.oracleExitShares
            ? {
                public_keys: r.oracleExitShares.publicKeys,
                encrypted_exit_signatures: r.oracleExitShares.encryptedExitSignatures,
              }
            : null,
        })),
        validators_manager_signature: signature,
      };
    });

    app.post("/fund", async (request) => {
      const body = parse(FundBody, request.body);
      const items = body.public_keys.map((publicKey, i) => ({
        publicKey,
        amountGwei: body.amounts[i] as number,
      }));
      return {
        validators_manager_signature: await managerSignature({ kind: "fund", vault: body.vault, items }),
      };
    });

    app.post("/withdraw", async (request) => {
      const body = parse(WithdrawBody, request.body);
      const items = body.public_keys.map((publicKey, i) => ({
        publicKey,
        amountGwei: body.amounts[i] as number,
      }));
      return {
        validators_manager_signature: await managerSignature({ kind: "withdraw", vault: body.vault, items }),
      };
    });

    app.post("/consolidate", async (request) => {
      const body = parse(ConsolidateBody, request.body);
      const pairs = body.source_public_keys.map((source, i) => ({
        source,
        target: body.target_public_keys[i] as `0x${string}`,
      }));
      return {
        validators_manager_signature: await managerSignature({
          kind: "consolidate",
          vault: body.vault,
          pairs,
        }),
      };
    });

    app.get("/validators", async () => ({
      validators: await Promise.all(
        (await core.validators()).map(async (r) => ({
          vault: r.vault,
          public_key: r.publicKey,
          amount: r.amountGwei,
          validator_index: r.validatorIndex,
          validator_type: r.validatorType,
          is_signatures_ready: signaturesReady(r),
          created_at_timestamp: r.createdAt,
          created_at_string: createdAtString(r.createdAt),
          share_indexes_ready: numbers(shareIndexesReady(r)),
          ...(await missing(r)),
        })),
      ),
    }));

    app.post("/signatures", async (request) => {
      const body = parse(SignaturesBody, request.body);
      await core.receiveShares(
        body.share_index,
        body.shares.map((share) => ({
          publicKey: share.public_key,
          exitSignature: share.exit_signature,
          ...(share.deposit_signature ? { depositSignature: share.deposit_signature } : {}),
          ...(share.public_key_shares ? { publicKeyShares: claimed(share.public_key_shares) } : {}),
        })),
      );
      return {};
    });
  } else {
    app.post("/validators", async (request) => {
      const body = parse(LegacyValidatorsBody, request.body);
      if (!deps.nextValidatorIndex)
        throw new RelayerUnavailableError("this relayer cannot compute validator indexes");
      const start = await deps.nextValidatorIndex();
      const createdAt = Math.floor(now() / 1000);
      const records = await core.recordValidators(
        body.public_keys.map((publicKey, i) => ({
          publicKey,
          vault: null,
          amountGwei: 0,
          validatorType: "0x01" as const,
          validatorIndex: start + i,
          createdAt,
        })),
      );
      return {
        ready: records.every((r) => r.oracleExitShares !== null),
        validators: records.map((r) => ({
          public_key: r.publicKey,
          oracles_exit_signature_shares: r.oracleExitShares
            ? {
                public_keys: r.oracleExitShares.publicKeys,
                encrypted_exit_signatures: r.oracleExitShares.encryptedExitSignatures,
              }
            : null,
        })),
      };
    });

    app.get("/exits", async () => ({
      exits: await Promise.all(
        (await core.validators()).map(async (r) => ({
          public_key: r.publicKey,
          validator_index: r.validatorIndex,
          is_exit_signature_ready: r.exitSignature !== null,
          created_at_timestamp: r.createdAt,
          created_at_string: createdAtString(r.createdAt),
          share_indexes_ready: numbers(r.exitShareIndexes),
          ...(await missing(r)),
        })),
      ),
    }));

    app.post("/exit-signature", async (request) => {
      const body = parse(LegacyExitSignatureBody, request.body);
      await core.receiveShares(
        body.share_index,
        body.shares.map((share) => ({
          publicKey: share.public_key,
          exitSignature: share.exit_signature,
          ...(share.public_key_shares ? { publicKeyShares: claimed(share.public_key_shares) } : {}),
        })),
      );
      return {};
    });
  }

  /** `share_indexes_missing` when the cluster is known: which sidecars the relayer still waits for. */
  async function missing(record: ValidatorRecord) {
    if (signaturesReady(record)) return {};
    const indexes = await core.missingShareIndexes(record);
    return indexes ? { share_indexes_missing: numbers(indexes) } : {};
  }

  return app;
}
