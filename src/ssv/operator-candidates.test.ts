import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Address } from "viem";
import type { SsvApiOperator } from "./api/operator-record.ts";
import { readOperatorCandidates } from "./operator-candidates.ts";
import type { SsvChainOperator, SsvChainReader } from "./ssv-chain.ts";

const OWNER = "0x00000000000000000000000000000000000000aa" as Address;

/** A registry of operators 1..n on "chain": keys from OperatorAdded, 3 removed. */
function chainReader(n: number) {
  const asked: (readonly bigint[] | "all")[] = [];
  const read: bigint[][] = [];
  const reader: Pick<SsvChainReader, "operators" | "operatorKeys"> = {
    async operatorKeys(ids) {
      asked.push(ids);
      const all = Array.from({ length: n }, (_, i) => BigInt(i + 1));
      const wanted = ids === "all" ? all : all.filter((id) => ids.includes(id));
      return {
        keys: new Map(wanted.filter((id) => id !== 3n).map((id) => [id, `key-${id}`])),
        removed: new Set(wanted.filter((id) => id === 3n)),
      };
    },
    async operators(ids) {
      read.push([...ids]);
      return new Map(
        ids
          .filter((id) => id !== 3n && id <= BigInt(n))
          .map((id): [bigint, SsvChainOperator] => [
            id,
            {
              id,
              owner: OWNER,
              fee: id * 10n,
              validatorCount: 1,
              whitelisted: OWNER,
              isPrivate: false,
              isActive: true,
            },
          ]),
      );
    },
  };
  return { reader, asked, read };
}

describe("readOperatorCandidates", () => {
  it("without the SSV API, takes every operator the chain's events name, read in batches", async () => {
    const { reader, asked, read } = chainReader(450);
    const candidates = await readOperatorCandidates({ reader, api: undefined, knownIds: [7n], head: 100n });
    assert.deepEqual(asked, ["all"]);
    assert.equal(candidates.length, 450);
    assert.deepEqual(
      read.map((ids) => ids.length),
      [200, 200, 50],
    );
    const removed = candidates.find((c) => c.id === 3n);
    assert.deepEqual(
      { removed: removed?.removed, isActive: removed?.isActive },
      { removed: true, isActive: false },
    );
    const first = candidates[0];
    assert.deepEqual(
      { id: first?.id, fee: first?.fee, publicKey: first?.publicKey, performance30d: first?.performance30d },
      { id: 1n, fee: 10n, publicKey: "key-1", performance30d: undefined },
    );
  });

  it("with the API, reads the ids it names plus the known ones, and adds its performance and provider", async () => {
    const { reader, asked } = chainReader(10);
    const api = [
      { id: 2n, performance30d: 99.5, setupProvider: "AWS", status: "Active", publicKey: "api-key-2" },
      { id: 99n, performance30d: 90, status: "Active", publicKey: "gone" },
    ] as unknown as SsvApiOperator[];
    const candidates = await readOperatorCandidates({ reader, api, knownIds: [5n], head: 100n });
    assert.deepEqual(asked, [[2n, 5n, 99n]]);
    assert.deepEqual(
      candidates.map((c) => [c.id, c.publicKey, c.performance30d, c.setupProvider]),
      [
        [2n, "key-2", 99.5, "AWS"],
        [5n, "key-5", undefined, undefined],
      ],
    );
  });
});
