/**
 * `start --relayer-endpoint`'s flow against the real relayer and four Obol sidecars over loopback
 * (no devnet): the flow asks the relayer, waits while the sidecars have not signed, and once three
 * of four have, sends the oracles an approval request built from the relayer's answer. A recording
 * oracle keeps that body; each oracle's shard is decrypted and checked with code the operator does
 * not share, and the relayer's manager signature recovers to the relayer's wallet over the
 * validators bytes the operator encodes (the same bytes as the relayer's own encoder).
 */
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { recoverTypedDataAddress, toHex } from "viem";
import type { VaultState } from "../../src/chain/vault-state-reader.ts";
import { vaultValidatorsDomain, vaultValidatorsTypedData } from "../../src/chain/vault-validators-eip712.ts";
import { depositEntries } from "../../src/dvt/relayer/manager-signature.ts";
import { obolShareSource } from "../../src/dvt/relayer/obol-cluster-lock.ts";
import { encodeValidatorDepositEntries } from "../../src/keys/validator-entries.ts";
import { signedRegistrationEntry } from "../../src/keys/vault-deposit-entries.ts";
import { createRelayerFlow } from "../../src/operator/flows/relayer-flow.ts";
import {
  createOperatorRelayerClient,
  RelayerNotReadyError,
} from "../../src/operator/relayer/relayer-client.ts";
import type { SlotSnapshot } from "../../src/operator/snapshot.ts";
import { waitOf } from "../../src/operator/wait-errors.ts";
import type { OracleSet } from "../../src/oracles/oracle-set.ts";
import { writeObolCluster } from "../support/dvt-cluster.ts";
import {
  FLOW_MANAGER,
  FLOW_ORACLES,
  FLOW_THRESHOLD,
  flowSecretKeys,
  flowSidecar,
  independentExitRoot,
  obolNodeKeys,
  startFlowRelayer,
} from "../support/dvt-flow.ts";
import { bytesOf, NETWORK, recipientsFor, VAULT } from "../support/oracle-fixtures.ts";
import { decryptShard, publicKeySharesInterpolate, verifyShard } from "../support/oracle-side.ts";

const dir = await mkdtemp(join(tmpdir(), "operator-relayer-"));
const secretKeys = flowSecretKeys([41, 42]);
const obol = await writeObolCluster({ dir, secretKeys, size: 4, threshold: FLOW_THRESHOLD });
const nodes = await obolNodeKeys(obol, [0, 1, 2, 3]);
const publicKeys = obol.validators.map((v) => v.publicKey);
const relayer = await startFlowRelayer({
  protocol: "v4",
  network: NETWORK,
  file: join(dir, "relayer.db"),
  source: obolShareSource(JSON.parse(await readFile(obol.clusterLockFile, "utf8")), {
    file: obol.clusterLockFile,
    threshold: FLOW_THRESHOLD,
  }),
  keys: publicKeys,
  transcript: [],
});

// One oracle that keeps each approval request and answers 503 (no approval is needed to check the body).
const bodies: unknown[] = [];
const oracle = createServer((request, response) => {
  let text = "";
  request.on("data", (chunk) => {
    text += chunk;
  });
  request.on("end", () => {
    bodies.push(JSON.parse(text));
    response.writeHead(503).end();
  });
});
await new Promise<void>((resolve) => oracle.listen(0, "127.0.0.1", resolve));
after(async () => {
  oracle.close();
  await relayer.close();
  await rm(dir, { recursive: true, force: true });
});

const ROOT = `0x${"5e".repeat(32)}` as const;
const START_INDEX = 300;
const snapshot = {
  vault: { depositRoot: ROOT } as VaultState,
  head: { number: 10n, timestamp: 1_700_000_000 },
  deposits: { count: START_INDEX, has: () => false },
  oracles: {
    batchLimit: 10,
    targets: [
      {
        address: "0x0000000000000000000000000000000000000001",
        endpoints: [`http://127.0.0.1:${(oracle.address() as AddressInfo).port}`],
      },
    ],
    recipients: recipientsFor(FLOW_ORACLES.map((o) => o.publicKey)),
    recoverThreshold: 3,
    validatorsMinOracles: 1,
    signatureValidityPeriod: 300,
  } as unknown as OracleSet,
  stakeable: 64n * 10n ** 18n,
} as unknown as SlotSnapshot<VaultState>;

