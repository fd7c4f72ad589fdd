import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { SignedVoluntaryExit } from "../../chain/consensus-dto.ts";
import type { ExitNetwork } from "../../crypto/exit-message.ts";
import { InterruptedError, OperatorError, UserInputError } from "../../lib/errors.ts";
import { EndpointRequestError } from "../../lib/http/errors.ts";
import { type ExitResult, interruptedOutcome, submitExits } from "./submit-exits.ts";

const network: ExitNetwork = {
  capellaForkVersion: "0x03000000",
  capellaEpoch: 194048,
  genesisValidatorsRoot: `0x${"11".repeat(32)}`,
};
const key = (n: number) => `0x${n.toString(16).padStart(96, "0")}` as const;
const validators = [1, 2, 3].map((index) => ({ index, publicKey: key(index) }));

const signer = {
  signed: [] as Array<{ publicKey: string; index: number; epoch: number }>,
  async signExit(publicKey: `0x${string}`, index: number, n: ExitNetwork) {
    this.signed.push({ publicKey, index, epoch: n.capellaEpoch });
    return new Uint8Array(96).fill(index);
  },
};

function consensus(fail: (exit: SignedVoluntaryExit) => Error | undefined) {
  const posted: SignedVoluntaryExit[] = [];
  return {
    posted,
    async submitVoluntaryExit(exit: SignedVoluntaryExit) {
      const error = fail(exit);
      if (error) throw error;
      posted.push(exit);
    },
  };
}

const http400 = (message: string) =>
  new EndpointRequestError({
    endpoint: "http://node",
    failure: { kind: "http", status: 400, reason: `answered HTTP 400: ${message}` },
    retryable: false,
  });

describe("submitExits", () => {
  it("signs each exit for the Capella epoch and posts it, in order", async () => {
    signer.signed = [];
    const node = consensus(() => undefined);
    const seen: ExitResult[] = [];
    const results = await submitExits({
      validators,
      signer,
      consensus: node,
      network,
      onResult: (r) => seen.push(r),
    });
    assert.deepEqual(
      results.map((r) => [r.index, r.outcome]),
      [
        [1, "submitted"],
        [2, "submitted"],
        [3, "submitted"],
      ],
    );
    assert.deepEqual(seen, results);
    assert.deepEqual(
      node.posted.map((e) => [e.epoch, e.validatorIndex, e.signature.slice(0, 6)]),
      [
        [194048, 1, "0x0101"],
        [194048, 2, "0x0202"],
        [194048, 3, "0x0303"],
      ],
    );
    assert.deepEqual(
      signer.signed.map((s) => s.publicKey),
      validators.map((v) => v.publicKey),
    );
  });

  it("reports a refused exit with the node's message and goes on", async () => {
    const node = consensus((exit) =>
      exit.validatorIndex === 2 ? http400("Invalid voluntary exit: already exiting") : undefined,
    );
    const results = await submitExits({ validators, signer, consensus: node, network });
    assert.deepEqual(results[1], {
      index: 2,
      publicKey: key(2),
      outcome: "rejected",
      reason: "http://node answered HTTP 400: Invalid voluntary exit: already exiting",
    });
    assert.deepEqual(
      node.posted.map((e) => e.validatorIndex),
      [1, 3],
    );
  });

  it("stops when no node can be reached, naming the exits already submitted", async () => {
    const down = new OperatorError("every consensus endpoint failed", { retryable: true });
    const node = consensus((exit) => (exit.validatorIndex === 2 ? down : undefined));
    await assert.rejects(
      submitExits({ validators, signer, consensus: node, network }),
      (error: OperatorError) =>
        error.retryable &&
        /the exit of validator 2 failed: every consensus endpoint failed; the exits of 1 were submitted/.test(
          error.shortMessage,
        ),
    );
    assert.equal(node.posted.length, 1);
  });

  it("passes a key source error through when nothing was submitted yet", async () => {
    const wrongPassword = new UserInputError("wrong keystore password");
    await assert.rejects(
      submitExits({
        validators,
        signer: { signExit: () => Promise.reject(wrongPassword) },
        consensus: consensus(() => undefined),
        network,
      }),
      (error) => error === wrongPassword,
    );
  });

  it("names the submitted exits when interrupted between two exits", async () => {
    const controller = new AbortController();
    const four = [1, 2, 3, 4].map((index) => ({ index, publicKey: key(index) }));
    const node = consensus(() => undefined);
    await assert.rejects(
      submitExits({
        validators: four,
        signer,
        consensus: node,
        network,
        signal: controller.signal,
        onResult: (r) => {
          if (r.index === 2) controller.abort();
        },
      }),
      (error) =>
        error instanceof InterruptedError &&
        error.outcome ===
          "the exits of validators 1, 2 were submitted; the exits of validators 3, 4 were not submitted",
    );
    assert.deepEqual(
      node.posted.map((e) => e.validatorIndex),
      [1, 2],
    );
  });

  it("says an exit being posted when interrupted may have been submitted", async () => {
    const controller = new AbortController();
    const node = {
      posted: [] as Array<number | bigint>,
      async submitVoluntaryExit(exit: SignedVoluntaryExit, options: { signal?: AbortSignal }) {
        if (exit.validatorIndex === 2) {
          // The failover rethrows the abort reason as it is.
          controller.abort();
          options.signal?.throwIfAborted();
        }
        this.posted.push(exit.validatorIndex);
      },
    };
    await assert.rejects(
      submitExits({ validators, signer, consensus: node, network, signal: controller.signal }),
      (error) =>
        error instanceof InterruptedError &&
        error.outcome ===
          "the exit of validator 1 was submitted; the exit of validator 2 was being posted and may have been submitted; the exit of validator 3 was not submitted",
    );
  });

  it("is a plain interruption when no exit was posted yet", async () => {
    const controller = new AbortController();
    controller.abort();
    const node = consensus(() => undefined);
    await assert.rejects(
      submitExits({ validators, signer, consensus: node, network, signal: controller.signal }),
      (error) => error instanceof InterruptedError && error.outcome === "nothing was changed",
    );
    assert.equal(node.posted.length, 0);
  });
});

describe("interruptedOutcome", () => {
  it("names each group only when it has validators", () => {
    assert.equal(interruptedOutcome([7], undefined, []), "the exit of validator 7 was submitted");
    assert.equal(
      interruptedOutcome([], 4, [5, 6]),
      "the exit of validator 4 was being posted and may have been submitted; the exits of validators 5, 6 were not submitted",
    );
  });
});
