/**
 * One scenario of issue 14's must-be-true 1, parameterised by cluster (Obol, SSV) and relayer
 * generation: `devnet --dvt` (startDevnet with the same options the command passes) makes the
 * cluster and runs the relayer and one sidecar per node; the operator, with no validator key,
 * registers the cluster's validators through the relayer (`start --relayer-endpoint`); then every
 * exit signature the oracles approved is reassembled from a threshold of their shards and
 * verified under the Capella domain, with test-side code only (oracle-exit-shards.ts: eciesjs and
 * @noble/curves; the signing root from the devnet oracles' SSZ code). For Obol, the test also
 * recombines each whole key from three nodes' keystores and finds it in no file of the data dir.
 *
 * Today's generation (v4): a version-5 vault whose validators manager is the relayer's wallet. The
 * legacy generation: a version-1 vault whose validators root is the DV keys' deposit data
 * (devnet/dvt/deposit_data.json), and `start --relayer-protocol legacy --deposit-data-file`.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { decrypt as decryptKeystore } from "@chainsafe/bls-keystore";
import { bls12_381 } from "@noble/curves/bls12-381.js";
import { parseEther, parseEventLogs } from "viem";
import { keeperAbi } from "../../src/chain/abi/keeper.ts";
import { vaultV5Abi } from "../../src/chain/abi/vault-v5.ts";
import type { DevnetOptions } from "../../src/devnet/devnet.ts";
import type { DevnetDvtDescription } from "../../src/devnet/dvt/devnet-dvt.ts";
import { runCli } from "../support/cli.ts";
import { independentExitRoot, nobleVerifies } from "../support/dvt-flow.ts";
import { decryptOracleShard, recombineSignatureShards } from "../support/oracle-exit-shards.ts";
import { type StartFixture, setupStart, startService } from "./start-fixture.ts";

export interface DvtScenario {
  cluster: "obol" | "ssv";
  protocol: "v4" | "legacy";
}

const VALIDATORS = 3;

/** The devnet of a scenario: 3 validators on a cluster of 4 (threshold 3), 3 oracles (2 recombine). */
export function scenarioDevnet(scenario: DvtScenario): DevnetOptions {
  return {
    // Version 5 for today's generation (the relayer is the validators manager); legacy: version 1.
    vaultVersion: scenario.protocol === "v4" ? 5 : 1,
    oracles: 3,
    threshold: 2,
    // SSV nodes read finalized events: short epochs bring the cluster's registration to finality sooner.
    slotsPerEpoch: scenario.cluster === "ssv" ? 4 : 8,
    ...(scenario.cluster === "ssv" ? { ssv: { operators: 5 } } : {}),
    dvt: {
      cluster: scenario.cluster,
      validators: VALIDATORS,
      size: 4,
      threshold: 3,
      protocol: scenario.protocol,
    },
  };
}

/** `start`'s flags that point the operator at the devnet's relayer. */
export function operatorArgs(scenario: DvtScenario, dvt: DevnetDvtDescription): string[] {
  if (scenario.protocol === "v4")
    return ["--relayer-endpoint", dvt.relayerEndpoint, "--validator-type", "0x01"];
  // Legacy: the operator registers with its own deposit data (the DV keys'), the relayer gives the exits.
  return [
    "--relayer-endpoint",
    dvt.relayerEndpoint,
    "--relayer-protocol",
    "legacy",
    "--deposit-data-file",
    dvt.depositDataFile as string,
  ];
}

/** Makes the vault take the cluster's validators: legacy sets the root of the DV keys' deposit data. */
async function prepareVault(
  scenario: DvtScenario,
  f: StartFixture,
  dvt: DevnetDvtDescription,
): Promise<void> {
  if (scenario.protocol === "v4") return;
  const set = await runCli([
    "devnet",
    "set-root",
    "--deposit-data-file",
    dvt.depositDataFile as string,
    "--data-dir",
    f.dataDir,
  ]);
  assert.equal(set.code, 0, set.stderr);
}

