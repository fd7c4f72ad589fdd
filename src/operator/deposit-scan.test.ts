import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import type { PublicClient } from "viem";
import { depositLogsClient, depositLog as networkDepositLog } from "../../test/support/deposit-logs.ts";
import { resolveNetwork } from "../config/networks.ts";
import { followDeposits } from "./deposit-scan.ts";
import { sqliteServiceStore } from "./state/sqlite-service-store.ts";
import { StateStore } from "./state/state-store.ts";

const network = resolveNetwork("hoodi", { devnetFile: "/nonexistent" });
const depositLog = (index: number, block: bigint, valid = true) =>
  networkDepositLog(network, index, block, valid);

describe("followDeposits", () => {
  const dir = mkdtempSync(join(tmpdir(), "deposit-scan-"));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("stores settled deposits once, reads the newest live, and forgets one a reorg dropped", async () => {
    const genesis = BigInt(network.depositContract.genesisBlock);
    const logs = [
      depositLog(0, genesis + 10n),
      depositLog(1, genesis + 95n),
      depositLog(2, genesis + 97n, false),
    ];
    const asked: Array<[bigint, bigint]> = [];
    const client = depositLogsClient(logs, asked) as unknown as PublicClient;
    const store = StateStore.open({
      file: join(dir, "operator.db"),
      network: network.name,
      vault: `0x${"22".repeat(20)}`,
      lock: false,
    });
    try {
      const head = genesis + 100n;
      const key0 = logs[0]?.args.pubkey as string;
      const deposits = sqliteServiceStore(store);
      const first = await followDeposits({
        client,
        network,
        store: deposits,
        head,
        reorgDepth: 10n,
        candidates: () => [key0],
      });
      assert.equal(first.count, 2, "key 0 (settled) and key 1 (live); key 2's signature is invalid");
      assert.equal(store.networkValidatorCount(), 1, "only the settled deposit is stored");
      const key1 = logs[1]?.args.pubkey as string;
      assert.equal(first.has(key1), true);
      assert.equal(first.has(key1.toUpperCase().replace("0X", "0x")), true);
      assert.equal(first.has(key0), true, "a stored deposit of a candidate key");

      logs.splice(1, 1); // a reorg drops key 1's deposit
      asked.length = 0;
      const second = await followDeposits({ client, network, store: deposits, head, reorgDepth: 10n });
      assert.equal(second.count, 1);
      assert.equal(second.has(key1), false);
      assert.deepEqual(asked, [[genesis + 91n, head]], "settled blocks are not read again");
    } finally {
      store.close();
    }
  });
});
