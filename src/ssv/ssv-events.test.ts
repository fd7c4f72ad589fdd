import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type Address, encodeAbiParameters, type Hex, hexToBigInt, keccak256, toHex } from "viem";
import { ssvLog } from "../../test/support/ssv-logs.ts";
import { OwnerSsvState } from "./cluster-state.ts";
import { syncOwnerState } from "./owner-sync.ts";
import {
  decodeSsvLog,
  OWNER_EVENT_NAMES,
  operatorKeyFromEvent,
  type RawLog,
  SsvLogError,
  ssvEventTopic,
} from "./ssv-events.ts";

const OWNER: Address = "0x00000000000000000000000000000000000000aa";
const IDS = [1n, 2n, 3n, 4n];
const CLUSTER = { validatorCount: 2, networkFeeIndex: 7n, index: 9n, active: true, balance: 10n ** 18n };
const PUBKEY = `0x${"ab".repeat(48)}` as Hex;
const at = (blockNumber: bigint, transactionIndex = 0, logIndex = 0) => ({
  blockNumber,
  transactionIndex,
  logIndex,
});
const PEM_B64 = Buffer.from(
  "-----BEGIN RSA PUBLIC KEY-----\nMIIBIjANBgkq\n-----END RSA PUBLIC KEY-----\n",
).toString("base64");

describe("decodeSsvLog", () => {
  it("decodes every cluster event with its position", () => {
    const base = { owner: OWNER, operatorIds: IDS, cluster: CLUSTER };
    const cases: [string, Record<string, unknown>, Record<string, unknown>][] = [
      [
        "ValidatorAdded",
        { ...base, publicKey: PUBKEY, shares: "0x1234" },
        { publicKey: PUBKEY, shares: "0x1234", cluster: CLUSTER },
      ],
      ["ValidatorRemoved", { ...base, publicKey: PUBKEY }, { publicKey: PUBKEY, cluster: CLUSTER }],
      ["ValidatorExited", { owner: OWNER, operatorIds: IDS, publicKey: PUBKEY }, { publicKey: PUBKEY }],
      ["ClusterDeposited", { ...base, value: 5n }, { value: 5n, cluster: CLUSTER }],
      ["ClusterWithdrawn", { ...base, value: 6n }, { value: 6n, cluster: CLUSTER }],
      ["ClusterLiquidated", base, { cluster: CLUSTER }],
      ["ClusterReactivated", base, { cluster: CLUSTER }],
      [
        "ClusterBalanceUpdated",
        { ...base, blockNum: 77n, effectiveBalance: 64 },
        { balanceBlock: 77n, effectiveBalance: 64, cluster: CLUSTER },
      ],
      [
        "ClusterMigratedToETH",
        { ...base, ethDeposited: 1n, ssvRefunded: 2n, effectiveBalance: 32 },
        { ethDeposited: 1n, ssvRefunded: 2n, effectiveBalance: 32, cluster: CLUSTER },
      ],
    ];
    for (const [name, args, expected] of cases) {
      const event = decodeSsvLog(ssvLog(name, args, at(100n, 3, 7)));
      assert.deepEqual(
        event,
        {
          name,
          owner: OWNER,
          operatorIds: IDS,
          ...expected,
          blockNumber: 100n,
          transactionIndex: 3,
          logIndex: 7,
        },
        name,
      );
    }
  });

  it("decodes the fee recipient and operator events", () => {
    const recipient = "0x00000000000000000000000000000000000000bb";
    assert.deepEqual(
      decodeSsvLog(
        ssvLog("FeeRecipientAddressUpdated", { owner: OWNER, recipientAddress: recipient }, at(1n)),
      ),
      {
        name: "FeeRecipientAddressUpdated",
        owner: OWNER,
        recipientAddress: recipient.toLowerCase(),
        ...at(1n),
      },
    );
    assert.deepEqual(decodeSsvLog(ssvLog("OperatorRemoved", { operatorId: 12n }, at(2n))), {
      name: "OperatorRemoved",
      operatorId: 12n,
      ...at(2n),
    });
    assert.deepEqual(
      decodeSsvLog(
        ssvLog("OperatorFeeExecuted", { owner: OWNER, operatorId: 3n, blockNumber: 50n, fee: 9n }, at(3n)),
      ),
      { name: "OperatorFeeExecuted", owner: OWNER, operatorId: 3n, feeBlock: 50n, fee: 9n, ...at(3n) },
    );
    const added = decodeSsvLog(
      ssvLog("OperatorAdded", { operatorId: 5n, owner: OWNER, publicKey: toHex(PEM_B64), fee: 1n }, at(4n)),
    );
    assert.equal(added?.name === "OperatorAdded" && added.publicKey, PEM_B64);
  });

  it("ignores events it does not read and refuses a log that does not decode", () => {
    const other: RawLog = {
      topics: [keccak256(toHex("Other()"))],
      data: "0x",
      blockNumber: 1n,
      transactionIndex: 0,
      logIndex: 0,
    };
    assert.equal(decodeSsvLog(other), undefined);
    const broken = {
      ...ssvLog("ClusterLiquidated", { owner: OWNER, operatorIds: IDS, cluster: CLUSTER }, at(9n)),
      data: "0x01" as Hex,
    };
    assert.throws(
      () => decodeSsvLog(broken),
      (e: unknown) => e instanceof SsvLogError && /ClusterLiquidated log in block 9/.test(e.message),
    );
    const pending = { ...broken, blockNumber: null };
    assert.throws(() => decodeSsvLog(pending), /not mined yet/);
  });
});