/** The ValidatorRegistered public keys of the vault, in chain order (lower case). */
async function registeredKeys(f: StartFixture): Promise<string[]> {
  const logs = await f.devnet.clients.sender.getLogs({ address: f.vault, fromBlock: 0n });
  return parseEventLogs({ abi: vaultV5Abi, logs })
    .filter((l) => l.eventName === "ValidatorRegistered")
    .map((l) => (l.args as { publicKey: string }).publicKey.toLowerCase());
}

/** Every exit signature the oracles can reassemble for `publicKey`, from each threshold subset of shards. */
async function oracleExitSignatures(f: StartFixture, publicKey: string): Promise<Uint8Array[]> {
  const threshold = f.devnet.committee.config().exit_signature_recover_threshold;
  const oracles = f.devnet.oracleKeys;
  const logs = await f.devnet.clients.sender.getContractEvents({
    address: f.devnet.protocol.keeper.address,
    abi: keeperAbi,
    eventName: "ValidatorsApproval",
    fromBlock: 0n,
  });
  const signatures: Uint8Array[] = [];
  for (const approval of parseEventLogs({ abi: keeperAbi, logs, eventName: "ValidatorsApproval" })) {
    const file = f.devnet.ipfs.get(approval.args.exitSignaturesIpfsHash);
    assert.ok(file, "the approval's exit signatures are on the devnet's IPFS");
    const payload = JSON.parse(new TextDecoder().decode(file));
    if (!payload.validators.some((v: { public_key: string }) => v.public_key === publicKey)) continue;
    // Every window of `threshold` consecutive oracles: each must give the same whole signature.
    for (let first = 0; first + threshold <= oracles.length; first++) {
      const positions = Array.from({ length: threshold }, (_, i) => first + i);
      signatures.push(
        recombineSignatureShards(
          positions.map((k) => ({
            x: k + 1,
            signature: decryptOracleShard(payload, publicKey, k, oracles[k]?.privateKey as string),
          })),
        ),
      );
    }
  }
  return signatures;
}

/** Every file under `dir`. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(path) : [path];
  });
}

/**
 * Each Obol validator's whole key (hex, no 0x), recombined in the test from nodes 0–2's keystores
 * (the keystore library and @noble/curves only) and checked against its public key.
 */
async function obolWholeKeys(dvt: DevnetDvtDescription): Promise<string[]> {
  const { Fr } = bls12_381.fields;
  return Promise.all(
    dvt.publicKeys.map(async (publicKey, n) => {
      const shares = await Promise.all(
        [0, 1, 2].map(async (node) => {
          const base = join(dvt.nodes[node]?.keystoresDir as string, `keystore-${n}`);
          const keystore = JSON.parse(readFileSync(`${base}.json`, "utf8"));
          const secret = await decryptKeystore(keystore, readFileSync(`${base}.txt`, "utf8"));
          return { x: BigInt(node + 1), y: BigInt(`0x${Buffer.from(secret).toString("hex")}`) };
        }),
      );
      let key = 0n;
      for (const share of shares) {
        let lambda = 1n;
        for (const other of shares) {
          if (other !== share) lambda = Fr.mul(lambda, Fr.div(other.x, Fr.sub(other.x, share.x)));
        }
        key = Fr.add(key, Fr.mul(lambda, share.y));
      }
      const derived = bls12_381.G1.Point.BASE.multiply(key).toBytes(true);
      assert.equal(
        `0x${Buffer.from(derived).toString("hex")}`,
        publicKey,
        "the shares recombine to the DV key",
      );
      return key.toString(16).padStart(64, "0");
    }),
  );
}

