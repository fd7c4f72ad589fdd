import { setTimeout as delay } from "node:timers/promises";
import Fastify, { type FastifyReply } from "fastify";
import { type Address, concatBytes, getAddress, type Hex, toHex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import {
  keeperDomain,
  keeperExitSignaturesTypedData,
  keeperValidatorsTypedData,
} from "../../chain/keeper-eip712.ts";
import type { NetworkConfig } from "../../config/networks.ts";
import { OperatorError } from "../../lib/errors.ts";
import { parseHex } from "../../lib/hex.ts";
import type { Logger } from "../../lib/logger.ts";
import { toPythonJson } from "../../lib/python-json.ts";
import type { IpfsStore } from "../ipfs/store.ts";
import { listenOnLoopback } from "../loopback-server.ts";
import { type BlsVerifier, createBlsVerifier } from "./bls-shares.ts";
import {
  checkDepositSignature,
  checkRegistrationProof,
  checkShards,
  OracleRejection,
  txValidatorOf,
  type ValidatorShards,
} from "./checks.ts";
import { checkConsolidationRequest } from "./consolidation-approval.ts";
import type { ExitRecords } from "./exit-records.ts";
import type { OracleChain } from "./oracle-chain.ts";
import { decide, describeIssue, LOG_DETAILS } from "./oracle-decisions.ts";
import { checkV4Registration } from "./registration-v4.ts";
import {
  ConsolidationRequestBody,
  ExitSignaturesRequestBody,
  RegistrationRequestBody,
  RegistrationRequestV4Body,
} from "./request-schema.ts";
import { consolidationsCheckerTypedData } from "./vault-typed-data.ts";

/** Faults a test can inject: no answer, 503, a slow answer, or a signature by the wrong key. */
export type OracleFault = "refuse" | "down" | "slow" | "wrong-signature";

/** The oracle set as every oracle sees it (shared by the committee). */
export interface OracleSetView {
  oracleCount(): number;
  recoverThreshold(): number;
  /** Increases when the oracle set changes: earlier exit shards become outdated. */
  generation(): number;
  signatureValidityPeriod(): number;
  approvalBatchLimit(): number;
  exitRotationBatchLimit(): number;
}

export interface StartOracleParameters {
  privateKey: Hex;
  /** Our position in the protocol config's oracle list. */
  position: () => number;
  set: OracleSetView;
  chain: OracleChain;
  chainId: number;
  keeper: Address;
  network: NetworkConfig;
  ipfs: IpfsStore;
  records: ExitRecords;
  /** The ConsolidationsChecker contract; without it /consolidate-validators/ refuses every request. */
  consolidationsChecker?: Address;
  /** Beacon indexes this oracle reports as force-exiting (GET /exits/). */
  forcedExits?: () => readonly number[];
  /** Where each decision (approved / rejected and why) is logged. */
  logger?: Logger;
  /** Shared by a committee's oracles (it caches hashed messages); a new one by default. */
  bls?: BlsVerifier;
  host?: string;
  port?: number;
  slowMs?: number;
  now?: () => number;
}

export interface OracleServer {
  url: string;
  address: Address;
  setFault(fault: OracleFault | null): void;
  close(): Promise<void>;
}

/**
 * One StakeWise oracle double (spec §5.1, §5.4): it checks a request the way a real oracle does
 * (registry root, vault, validator index, deposit signatures, proof against the vault's validators
 * root, shards), stores the exit-signature shards on IPFS and signs the Keeper's EIP-712 message.
 */
export async function startOracle(params: StartOracleParameters): Promise<OracleServer> {
  const host = params.host ?? "127.0.0.1";
  if (host !== "127.0.0.1" && host !== "::1" && host !== "localhost") {
    throw new OperatorError(`the oracle double binds loopback only, not ${host}`);
  }
  const account = privateKeyToAccount(params.privateKey);
  const privateKey = parseHex(params.privateKey, 32) as Uint8Array;
  const bls = params.bls ?? createBlsVerifier();
  const now = params.now ?? (() => Math.floor(Date.now() / 1000));
  const domain = keeperDomain(params.chainId, params.keeper);
  const state: { fault: OracleFault | null } = { fault: null };
  const closing = new AbortController();
  const app = Fastify({ logger: false, forceCloseConnections: true, bodyLimit: 16 * 1024 * 1024 });

  app.addHook("onRequest", async (request, reply) => {
    if (state.fault === "refuse") {
      reply.hijack();
      request.raw.socket.destroy();
      return;
    }
    if (state.fault === "down") return reply.code(503).send({ error: "oracle is down (injected fault)" });
    if (state.fault === "slow")
      await delay(params.slowMs ?? 15_000, undefined, { signal: closing.signal }).catch(() => {});
  });

  const sign = async (typedData: Parameters<typeof account.signTypedData>[0]): Promise<Hex> => {
    if (state.fault === "wrong-signature")
      return privateKeyToAccount(generatePrivateKey()).signTypedData(typedData);
    return account.signTypedData(typedData);
  };

  const storeShards = async (vault: Address, validators: ValidatorShards[]): Promise<string> => {
    // Every oracle stores the same bytes for the same request, so they agree on one CID.
    const payload = toPythonJson({
      vault: vault.toLowerCase(),
      validators: validators.map((v) => ({
        public_key: v.publicKey.toLowerCase(),
        index: v.validatorIndex,
        public_key_shards: v.publicKeyShards.map((s) => s.toLowerCase()),
        exit_signature_shards: v.exitSignatureShards.map((s) => s.toLowerCase()),
      })),
    });
    return params.ipfs.put(new TextEncoder().encode(payload));
  };

  const self = () => ({ position: params.position(), privateKey });
  const log = params.logger?.child({ module: "oracle", oracle: account.address });
  // Approvals are decisions (info); answers to read-only queries are logged at debug.
  const answer = (reply: FastifyReply, what: string, work: () => Promise<unknown>, query = false) =>
    decide(reply, work, {
      approved: (details) =>
        query
          ? log?.debug(`oracle answered ${what}`, details)
          : log?.info(`oracle approved ${what}`, details),
      rejected: (reason) => log?.warn(`oracle rejected ${what}`, { reason }),
      failed: (error) => log?.error(`oracle failed to answer ${what}`, {}, error),
    });

  app.get("/", async () => ({ status: "ok", address: account.address }));

  app.post("/", async (request, reply) => {
    // v4 operators send no proof fields (spec §5.1 v4+); older ones always send them, maybe null.
    const isV4 = typeof request.body === "object" && request.body !== null && !("proof" in request.body);
    if (isV4) return answer(reply, "registration", () => approveV4(request.body));
    return answer(reply, "registration", async () => {
      const parsed = RegistrationRequestBody.safeParse(request.body);
      if (!parsed.success)
        throw new OracleRejection(`invalid request: ${describeIssue(parsed.error.issues[0])}`);
      const body = parsed.data;
      const vault = getAddress(body.vault_address);
      const count = body.public_keys.length;
      if (
        body.deposit_signatures.length !== count ||
        body.public_key_shards.length !== count ||
        body.exit_signature_shards.length !== count
      ) {
        throw new OracleRejection(
          "public_keys, deposit_signatures and shard lists must have the same length",
        );
      }
      if (body.deadline <= now()) throw new OracleRejection("deadline has passed");
      if (body.deadline > now() + 2 * params.set.signatureValidityPeriod())
        throw new OracleRejection("deadline is too far in the future");
      if (count > params.set.approvalBatchLimit()) {
        throw new OracleRejection(`at most ${params.set.approvalBatchLimit()} validators per approval`);
      }
      const [registryRoot, isVault, nextIndex] = await Promise.all([
        params.chain.depositRoot(),
        params.chain.isVault(vault),
        params.chain.nextValidatorIndex(),
      ]);
      if (!isVault) throw new OracleRejection(`${vault} is not a registered vault`);
      if (registryRoot.toLowerCase() !== body.validators_root.toLowerCase()) {
        throw new OracleRejection("validators_root is not the deposit contract's current root");
      }
      if (body.validator_index !== nextIndex) {
        throw new OracleRejection(
          `validator_index ${body.validator_index} is not the next validator index ${nextIndex}`,
        );
      }
      const [validatorsRoot, startIndex] = await Promise.all([
        params.chain.vaultValidatorsRoot(vault),
        params.chain.vaultValidatorIndex(vault),
      ]);
      const shards: ValidatorShards[] = body.public_keys.map((publicKey, k) => ({
        publicKey: publicKey as Hex,
        validatorIndex: body.validator_index + k,
        publicKeyShards: body.public_key_shards[k] as Hex[],
        exitSignatureShards: body.exit_signature_shards[k] as Hex[],
      }));
      const txValidators = body.public_keys.map((publicKey, k) => {
        checkDepositSignature(
          publicKey as Hex,
          body.deposit_signatures[k] as Hex,
          vault,
          params.network,
          bls,
        );
        return txValidatorOf(publicKey as Hex, body.deposit_signatures[k] as Hex, vault, params.network);
      });
      checkRegistrationProof(
        {
          txValidators,
          startIndex,
          proof: (body.proof ?? []) as Hex[],
          proofFlags: body.proof_flags,
          proofIndexes: body.proof_indexes,
        },
        validatorsRoot,
      );
      for (const s of shards)
        checkShards(s, self(), params.set.oracleCount(), params.set.recoverThreshold(), params.network, bls);

      const ipfsHash = await storeShards(vault, shards);
      const validators = toHex(concatBytes(txValidators));
      const signature = await sign(
        keeperValidatorsTypedData(domain, {
          validatorsRegistryRoot: registryRoot,
          vault,
          validators,
          exitSignaturesIpfsHash: ipfsHash,
          deadline: BigInt(body.deadline),
        }),
      );
      params.records.approve(
        vault,
        shards.map((s) => ({ publicKey: s.publicKey, index: s.validatorIndex })),
        params.set.generation(),
      );
      return { signature, ipfs_hash: ipfsHash, deadline: body.deadline };
    });
  });

  async function approveV4(raw: unknown) {
    const parsed = RegistrationRequestV4Body.safeParse(raw);
    if (!parsed.success)
      throw new OracleRejection(`invalid request: ${describeIssue(parsed.error.issues[0])}`);
    const body = parsed.data;
    if (body.deadline <= now()) throw new OracleRejection("deadline has passed");
    if (body.deadline > now() + 2 * params.set.signatureValidityPeriod())
      throw new OracleRejection("deadline is too far in the future");
    if (body.public_keys.length > params.set.approvalBatchLimit())
      throw new OracleRejection(`at most ${params.set.approvalBatchLimit()} validators per approval`);
    const checked = await checkV4Registration(body, {
      chain: params.chain,
      network: params.network,
      chainId: params.chainId,
      bls,
    });
    for (const s of checked.shards)
      checkShards(s, self(), params.set.oracleCount(), params.set.recoverThreshold(), params.network, bls);
    const ipfsHash = await storeShards(checked.vault, checked.shards);
    const signature = await sign(
      keeperValidatorsTypedData(domain, {
        validatorsRegistryRoot: checked.registryRoot,
        vault: checked.vault,
        validators: toHex(checked.validators),
        exitSignaturesIpfsHash: ipfsHash,
        deadline: BigInt(body.deadline),
      }),
    );
    params.records.approve(
      checked.vault,
      checked.shards.map((s) => ({ publicKey: s.publicKey, index: s.validatorIndex })),
      params.set.generation(),
    );
    return {
      signature,
      ipfs_hash: ipfsHash,
      deadline: body.deadline,
      [LOG_DETAILS]: {
        vault: checked.vault,
        validators: body.public_keys.length,
        firstIndex: body.validator_index,
      },
    };
  }

  app.post("/consolidate-validators/", async (request, reply) =>
    answer(reply, "consolidation", async () => {
      const parsed = ConsolidationRequestBody.safeParse(request.body);
      if (!parsed.success)
        throw new OracleRejection(`invalid request: ${describeIssue(parsed.error.issues[0])}`);
      const checker = params.consolidationsChecker;
      if (!checker) throw new OracleRejection("this devnet has no ConsolidationsChecker configured");
      const checked = await checkConsolidationRequest(parsed.data, {
        chain: params.chain,
        batchLimit: params.set.approvalBatchLimit(),
      });
      const signature = await sign(
        consolidationsCheckerTypedData(params.chainId, checker, {
          vault: checked.vault,
          validators: toHex(checked.validators),
        }),
      );
      return {
        signature,
        [LOG_DETAILS]: { vault: checked.vault, validators: parsed.data.public_keys.length },
      };
    }),
  );

  app.get("/exits/", async (_request, reply) =>
    answer(
      reply,
      "exits query",
      async () => {
        const indexes = params.forcedExits?.() ?? [];
        return Object.assign(
          indexes.map((index) => ({ index })),
          { [LOG_DETAILS]: { indexes: [...indexes] } },
        );
      },
      true,
    ),
  );

  app.get("/signatures/:vault", async (request, reply) =>
    answer(
      reply,
      "outdated exit signatures query",
      async () => {
        const { vault } = request.params as { vault: string };
        if (!/^0x[0-9a-fA-F]{40}$/.test(vault)) throw new OracleRejection("invalid vault address");
        const [nonce, block] = await Promise.all([
          params.chain.exitSignaturesNonce(getAddress(vault)),
          params.chain.blockNumber(),
        ]);
        const outdated = params.records.outdated(vault, params.set.generation(), nonce);
        return {
          exit_signature_block_number: Number(block),
          validators: outdated.map((index) => ({ index })),
        };
      },
      true,
    ),
  );

  app.post("/signatures", async (request, reply) =>
    answer(reply, "exit signatures update", async () => {
      const parsed = ExitSignaturesRequestBody.safeParse(request.body);
      if (!parsed.success)
        throw new OracleRejection(`invalid request: ${describeIssue(parsed.error.issues[0])}`);
      const body = parsed.data;
      const vault = getAddress(body.vault_address);
      const count = body.public_keys.length;
      if (body.public_key_shards.length !== count || body.exit_signature_shards.length !== count) {
        throw new OracleRejection("public_keys and shard lists must have the same length");
      }
      if (body.deadline <= now()) throw new OracleRejection("deadline has passed");
      if (body.deadline > now() + 2 * params.set.signatureValidityPeriod()) {
        throw new OracleRejection("deadline is too far in the future");
      }
      if (count > params.set.exitRotationBatchLimit()) {
        throw new OracleRejection(
          `at most ${params.set.exitRotationBatchLimit()} validators per exit signatures update`,
        );
      }
      if (!(await params.chain.isVault(vault)))
        throw new OracleRejection(`${vault} is not a registered vault`);
      const shards: ValidatorShards[] = [];
      for (let k = 0; k < count; k++) {
        const publicKey = body.public_keys[k] as Hex;
        // Only the vault's own validators: ones whose exit signatures were approved for it.
        const index = params.records.indexOf(vault, publicKey);
        if (index === undefined) {
          throw new OracleRejection(
            `validator ${publicKey.slice(0, 12)}… is not a validator of vault ${vault}`,
          );
        }
        shards.push({
          publicKey,
          validatorIndex: index,
          publicKeyShards: body.public_key_shards[k] as Hex[],
          exitSignatureShards: body.exit_signature_shards[k] as Hex[],
        });
      }
      for (const s of shards)
        checkShards(s, self(), params.set.oracleCount(), params.set.recoverThreshold(), params.network, bls);
      const nonce = await params.chain.exitSignaturesNonce(vault);
      const ipfsHash = await storeShards(vault, shards);
      const signature = await sign(
        keeperExitSignaturesTypedData(domain, {
          vault,
          exitSignaturesIpfsHash: ipfsHash,
          nonce,
          deadline: BigInt(body.deadline),
        }),
      );
      params.records.proposeUpdate(vault, body.public_keys, params.set.generation(), nonce);
      return {
        signature,
        ipfs_hash: ipfsHash,
        deadline: body.deadline,
        [LOG_DETAILS]: { vault, validators: count },
      };
    }),
  );

  const server = await listenOnLoopback(app, {
    host,
    ...(params.port !== undefined ? { port: params.port } : {}),
    closing,
    what: "oracle double",
  });
  return {
    url: server.url,
    address: account.address,
    setFault(fault) {
      state.fault = fault;
    },
    close: server.close,
  };
}
