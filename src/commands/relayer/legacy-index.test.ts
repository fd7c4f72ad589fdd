import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import type { PublicClient } from "viem";
import { depositLog, depositLogsClient } from "../../../test/support/deposit-logs.ts";
import { resolveNetwork } from "../../config/networks.ts";
import { createLoggerFromSink } from "../../lib/logger.ts";
import { legacyValidatorIndex, openLegacyDepositsStore } from "./legacy-index.ts";

const network = resolveNetwork("hoodi", { devnetFile: "/nonexistent" });
const genesis = BigInt(network.depositContract.genesisBlock);
const log = createLoggerFromSink(() => {}, { level: "error" });
const chain = { chainId: network.chainId, genesisHash: `0x${"ab".repeat(32)}` };

describe("legacyValidatorIndex (spec A.4 legacy)", () => {
  const dir = mkdtempSync(join(tmpdir(), "relayer-legacy-index-"));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("counts distinct public keys with a valid deposit, settled and live, once per head", async () => {
    const logs = [
      depositLog(network, 0, genesis + 10n),
      depositLog(network, 1, genesis + 20n),
      depositLog(network, 0, genesis + 30n), // a top-up of key 0: the same validator
      depositLog(network, 2, genesis + 40n, false), // a bad signature makes no validator
      depositLog(network, 3, genesis + 190n), // above head − 64: read live
      depositLog(network, 1, genesis + 195n), // key 1 again, live: still one validator
    ];
    const asked: Array<[bigint, bigint]> = [];
    let head = genesis + 200n;
    const client = {
      ...depositLogsClient(logs, asked),
      getBlockNumber: async () => head,
    } as unknown as PublicClient;
    const store = openLegacyDepositsStore({ dataDir: dir, network, chain });
    try {
      const next = legacyValidatorIndex({ client, network, store, log });
      assert.equal(await next(), 3, "keys 0, 1 and 3");
      assert.equal(store.networkValidatorCount(), 2, "keys 0 and 1 are settled and stored");
      const calls = asked.length;
      assert.equal(await next(), 3);
      assert.equal(asked.length, calls, "the same head is not scanned again");

      logs.push(depositLog(network, 4, genesis + 201n));
      head = genesis + 201n;
      assert.equal(await next(), 4, "a new deposit moves the index");
    } finally {
      store.close();
    }
  });

  it("keeps what it scanned across a restart", async () => {
    const head = genesis + 300n;
    const logs = [depositLog(network, 5, genesis + 5n), depositLog(network, 6, genesis + 6n)];
    const first = openLegacyDepositsStore({ dataDir: join(dir, "restart"), network, chain });
    try {
      const client = {
        ...depositLogsClient(logs),
        getBlockNumber: async () => head,
      } as unknown as PublicClient;
      assert.equal(await legacyValidatorIndex({ client, network, store: first, log })(), 2);
    } finally {
      first.close();
    }
    const asked: Array<[bigint, bigint]> = [];
    const second = openLegacyDepositsStore({ dataDir: join(dir, "restart"), network, chain });
    try {
      const client = {
        ...depositLogsClient(logs, asked),
        getBlockNumber: async () => head,
      } as unknown as PublicClient;
      assert.equal(await legacyValidatorIndex({ client, network, store: second, log })(), 2);
      assert.deepEqual(asked, [[head - 63n, head]], "only the live window is read again");
    } finally {
      second.close();
    }
  });
});