export function describeDevnetDvt(scenario: DvtScenario): void {
  describe(`devnet --dvt ${scenario.cluster} (relayer protocol ${scenario.protocol})`, {
    timeout: 120_000,
  }, () => {
    let f: StartFixture;
    let dvt: DevnetDvtDescription;
    before(async () => {
      f = await setupStart({
        keys: 0,
        keepValidatorsManager: scenario.protocol === "v4",
        devnet: scenarioDevnet(scenario),
      });
      const described = f.devnet.dvt?.describe();
      assert.ok(described, "the devnet made a DVT cluster");
      dvt = described;
      await prepareVault(scenario, f, dvt);
    });
    after(async () => {
      await f?.stop();
    });

    it(`made the cluster: shares at the cluster's indexes, key files 0600, ${scenario.protocol === "v4" ? "the relayer the vault's validators manager" : "the DV keys' deposit data"}`, async () => {
      assert.equal(dvt.publicKeys.length, VALIDATORS);
      const indexes = dvt.nodes.map((n) => n.shareIndex);
      if (scenario.cluster === "obol") assert.deepEqual(indexes, [1, 2, 3, 4]);
      else
        assert.ok(
          indexes.every((x) => x >= 100),
          `SSV operator ids ${indexes} are not 1..4`,
        );
      const files: string[] = [];
      if (scenario.cluster === "obol") {
        for (const node of dvt.nodes) {
          files.push(
            join(node.keystoresDir as string, "keystore-2.json"),
            join(node.keystoresDir as string, "keystore-2.txt"),
          );
        }
      }
      if (scenario.protocol === "v4") {
        const manager = await f.devnet.clients.sender.readContract({
          address: f.vault,
          abi: vaultV5Abi,
          functionName: "validatorsManager",
        });
        assert.equal(manager, dvt.validatorsManager);
        const csv = readFileSync(dvt.publicKeysFile as string, "utf8")
          .trim()
          .split("\n");
        assert.deepEqual(csv, dvt.publicKeys);
        files.push(dvt.walletFile as string, dvt.walletPasswordFile as string);
      }
      for (const file of files) assert.equal(statSync(file).mode & 0o777, 0o600, file);
    });

    it(`registers the ${VALIDATORS} DV validators through the relayer; every exit signature the oracles reassemble verifies`, async () => {
      await f.devnet.depositToVault(parseEther(String(32 * VALIDATORS)));
      const run = startService(f.startArgs(operatorArgs(scenario, dvt)), f.env());
      try {
        const deadline = Date.now() + 90_000;
        while ((await registeredKeys(f)).length < VALIDATORS) {
          assert.ok(Date.now() < deadline, `not registered in time:\n${run.output()}`);
          const exited = await Promise.race([run.exited, new Promise((r) => setTimeout(r, 1000, false))]);
          assert.equal(exited, false, `start exited:\n${run.output()}`);
        }
      } finally {
        const exit = await run.stop();
        assert.equal(exit.code, 0, run.output());
      }
      assert.deepEqual((await registeredKeys(f)).sort(), [...dvt.publicKeys].sort());

      await f.devnet.beacon.sync();
      const validators = f.devnet.beacon.validatorsAt(f.devnet.beacon.currentSlot());
      for (const publicKey of dvt.publicKeys) {
        const index = validators.findIndex((v) => v.pubkey.toLowerCase() === publicKey);
        assert.ok(index >= 0, `${publicKey} is on the beacon chain`);
        const signatures = await oracleExitSignatures(f, publicKey);
        assert.ok(signatures.length > 0, `the oracles approved ${publicKey}'s exit shards`);
        const root = independentExitRoot(f.devnet.network, index);
        for (const signature of signatures) {
          assert.ok(nobleVerifies(publicKey, root, signature), `exit of validator ${index} verifies`);
          assert.deepEqual(signature, signatures[0], "every threshold of oracles gives the same signature");
        }
        // The Capella domain binds the index: the same signature does not pass for another validator.
        assert.equal(
          nobleVerifies(
            publicKey,
            independentExitRoot(f.devnet.network, index + 1),
            signatures[0] as Uint8Array,
          ),
          false,
        );
      }
      if (scenario.cluster === "obol") {
        // Three nodes' keystores recombine to each validator's key, which no file holds: not the
        // devnet's (relayer and sidecar databases included), not the operator's.
        const keys = await obolWholeKeys(dvt);
        assert.equal(keys.length, VALIDATORS);
        const haystack = filesUnder(f.dataDir)
          .map((file) => readFileSync(file).toString("hex") + readFileSync(file, "latin1").toLowerCase())
          .join("\n");
        assert.ok(haystack.length > 100_000, `only ${haystack.length} characters scanned`);
        // The scan sees what the files hold: the public keys are in devnet.json, the CSV, the databases.
        assert.ok(haystack.includes((dvt.publicKeys[0] as string).slice(2)));
        for (const key of keys)
          assert.equal(haystack.includes(key), false, "a whole validator key is on disk");
      }
    });
  });
}
