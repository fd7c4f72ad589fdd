/**
 * `operator start --relayer-endpoint` on a version-5 devnet vault whose validators manager is the
 * relayer's wallet: an in-process relayer (SQLite, the devnet's oracle set and deposit root) and
 * the sidecars of an Obol cluster of 4 (threshold 3, three of them signing) make the validators;
 * the operator, with no key of its own, registers them. The devnet oracles check the relayer's
 * shards with their own code before they approve. A 0x02 validator is then topped up with the
 * relayer's POST /fund signature, and the operator's and relayer's state, output and HTTP bodies are
 * scanned for key material.
 */
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { createPublicClient, http, parseEther, parseEventLogs } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { vaultV5Abi } from "../../src/chain/abi/vault-v5.ts";
import { managerChain } from "../../src/dvt/relayer/manager-signature.ts";
import { obolShareSource } from "../../src/dvt/relayer/obol-cluster-lock.ts";
import { writeObolCluster } from "../support/dvt-cluster.ts";
import {
  assertNoKeyMaterial,
  type FlowRelayer,
  flowSecretKeys,
  flowSidecar,
  obolNodeKeys,
  pollSidecars,
  startFlowRelayer,
} from "../support/dvt-flow.ts";
import { recipientsFor } from "../support/oracle-fixtures.ts";
import { stateText } from "../support/state-scan.ts";
import { type StartFixture, setupStart, startService } from "./start-fixture.ts";

