import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import type { PublicClient } from "viem";
import { resolveNetwork } from "../config/networks.ts";
import { deriveValidatorKey } from "../crypto/bls-keys.ts";
import { mnemonicToSeed } from "../crypto/mnemonic.ts";
import { buildDepositDatum } from "../keys/deposit-datum.ts";
import { parseHex } from "../lib/hex.ts";
import { followDeposits } from "./deposit-scan.ts";
import { StateStore } from "./state/state-store.ts";

const network = resolveNetwork("hoodi", { devnetFile: "/nonexistent" });
const seed = mnemonicToSeed("legal winner thank year wave sausage worth useful legal winner thank yellow");
const le64 = (n: bigint) => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(n);
  return `0x${b.toString("hex")}` as const;
};

/** A DepositEvent log of mnemonic key `index` at `block`; `valid: false` breaks its signature. */
function depositLog(index: number, block: bigint, valid = true) {
  const key = deriveValidatorKey(seed, index);
  const datum = buildDepositDatum({
    secretKey: key.secretKey,
    publicKey: key.publicKey,
    withdrawalCredentials: new Uint8Array(32),
    amountGwei: network.validatorDepositGwei,
    genesisForkVersion: parseHex(network.genesisForkVersion, 4) as Uint8Array,
    networkName: network.name,
  });
  const signature = valid
    ? `0x${datum.signature}`
    : `0x${deriveValidatorKey(seed, index + 100)
        .secretKey.sign(new Uint8Array(32))
        .toHex()
        .replace(/^0x/, "")}`;
  return {
    args: {
      pubkey: `0x${datum.pubkey}`,
      withdrawal_credentials: `0x${datum.withdrawal_credentials}`,
      amount: le64(BigInt(datum.amount)),
      signature,
      index: le64(BigInt(index)),
    },
    blockNumber: block,
    transactionHash: `0x${"11".repeat(32)}`,
    logIndex: 0,
  };
}

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
    const client = {
      getLogs: async ({ fromBlock, toBlock }: { fromBlock: bigint; toBlock: bigint }) => {
        asked.push([fromBlock, toBlock]);
        return logs.filter((l) => l.blockNumber >= fromBlock && l.blockNumber <= toBlock);
      },
    } as unknown as PublicClient;
    const store = StateStore.open({
      file: join(dir, "operator.db"),
      network: network.name,
      vault: `0x${"22".repeat(20)}`,
      lock: false,
    });
    try {
      const head = genesis + 100n;
      const first = await followDeposits({ client, network, store, head, reorgDepth: 10n });
      assert.equal(first.count, 2, "key 0 (settled) and key 1 (live); key 2's signature is invalid");
      assert.equal(store.networkValidatorCount(), 1, "only the settled deposit is stored");
      const key1 = logs[1]?.args.pubkey as string;
      assert.equal(first.has(key1), true);
      assert.equal(first.has(key1.toUpperCase().replace("0X", "0x")), true);

      logs.splice(1, 1); // a reorg drops key 1's deposit
      asked.length = 0;
      const second = await followDeposits({ client, network, store, head, reorgDepth: 10n });
      assert.equal(second.count, 1);
      assert.equal(second.has(key1), false);
      assert.deepEqual(asked, [[genesis + 91n, head]], "settled blocks are not read again");
    } finally {
      store.close();
    }
  });
});