const flow = createRelayerFlow({
  vault: VAULT,
  network: NETWORK,
  relayer: createOperatorRelayerClient({ endpoint: relayer.url, timeoutMs: 5_000 }),
  validatorType: "0x01",
  maxValidatorBalanceGwei: 1945n * 10n ** 9n,
  minDepositAmountGwei: 10n ** 9n,
  vaultMinBalanceGwei: 0n,
  registryRoot: async () => ROOT,
  oracleTimeoutMs: 2_000,
});

describe("start --relayer-endpoint's flow with the real relayer and an Obol cluster of 4 (threshold 3)", () => {
  const plan = flow.plan(snapshot);
  if (plan.kind !== "register") throw new Error("expected a registration plan");

  it("plans two 0x01 validators and waits for the relayer while no sidecar has signed", async () => {
    assert.equal(plan.validators, 2);
    await assert.rejects(flow.prepare(plan, snapshot, new AbortController().signal), (error) => {
      assert.ok(error instanceof RelayerNotReadyError, String(error));
      assert.equal(waitOf(error)?.kind, "waiting");
      return true;
    });
  });

  it("with three sidecars signed, sends the oracles the relayer's keys, deposit signatures, shards and manager signature", async () => {
    for (const keys of nodes.slice(0, 3)) await flowSidecar(relayer.url, "v4", keys, NETWORK).round();
    await assert.rejects(
      flow.prepare(plan, snapshot, new AbortController().signal),
      (error) => waitOf(error)?.kind === "waiting" && /oracle/i.test(String((error as Error).message)),
    );
    assert.equal(bodies.length, 1);
    const body = bodies[0] as {
      validator_index: number;
      public_keys: string[];
      deposit_signatures: string[];
      public_key_shards: string[][];
      exit_signature_shards: string[][];
      validators_manager_signature: `0x${string}`;
      amounts: null;
    };
    assert.equal(body.validator_index, START_INDEX);
    assert.deepEqual(body.public_keys, publicKeys);
    assert.equal(body.amounts, null);
    body.public_keys.forEach((key, k) => {
      const root = independentExitRoot(NETWORK, START_INDEX + k);
      assert.ok(publicKeySharesInterpolate(body.public_key_shards[k] as string[], 3, key));
      FLOW_ORACLES.forEach((o, j) => {
        const share = decryptShard(o.privateKey, (body.exit_signature_shards[k] as string[])[j] as string);
        assert.ok(
          verifyShard(share, (body.public_key_shards[k] as string[])[j] as string, root),
          `oracle ${j}`,
        );
      });
    });
    // The manager signature is the relayer wallet's, over the validators bytes the operator encodes.
    const operatorBytes = toHex(
      encodeValidatorDepositEntries(
        body.public_keys.map((key, k) =>
          signedRegistrationEntry({
            publicKey: bytesOf(key),
            vault: VAULT,
            validatorType: "0x01",
            amountGwei: 32_000_000_000n,
            signature: bytesOf(body.deposit_signatures[k] as string),
          }),
        ),
      ),
    );
    const relayerBytes = depositEntries(
      VAULT,
      "0x01",
      body.public_keys.map((key, k) => ({
        publicKey: key as `0x${string}`,
        amountGwei: 32_000_000_000,
        depositSignature: body.deposit_signatures[k] as `0x${string}`,
      })),
    );
    assert.equal(operatorBytes, relayerBytes);
    const signer = await recoverTypedDataAddress({
      ...vaultValidatorsTypedData(vaultValidatorsDomain(NETWORK.chainId, VAULT), {
        validatorsRegistryRoot: ROOT,
        validators: operatorBytes,
      }),
      signature: body.validators_manager_signature,
    });
    assert.equal(signer, FLOW_MANAGER.address);
  });
});
