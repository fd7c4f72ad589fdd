/**
 * The devnet's control endpoint: a loopback HTTP server in the `operator devnet` process (where the
 * oracle servers live) that the helper commands `set-oracles` and `publish-rewards` call. Every
 * request carries the random token written beside the URL in control.json (mode 0600): another
 * user on the machine cannot change the oracle set.
 */
import { randomBytes, timingSafeEqual } from "node:crypto";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import Fastify from "fastify";
import type { Address } from "viem";
import { z } from "zod";
import { writeFileAtomic } from "../../lib/atomic-file.ts";
import type { Logger } from "../../lib/logger.ts";
import { DEVNET_ORACLES_SEED, deriveOracleKeys, type OracleKey } from "../accounts.ts";
import { type ListeningServer, listenOnLoopback } from "../loopback-server.ts";
import type { PublishedRewards, VaultRewards } from "../rewards.ts";

/** What the control endpoint can do to a running devnet (local or --rpc-url). */
export interface DevnetControl {
  oracles(): ReadonlyArray<{ address: Address; endpoint: string }>;
  /** Oracles needed to reassemble an exit signature: a new set has at least this many. */
  recoverThreshold: number;
  replaceOracles(keys: readonly OracleKey[], threshold: number): Promise<string>;
  publishRewards(rewards: readonly Omit<VaultRewards, "sharedMevEscrow">[]): Promise<PublishedRewards>;
}

export const CONTROL_FILE = "control.json";

/** The shape of control.json. */
export interface ControlFile {
  url: string;
  token: string;
  pid: number;
}

const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, "must be a 0x address");
const wei = z.string().regex(/^-?\d+$/, "must be a whole number of wei");
const OraclesBody = z.object({
  count: z.number().int().min(1).max(32),
  seed: z.string().min(1).optional(),
  threshold: z.number().int().min(1).optional(),
});
const RewardsBody = z.object({
  vaults: z.array(address).min(1),
  consensusRewardWei: wei,
  unlockedMevRewardWei: wei,
  lockedMevRewardWei: wei,
});

/** One line for a body that does not parse: the field and what is wrong with it. */
function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  return `field "${issue?.path.join(".") || "(body)"}" ${issue?.message ?? "is invalid"}`;
}

export interface StartControlServerOptions {
  control: DevnetControl;
  /** Where control.json is written (the devnet dir); removed again on close. */
  dir: string;
  logger?: Logger;
  signal?: AbortSignal;
}

export async function startControlServer(options: StartControlServerOptions): Promise<ListeningServer> {
  const { control } = options;
  const token = randomBytes(32).toString("hex");
  const expected = Buffer.from(`Bearer ${token}`);
  const app = Fastify({ logger: false });
  // One change at a time: each is a few Keeper-owner transactions in a row.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const next = queue.then(work, work);
    queue = next.catch(() => {});
    return next;
  };

  app.addHook("onRequest", async (request, reply) => {
    const given = Buffer.from(request.headers.authorization ?? "");
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return reply.code(401).send({ message: "no or wrong token: read it from control.json" });
    }
  });
  app.setErrorHandler((error, _request, reply) => {
    options.logger?.warn("devnet control request failed", {}, error);
    const status = (error as { statusCode?: number }).statusCode ?? 500;
    return reply.code(status >= 400 && status < 500 ? status : 500).send({ message: errorLine(error) });
  });

  app.post("/oracles", async (request, reply) => {
    const body = OraclesBody.safeParse(request.body);
    if (!body.success) return reply.code(400).send({ message: firstIssue(body.error) });
    const { count, seed } = body.data;
    const threshold = body.data.threshold ?? Math.floor(count / 2) + 1;
    if (threshold > count) {
      return reply.code(400).send({ message: `threshold ${threshold} is more than the ${count} oracles` });
    }
    if (count < control.recoverThreshold) {
      return reply.code(400).send({
        message: `${count} oracles cannot reassemble exit signatures that need ${control.recoverThreshold}: use at least ${control.recoverThreshold}`,
      });
    }
    const keys = deriveOracleKeys({ count, seed: seed ?? DEVNET_ORACLES_SEED });
    const configIpfsHash = await serial(() => control.replaceOracles(keys, threshold));
    options.logger?.info("oracle set replaced", { count, threshold, configIpfsHash });
    return { oracles: control.oracles(), threshold, configIpfsHash };
  });

  app.post("/rewards", async (request, reply) => {
    const body = RewardsBody.safeParse(request.body);
    if (!body.success) return reply.code(400).send({ message: firstIssue(body.error) });
    const { vaults, consensusRewardWei, unlockedMevRewardWei, lockedMevRewardWei } = body.data;
    const published = await serial(() =>
      control.publishRewards(
        vaults.map((vault) => ({
          vault: vault as Address,
          consensusReward: BigInt(consensusRewardWei),
          unlockedMevReward: BigInt(unlockedMevRewardWei),
          lockedMevReward: BigInt(lockedMevRewardWei),
        })),
      ),
    );
    options.logger?.info("rewards published", { vaults: vaults.length, ipfsHash: published.ipfsHash });
    return { ...published, nonce: published.nonce.toString() };
  });

  const server = await listenOnLoopback(app, {
    host: "127.0.0.1",
    closing: new AbortController(),
    ...(options.signal ? { signal: options.signal } : {}),
    what: "devnet control endpoint",
  });
  const file = join(options.dir, CONTROL_FILE);
  const content: ControlFile = { url: server.url, token, pid: process.pid };
  await writeFileAtomic(file, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600 });
  return {
    url: server.url,
    async close() {
      await rm(file, { force: true });
      await server.close();
    },
  };
}

/** The first line of an error and of its cause: a revert reason stays visible. */
function errorLine(error: unknown): string {
  const e = error as { shortMessage?: string; message?: string };
  return (e.shortMessage ?? e.message ?? String(error)).split("\n")[0] ?? "failed";
}
