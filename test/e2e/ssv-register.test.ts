/**
 * `operator ssv …` on a devnet with SSV (issue 13, must-be-true 1 and 4): three vault keys →
 * `ssv register` → three validators on SSV in the cluster the selection explains; every devnet
 * operator accepts its share (decrypts it with its RSA key, checks the ownership signature for
 * (owner, nonce)), the shares recombine to the key, and `export-keyshares` writes a file ssv-keys'
 * own validation accepts. --dry-run sends nothing and prints what the real run then does. Bad
 * input is one line, a non-zero exit and nothing sent; an SSV API that is down is a warning and
 * the chain's data carries on.
 */
import assert from "node:assert/strict";
import { readFile, stat } from "node:fs/promises";
import { createRequire } from "node:module";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { type Hex, parseEther, parseEventLogs } from "viem";
import { ssvNetworkEthEraAbi } from "../../src/chain/abi/ssv-network.ts";
import { ssvOperatorKeyBytes } from "../../src/devnet/ssv/operator-keys.ts";
import { parseHex } from "../../src/lib/hex.ts";
import { OwnerSsvState } from "../../src/ssv/cluster-state.ts";
import { syncOwnerState } from "../../src/ssv/owner-sync.ts";
import { type CliResult, runCli, TEST_MNEMONIC } from "../support/cli.ts";
import { assertCleanError, publicKeyHexOf, secretKeyHexOf } from "../support/e2e.ts";
import { createSsvOperatorDouble, recombineShares } from "../support/ssv-operator.ts";
import { type StartFixture, setupStart } from "./start-fixture.ts";

const require = createRequire(import.meta.url);
const ssvKeys = require("ssv-keys") as {
  KeyShares: {
    fromJson(content: string): Promise<{ list(): { error: unknown; data: object; payload: object }[] }>;
  };
};
const { validateSync } = require("class-validator") as { validateSync(object: object): unknown[] };

const keyOf = (i: number) => `0x${publicKeyHexOf(TEST_MNEMONIC, i).replace(/^0x/, "")}`.toLowerCase() as Hex;