describe("start --relayer-endpoint on a version-5 vault managed by the relayer", { timeout: 120_000 }, () => {
  let f: StartFixture;
  let relayer: FlowRelayer;
  let publicKeys: `0x${string}`[];
  let secrets: Uint8Array[];
  const unregistered: `0x${string}`[] = [];
  /** HTTP bodies both ways at the relayer (the operator's and the sidecars'), and the operator's output. */
  const transcript: string[] = [];
  let stopSidecars: (() => void) | undefined;
  let chain: NonNullable<Parameters<typeof startFlowRelayer>[0]["chain"]>;
  before(async () => {
    f = await setupStart({ keys: 1, devnet: { vaultVersion: 5, oracles: 3, threshold: 2 } });
    const dir = join(f.dataDir, "obol");
    const secretKeys = flowSecretKeys([51, 52, 53]);
    const obol = await writeObolCluster({ dir, secretKeys, size: 4, threshold: 3 });
    publicKeys = obol.validators.map((v) => v.publicKey);
    unregistered.push(...publicKeys);
    secrets = [
      ...secretKeys.map((key) => key.toBytes()),
      ...obol.validators.flatMap((v) => v.shares.map((s) => s.secretKey)),
    ];
    const manager = privateKeyToAccount(generatePrivateKey());
    await f.devnet.setValidatorsManager(manager.address);
    const network = f.devnet.network;
    chain = {
      manager,
      managerChain: managerChain(
        createPublicClient({ transport: http(f.devnet.executionUrl) }),
        network.chainId,
        network.depositContract.address,
      ),
      oracles: { recipients: recipientsFor(f.devnet.oracleKeys.map((k) => k.publicKey)), threshold: 2 },
    };
    relayer = await startFlowRelayer({
      protocol: "v4",
      network,
      file: join(f.dataDir, "relayer.db"),
      source: obolShareSource(JSON.parse(await readFile(obol.clusterLockFile, "utf8")), {
        file: obol.clusterLockFile,
        threshold: 3,
      }),
      // The relayer's unregistered keys: the test takes out what the chain registered, as the
      // real relayer does from the deposit contract's events.
      keys: unregistered,
      transcript,
      chain,
    });
    const keys = await obolNodeKeys(obol, [0, 1, 2]);
    stopSidecars = pollSidecars(keys.map((k) => flowSidecar(relayer.url, "v4", k, network)));
  });
  after(async () => {
    stopSidecars?.();
    await relayer?.close();
    await f?.stop();
  });

  it("registers the relayer's two 0x01 validators for 64 ETH", async () => {
    await f.devnet.depositToVault(parseEther("64"));
    const run = startService(
      f.startArgs(["--relayer-endpoint", relayer.url, "--validator-type", "0x01"]),
      f.env(),
    );
    try {
      const chosen = await run.waitForLog((l) => l.msg === "vault flow chosen", { what: "the flow line" });
      assert.equal(chosen.flow, "relayer");
      // The fixture's keystore is there, but this mode opens no key source.
      assert.ok(
        run.lines.some((l) => /^Using DVT relayer .* for 0 public keys$/.test(String(l.msg))),
        run.output(),
      );
      await run.waitForLog((l) => l.msg === "validators registered", {
        timeoutMs: 60_000,
        what: "the registration",
      });
    } finally {
      const exit = await run.stop();
      transcript.push(run.output());
      assert.equal(exit.code, 0, run.output());
    }
    const logs = await f.devnet.clients.sender.getLogs({ address: f.vault, fromBlock: 0n });
    const registered = parseEventLogs({ abi: vaultV5Abi, logs })
      .filter((l) => l.eventName === "ValidatorRegistered")
      .map((l) => (l.args as { publicKey: string }).publicKey.toLowerCase());
    assert.deepEqual(registered, publicKeys.slice(0, 2));
    unregistered.splice(0, 2);
  });

  it("registers a 0x02 validator of 40 ETH, then tops it up with the relayer's POST /fund signature", async () => {
    await f.devnet.depositToVault(parseEther("40"));
    const run = startService(
      f.startArgs([
        "--relayer-endpoint",
        relayer.url,
        "--validator-type",
        "0x02",
        "--min-deposit-delay",
        "0",
      ]),
      f.env(),
    );
    try {
      await run.waitForLog((l) => l.msg === "validators registered", {
        timeoutMs: 60_000,
        what: "the 0x02 registration",
      });
      await f.devnet.depositToVault(parseEther("10"));
      const topped = await run.waitForLog((l) => l.msg === "validators topped up", {
        timeoutMs: 60_000,
        what: "the top-up",
      });
      assert.deepEqual(topped.publicKeys, [publicKeys[2]]);
    } finally {
      const exit = await run.stop();
      transcript.push(run.output());
      assert.equal(exit.code, 0, run.output());
    }
    const logs = await f.devnet.clients.sender.getLogs({ address: f.vault, fromBlock: 0n });
    const events = parseEventLogs({ abi: vaultV5Abi, logs });
    const funded = events.flatMap((e) =>
      e.eventName === "ValidatorFunded" ? [[e.args.publicKey.toLowerCase(), e.args.amount]] : [],
    );
    assert.deepEqual(funded, [[publicKeys[2], parseEther("10")]]);
    // The relayer was asked for the top-up's manager signature.
    assert.ok(
      transcript.some(
        (body) => body.includes('"public_keys"') && body.includes(publicKeys[2]?.slice(2) ?? "-"),
      ),
    );
  });

  it("no whole validator key and no key share in the operator's or the relayer's state, logs or HTTP bodies", async () => {
    // The sidecars' keystores (under obol/) are the only place a share may be; everything else the
    // operator and the relayer wrote is read: the operator's vault dir (its SQLite state, journal,
    // config), the relayer's database, the devnet's files, and what went over HTTP and to stdout.
    const state = await stateText(f.dataDir, ["obol"]);
    assert.ok(state.files > 3, `${state.files} files read`);
    assert.equal(secrets.length, 3 + 3 * 4);
    // The scan sees what the operator stored: the validators' public keys are there.
    for (const key of publicKeys) assert.ok(state.text.includes(key.slice(2)), `${key} not in the state`);
    assertNoKeyMaterial([...transcript, state.text], [], secrets);
  });

  it("refuses a relayer whose manager wallet is not the vault's: one line, exit non-zero", async () => {
    const other = await startFlowRelayer({
      protocol: "v4",
      network: f.devnet.network,
      file: join(f.dataDir, "other-relayer.db"),
      source: undefined,
      keys: publicKeys,
      transcript: [],
      chain: { ...chain, manager: privateKeyToAccount(generatePrivateKey()) },
    });
    try {
      const run = startService(f.startArgs(["--relayer-endpoint", other.url]), f.env());
      const exit = await run.exited;
      assert.notEqual(exit.code, 0);
      assert.equal(run.stderr.trim().split("\n").length, 1, run.output());
      assert.match(
        run.output(),
        /signs as validators manager 0x[0-9a-fA-F]{40} but the vault's validators manager is/,
      );
    } finally {
      await other.close();
    }
  });
});