describe("operatorKeyFromEvent", () => {
  it("reads the base64 PEM text, ABI-wrapped or not, and a raw PEM", () => {
    assert.equal(operatorKeyFromEvent(toHex(PEM_B64)), PEM_B64);
    assert.equal(operatorKeyFromEvent(encodeAbiParameters([{ type: "bytes" }], [toHex(PEM_B64)])), PEM_B64);
    const pem = Buffer.from(PEM_B64, "base64").toString("utf8");
    assert.equal(operatorKeyFromEvent(toHex(pem)), PEM_B64);
  });
});

describe("syncOwnerState", () => {
  it("scans owner-filtered logs from the deploy block, resumes from the checkpoint", async () => {
    const logs = [
      ssvLog(
        "ValidatorAdded",
        { owner: OWNER, operatorIds: IDS, publicKey: PUBKEY, shares: "0x", cluster: CLUSTER },
        at(150n),
      ),
      ssvLog(
        "ClusterDeposited",
        { owner: OWNER, operatorIds: IDS, value: 1n, cluster: { ...CLUSTER, balance: 1n } },
        at(900n),
      ),
    ];
    const requests: { fromBlock: bigint; toBlock: bigint; topics: unknown }[] = [];
    const client = {
      request: async ({ params }: { params: [{ fromBlock: Hex; toBlock: Hex; topics: unknown }] }) => {
        const [filter] = params;
        const from = hexToBigInt(filter.fromBlock);
        const to = hexToBigInt(filter.toBlock);
        requests.push({ fromBlock: from, toBlock: to, topics: filter.topics });
        return logs.filter((l) => {
          const b = hexToBigInt(l.blockNumber as Hex);
          return b >= from && b <= to;
        });
      },
    };
    const state = new OwnerSsvState(OWNER);
    const stored: unknown[] = [];
    const params = {
      client: client as never,
      ssvNetwork: "0x0000000000000000000000000000000000000055" as Address,
      deployBlock: 100n,
      initialChunk: 400n,
      onChunk: (s: OwnerSsvState) => {
        stored.push(s.scannedTo);
      },
    };
    assert.equal(await syncOwnerState(state, { ...params, toBlock: 600n }), 1);
    assert.deepEqual(requests[0], {
      fromBlock: 100n,
      toBlock: 499n,
      topics: [OWNER_EVENT_NAMES.map(ssvEventTopic), `0x${"0".repeat(24)}${OWNER.slice(2)}`],
    });
    assert.equal(state.scannedTo, 600n);
    assert.equal(await syncOwnerState(state, { ...params, toBlock: 1000n }), 1);
    assert.equal(requests[2]?.fromBlock, 601n);
    assert.deepEqual(stored, [499n, 600n, 1000n]);
    assert.equal(state.nonce, 1);
    assert.equal(state.snapshotFor(IDS).balance, 1n);
    assert.equal(await syncOwnerState(state, { ...params, toBlock: 1000n }), 0);
  });
});
