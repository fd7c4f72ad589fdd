/**
 * The DVT relayer and the sidecars of four SSV operators with ids that are not 1…4 (17, 42, 108,
 * 2^33 + 5) talking over HTTP (issue 14 must-be-true 2 and 3, no devnet). Each sidecar decrypts
 * its share from the registerValidator sharesData as `operator sidecar` does with the chain's
 * ValidatorAdded events; the share index is the operator id. Today's generation runs with the
 * sidecars' own public key shares (no trusted source), the legacy one with the owner's
 * ValidatorAdded events. Ends with a scan of the whole flow for key material.
 */
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { ssvShareSource } from "../../src/dvt/relayer/ssv-public-key-shares.ts";
import { ShareKeys } from "../../src/dvt/sidecar/share-keys.ts";
import { ssvShareKey } from "../../src/dvt/sidecar/ssv-keys.ts";
import type { ValidatorAddedEvent } from "../../src/ssv/ssv-event-types.ts";
import { decodeSsvLog } from "../../src/ssv/ssv-events.ts";
import { ssvClusterShares, validatorAddedLogs } from "../support/dvt-cluster.ts";
import { assertNoKeyMaterial, flowSecretKeys } from "../support/dvt-flow.ts";
import { describeFlow, type FlowCluster } from "../support/dvt-flow-scenario.ts";
import { ssvKeysVectorOperators } from "../support/ssv-operator.ts";

const OWNER = "0x7e5f4552091a69125d5dfcb7b8c2659029395bdf";
const IDS = [17n, 42n, 108n, 2n ** 33n + 5n];

const dir = await mkdtemp(join(tmpdir(), "ssv-flow-"));
after(() => rm(dir, { recursive: true, force: true }));
const secretKeys = flowSecretKeys([41, 42, 43]);
const operators = await ssvKeysVectorOperators(IDS);
const events = validatorAddedLogs(ssvClusterShares({ secretKeys, operators, owner: OWNER }), OWNER, 10n).map(
  (log) => decodeSsvLog(log) as ValidatorAddedEvent,
);
const nodes = operators.map((operator) => {
  const keys = new ShareKeys(Number(operator.id));
  for (const event of events) {
    const row = { publicKey: event.publicKey, operatorIds: event.operatorIds, sharesData: event.shares };
    keys.add(ssvShareKey(row, operator.id, operator.privateKey));
  }
  return keys;
});
const publicKeys = events.map((event) => event.publicKey.toLowerCase() as `0x${string}`);
const eventSource = ssvShareSource({ scan: async () => events, head: async () => 20n, fromBlock: 0n });

const transcript: string[] = [];
const databases = [join(dir, "relayer-v4.db"), join(dir, "relayer-legacy.db")];
const cluster = (source: FlowCluster["source"]): FlowCluster => ({ name: "SSV", publicKeys, nodes, source });
describeFlow({
  cluster: cluster(undefined),
  protocol: "v4",
  file: databases[0] as string,
  transcript,
  validatorType: "0x02",
});
describeFlow({
  cluster: cluster(eventSource),
  protocol: "legacy",
  file: databases[1] as string,
  transcript,
  validatorType: "0x01",
});

describe("key material over the SSV flows", () => {
  it("no validator key or key share in the relayer's database rows, any log line or any HTTP body", () => {
    const secrets = [
      ...secretKeys.map((key) => key.toBytes()),
      ...nodes.flatMap((keys) => publicKeys.map((pk) => keys.get(pk)?.secretKey.toBytes() as Uint8Array)),
    ];
    assert.equal(secrets.length, 3 + 4 * 3);
    assertNoKeyMaterial(transcript, databases, secrets);
  });
});