describe("operator ssv on a devnet with SSV operators", { timeout: 180_000 }, () => {
  let f: StartFixture;
  let garbageOperator: bigint;

  const ssv = (sub: string, extra: readonly string[] = []): Promise<CliResult> =>
    runCli([
      "ssv",
      sub,
      "--vault",
      f.vault,
      "--data-dir",
      f.dataDir,
      "--execution-endpoints",
      f.devnet.executionUrl,
      "--consensus-endpoints",
      f.devnet.consensusUrl,
      ...extra,
    ]);
  const handle = () => {
    const h = f.devnet.ssv;
    assert.ok(h, "the devnet has SSV");
    return h;
  };
  const ownerState = async () => {
    const state = new OwnerSsvState(f.wallet);
    const config = handle().config();
    await syncOwnerState(state, {
      client: f.devnet.clients.sender,
      ssvNetwork: config.network,
      deployBlock: BigInt(config.deployBlock),
      toBlock: await f.devnet.clients.sender.getBlockNumber(),
    });
    return state;
  };
  /** A refusal: one clean line, and the wallet sent nothing. */
  const refused = async (run: Promise<CliResult>, ...patterns: RegExp[]) => {
    const nonce = await f.nonce();
    assertCleanError(await run, ...patterns);
    assert.equal(await f.nonce(), nonce, "nothing was sent");
  };

  before(async () => {
    f = await setupStart({ keys: 4, devnet: { blockTime: "automine", ssv: { operators: 8 } } });
    // An operator whose registered key is not an RSA key at all.
    const h = handle();
    const hash = await f.devnet.clients.depositor.writeContract({
      address: h.config().network,
      abi: ssvNetworkEthEraAbi,
      functionName: "registerOperator",
      args: [
        ssvOperatorKeyBytes(Buffer.from("not a key").toString("base64")),
        h.operators()[0]?.fee ?? 0n,
        false,
      ],
    });
    const receipt = await f.devnet.clients.depositor.waitForTransactionReceipt({ hash });
    const [added] = parseEventLogs({
      abi: ssvNetworkEthEraAbi,
      logs: receipt.logs,
      eventName: "OperatorAdded",
    });
    garbageOperator = added?.args.operatorId as bigint;
  });
  after(async () => {
    await f?.stop();
  });

  it("refuses too little SSV, an unknown operator, a size that is not 3f+1 and an unparsable RSA key", async () => {
    const ids = handle()
      .operators()
      .map((o) => o.id);
    await refused(ssv("register", ["--count", "3", "--no-confirm"]), /has 0 SSV .* needs [\d.]+ SSV: send/);
    await handle().mintSsv(f.wallet, parseEther("1000000"));
    await refused(
      ssv("register", ["--count", "3", "--no-confirm", "--operator-ids", `${ids[0]},999999`]),
      /pinned operators 999999 do not exist/,
    );
    await refused(
      ssv("register", ["--count", "3", "--no-confirm", "--cluster-size", "5"]),
      /--cluster-size.*4, 7, 10 or 13/,
    );
    await refused(
      ssv("register", [
        "--count",
        "3",
        "--no-confirm",
        "--operator-ids",
        [ids[0], ids[1], ids[2], garbageOperator].join(","),
      ]),
      new RegExp(`operator ${garbageOperator}`),
    );
  });

  it("lists the operators with the selection's verdict", async () => {
    const result = await ssv("operators", ["--json"]);
    assert.equal(result.code, 0, result.stderr);
    const json = JSON.parse(result.stdout) as {
      operators: { id: string; selected: boolean; reason?: string; provider: string | null }[];
      selection: { operatorIds: string[] };
    };
    assert.equal(json.selection.operatorIds.length, 4);
    assert.equal(json.operators.filter((o) => o.selected).length, 4);
    const providers = json.operators.filter((o) => o.selected).map((o) => o.provider);
    assert.equal(new Set(providers).size, 4, "one operator per setup provider");
    assert.ok(json.operators.filter((o) => !o.selected).every((o) => (o.reason ?? "").length > 0));
  });

  it("dry-run prints the plan and sends nothing; the real run does what it printed", async () => {
    const nonce = await f.nonce();
    const dry = await ssv("register", ["--count", "3", "--runway-days", "30", "--dry-run"]);
    assert.equal(dry.code, 0, dry.stderr);
    assert.equal(await f.nonce(), nonce);
    assert.match(dry.stdout, /Dry run: nothing was sent/);
    const cluster = /Cluster ([\d,]+) \(new\)/.exec(dry.stdout)?.[1];
    assert.ok(cluster, dry.stdout);
    assert.match(dry.stdout, /Call: approve [\d.]+ SSV/);
    assert.match(dry.stdout, /bulkRegisterValidator of 3 \(nonces 0\.\.2\)/);

    const run = await ssv("register", ["--count", "3", "--runway-days", "30", "--no-confirm"]);
    assert.equal(run.code, 0, run.stderr);
    const plan = (text: string) => text.split("\n").filter((l) => /^(Cluster|Funding|Call| {2}0x)/.test(l));
    assert.deepEqual(plan(run.stdout), plan(dry.stdout));
    assert.match(run.stdout, new RegExp(`Registered 3 validators on SSV in cluster ${cluster}`));

    const state = await ownerState();
    const ids = cluster.split(",").map(BigInt);
    assert.deepEqual([...(state.cluster(ids)?.validators ?? [])].sort(), [0, 1, 2].map(keyOf).sort());
    assert.equal(state.nonce, 3);
  });

  it("every operator accepts its share, the shares recombine to the key, the file passes ssv-keys", async () => {
    const out = join(f.dataDir, "keyshares.json");
    const result = await ssv("export-keyshares", ["--output", out]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal((await stat(out)).mode & 0o777, 0o600);
    const text = await readFile(out, "utf8");
    const items = (await ssvKeys.KeyShares.fromJson(text)).list();
    assert.equal(items.length, 3);
    for (const item of items) {
      assert.equal(item.error, undefined);
      assert.deepEqual(validateSync(item.data), []);
      assert.deepEqual(validateSync(item.payload), []);
    }
    const doubles = new Map(
      handle()
        .operators()
        .map((o) => [o.id, createSsvOperatorDouble(o.id, o.privateKeyPem)]),
    );
    const file = JSON.parse(text) as {
      shares: {
        data: { ownerNonce: number; publicKey: Hex };
        payload: { operatorIds: number[]; sharesData: Hex };
      }[];
    };
    for (const share of file.shares) {
      const operatorIds = share.payload.operatorIds.map(BigInt);
      const registration = {
        publicKey: parseHex(share.data.publicKey, 48) as Uint8Array,
        operatorIds,
        sharesData: parseHex(share.payload.sharesData) as Uint8Array,
        owner: f.wallet,
        nonce: share.data.ownerNonce,
      };
      const shares = new Map(
        operatorIds.map((id) => [id, doubles.get(id)?.acceptShares(registration) ?? 0n]),
      );
      const index = [0, 1, 2].find((i) => keyOf(i) === share.data.publicKey.toLowerCase());
      assert.ok(index !== undefined);
      assert.equal(
        recombineShares(new Map([...shares].slice(0, 3))),
        BigInt(`0x${secretKeyHexOf(TEST_MNEMONIC, index).replace(/^0x/, "")}`),
      );
    }
  });

  it("lists the cluster with its balance and runway", async () => {
    const result = await ssv("clusters", ["--json"]);
    assert.equal(result.code, 0, result.stderr);
    const json = JSON.parse(result.stdout) as {
      nonce: number;
      clusters: { validators: number; runwayDays: number; liquidationRisk: string }[];
    };
    assert.equal(json.nonce, 3);
    assert.equal(json.clusters.length, 1);
    assert.equal(json.clusters[0]?.validators, 3);
    assert.ok((json.clusters[0]?.runwayDays ?? 0) >= 29.9, String(json.clusters[0]?.runwayDays));
    assert.equal(json.clusters[0]?.liquidationRisk, "ok");
  });

  it("with the SSV API down: one warning, and the next key joins the cluster on chain data", async () => {
    handle().api.setDown(true);
    try {
      const result = await ssv("register", ["--count", "1", "--no-confirm"]);
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stderr, /SSV API unavailable: continuing with on-chain operator data/);
      assert.match(result.stdout, /\(existing\)/);
      assert.match(result.stdout, /Registered 1 validator on SSV/);
    } finally {
      handle().api.setDown(false);
    }
    assert.equal((await ownerState()).nonce, 4);
  });
});
