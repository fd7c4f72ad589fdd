import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Hex } from "viem";
import { memoryLogger } from "../../../test/support/memory-logger.ts";
import type { ExitNetwork } from "../../crypto/exit-message.ts";
import { waitOf } from "../wait-errors.ts";
import type { LegacyRelayerClient, LegacyRelayerValidators } from "./legacy-relayer-client.ts";
import { legacyRelayerKeys } from "./legacy-relayer-keys.ts";

const A = `0x${"a1".repeat(48)}` as Hex;
const B = `0x${"b2".repeat(48)}` as Hex;
const NETWORK: ExitNetwork = {
  capellaForkVersion: "0x03000000",
  capellaEpoch: 0,
  genesisValidatorsRoot: `0x${"00".repeat(32)}`,
};
const SCHEME = { count: 3, threshold: 2 };
const shards = (n: number, tag: string) => ({
  publicKeys: Array.from({ length: n }, (_, j) => `0x${tag}${j}` as Hex),
  encryptedExitSignatures: Array.from({ length: n }, (_, j) => `0xe${tag}${j}` as Hex),
});

/** A legacy relayer double: answers /validators and /exits from the given state, records the posts. */
function relayerDouble(state: { answer: LegacyRelayerValidators; indexes: Record<string, number> }) {
  const posts: Hex[][] = [];
  const relayer: LegacyRelayerClient = {
    endpoint: "http://relayer.test",
    info: async () => ({ network: "devnet" }),
    validators: async (keys) => {
      posts.push([...keys]);
      return state.answer;
    },
    exitIndexes: async () => new Map(Object.entries(state.indexes) as [Hex, number][]),
  };
  return { relayer, posts };
}

const exits = [
  { publicKey: A, validatorIndex: 500 },
  { publicKey: B, validatorIndex: 501 },
];

describe("keys held by a legacy relayer", () => {
  it("lists the deposit data's keys, signs no whole exit, and refuses an exit it was not asked for in a batch", async () => {
    const { relayer } = relayerDouble({ answer: { ready: true, validators: [] }, indexes: {} });
    const signer = legacyRelayerKeys({
      relayer,
      publicKeys: [A, B.toUpperCase() as Hex],
      log: memoryLogger(),
    });
    assert.equal(signer.size, 2);
    assert.deepEqual(signer.publicKeys(), [A, B]);
    assert.ok(signer.has(B));
    assert.equal(signer.signDeposit, undefined);
    await assert.rejects(signer.signExit(A, 500, NETWORK), /holds no validator key/);
    await assert.rejects(signer.signExitForOracles(A, 500, NETWORK, SCHEME), /batch only/);
  });

  it("one POST /validators per round; not ready → a wait naming the keys the sidecars have not signed", async () => {
    const log = memoryLogger();
    const { relayer, posts } = relayerDouble({
      answer: {
        ready: false,
        validators: [
          { publicKey: A, shards: shards(3, "a") },
          { publicKey: B, shards: undefined },
        ],
      },
      indexes: { [A]: 500, [B]: 501 },
    });
    const signer = legacyRelayerKeys({ relayer, publicKeys: [A, B], log });
    const error = await signer.prepareExitsForOracles?.(exits, NETWORK, SCHEME).catch((e: unknown) => e);
    assert.deepEqual(posts, [[A, B]]);
    const wait = waitOf(error);
    assert.equal(wait?.kind, "waiting");
    assert.match(String((error as Error).message), new RegExp(`1 of 2 validators yet \\(${B}\\)`));
    assert.ok(log.entries.some((e) => e.message === "waiting for the relayer's exit signatures"));
    await assert.rejects(signer.signExitForOracles(A, 500, NETWORK, SCHEME), /batch only/);
  });

  it("ready: hands each key's shards over unchanged, for the index asked", async () => {
    const { relayer } = relayerDouble({
      answer: {
        ready: true,
        validators: [
          { publicKey: A, shards: shards(3, "a") },
          { publicKey: B, shards: shards(3, "b") },
        ],
      },
      indexes: { [A]: 500, [B]: 501 },
    });
    const signer = legacyRelayerKeys({ relayer, publicKeys: [A, B], log: memoryLogger() });
    await signer.prepareExitsForOracles?.(exits, NETWORK, SCHEME);
    assert.deepEqual(await signer.signExitForOracles(B, 501, NETWORK, SCHEME), {
      kind: "encrypted",
      ...shards(3, "b"),
    });
    await assert.rejects(signer.signExitForOracles(B, 502, NETWORK, SCHEME), /validator index 502/);
  });

  it("the relayer signs for another validator index → a wait, with both indexes logged", async () => {
    const log = memoryLogger();
    const { relayer } = relayerDouble({
      answer: {
        ready: true,
        validators: [
          { publicKey: A, shards: shards(3, "a") },
          { publicKey: B, shards: shards(3, "b") },
        ],
      },
      indexes: { [A]: 499, [B]: 500 },
    });
    const signer = legacyRelayerKeys({ relayer, publicKeys: [A, B], log });
    const error = await signer.prepareExitsForOracles?.(exits, NETWORK, SCHEME).catch((e: unknown) => e);
    assert.equal(waitOf(error)?.kind, "waiting");
    assert.match(String((error as Error).message), /for validator index 499 but it gets index 500/);
    const warned = log.entries.filter(
      (e) => e.message === "the relayer signs the exit for another validator index",
    );
    assert.deepEqual(
      warned.map((e) => [e.context?.operatorIndex, e.context?.relayerIndex]),
      [
        [500, 499],
        [501, 500],
      ],
    );
    await assert.rejects(signer.signExitForOracles(A, 500, NETWORK, SCHEME), /batch only/);
  });

  it("shards for another number of oracles than the Keeper's → an error, not a wait", async () => {
    const { relayer } = relayerDouble({
      answer: { ready: true, validators: [{ publicKey: A, shards: shards(4, "a") }] },
      indexes: { [A]: 500 },
    });
    const signer = legacyRelayerKeys({ relayer, publicKeys: [A], log: memoryLogger() });
    const error = await signer
      .prepareExitsForOracles?.([exits[0] as (typeof exits)[0]], NETWORK, SCHEME)
      .catch((e: unknown) => e);
    assert.equal(waitOf(error), undefined);
    assert.match(String((error as Error).message), /among 4 oracles but the Keeper's oracle set has 3/);
  });

  it("refuses a key outside the deposit data and a batch whose indexes are not consecutive", async () => {
    const { relayer, posts } = relayerDouble({ answer: { ready: true, validators: [] }, indexes: {} });
    const signer = legacyRelayerKeys({ relayer, publicKeys: [A, B], log: memoryLogger() });
    const C = `0x${"c3".repeat(48)}` as Hex;
    await assert.rejects(
      signer.prepareExitsForOracles?.([{ publicKey: C, validatorIndex: 1 }], NETWORK, SCHEME) ??
        Promise.resolve(),
      /not a key of the deposit data/,
    );
    await assert.rejects(
      signer.prepareExitsForOracles?.(
        [
          { publicKey: A, validatorIndex: 1 },
          { publicKey: B, validatorIndex: 3 },
        ],
        NETWORK,
        SCHEME,
      ) ?? Promise.resolve(),
      /consecutive/,
    );
    assert.deepEqual(posts, []);
  });
});
