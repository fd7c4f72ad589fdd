import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  approvalRequest,
  CHAIN_ID,
  FakeOracleChain,
  getJson,
  KEEPER,
  NETWORK,
  NEXT_VALIDATOR_INDEX,
  postJson,
  recipientsFor,
  VAULT,
  vaultDeposits,
} from "../../../test/support/oracle-fixtures.ts";
import { deriveOracleKeys } from "../accounts.ts";
import { createIpfsStore } from "../ipfs/store.ts";
import { type CommitteeSnapshot, type StartCommitteeParameters, startOracleCommittee } from "./committee.ts";

describe("oracle committee across a restart", () => {
  it("a committee started from a snapshot keeps the ports, generation and exit records", async () => {
    const chain = new FakeOracleChain();
    const deposits = await vaultDeposits(VAULT, 2);
    chain.setVault(VAULT, { validatorsRoot: deposits.root, validatorIndex: 0, exitSignaturesNonce: 0n });
    let changes = 0;
    const params: StartCommitteeParameters = {
      keys: deriveOracleKeys({ count: 3 }),
      chain,
      chainId: CHAIN_ID,
      keeper: KEEPER,
      network: NETWORK,
      ipfs: createIpfsStore(),
      recoverThreshold: 2,
      signatureValidityPeriod: 300,
      validatorsApprovalBatchLimit: 10,
      validatorsExitRotationBatchLimit: 20,
      onChange: () => changes++,
    };
    const first = await startOracleCommittee(params);
    const urls = first.oracles.map((o) => o.server.url);
    const body = approvalRequest({
      deposits,
      startIndex: 0,
      count: 1,
      recipients: recipientsFor(first.config().oracles.map((o) => o.public_key)),
      recoverThreshold: 2,
    });
    assert.equal((await postJson(urls[0] as string, body)).status, 200);
    assert.ok(changes >= 1, "an approval is a change to write");
    const snapshot = JSON.parse(JSON.stringify(first.snapshot())) as CommitteeSnapshot;
    await first.close();

    const second = await startOracleCommittee({ ...params, restored: snapshot });
    try {
      assert.deepEqual(
        second.oracles.map((o) => o.server.url),
        urls,
        "same endpoints: the Keeper's config still names them",
      );
      // The validator approved before the restart is remembered: a new set makes it outdated.
      await second.replaceOracles(deriveOracleKeys({ count: 3, seed: "after restart" }));
      const answer = await getJson(`${second.oracles[0]?.server.url}/signatures/${VAULT}`);
      assert.deepEqual(
        (answer.body.validators as Array<{ index: number }>).map((v) => v.index),
        [NEXT_VALIDATOR_INDEX],
      );
      assert.equal(second.snapshot().generation, 1);
    } finally {
      await second.close();
    }
  });
});
