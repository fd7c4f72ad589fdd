/**
 * Top-ups, withdrawals and consolidations of a relayer-managed vault (`start --relayer-endpoint`): the operator's
 * tasks encode the fundValidators / withdrawValidators entries, the real relayer (over loopback)
 * signs POST /fund, /withdraw and /consolidate from the keys and amounts alone with its own encoder, and the
 * operator accepts the signature only when it recovers to the vault's validators manager at the
 * vault's nonce over the operator's bytes. A manager or nonce the relayer does not sign for is
 * refused before any transaction carries it.
 */
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { toHex } from "viem";
import { encodeConsolidationEntries, encodeWithdrawalEntries } from "../../src/keys/validator-entries.ts";
import { fundingEntries } from "../../src/operator/funding/top-up-task.ts";
import {
  type ManagerChainView,
  ManagerSignatureError,
  relayerManagerSignatures,
} from "../../src/operator/manager-signatures.ts";
import { createOperatorRelayerClient } from "../../src/operator/relayer/relayer-client.ts";
import { FLOW_MANAGER, type FlowRelayer, MANAGER_CHAIN_ID, startFlowRelayer } from "../support/dvt-flow.ts";
import { NETWORK, VAULT } from "../support/oracle-fixtures.ts";

const KEYS = [`0x${"a1".repeat(48)}`, `0x${"b2".repeat(48)}`] as const;
const signal = new AbortController().signal;

describe("manager signatures of a relayer-managed vault, operator ↔ real relayer", () => {
  let dir: string;
  let relayer: FlowRelayer;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "manager-signatures-"));
    relayer = await startFlowRelayer({
      protocol: "v4",
      network: NETWORK,
      file: join(dir, "relayer.db"),
      source: undefined,
      keys: [],
      transcript: [],
    });
  });
  after(async () => {
    await relayer?.close();
    await rm(dir, { recursive: true, force: true });
  });

  // The flow relayer signs at nonce 7 as FLOW_MANAGER.
  const chain = (over: Partial<{ manager: `0x${string}`; nonce: bigint }> = {}): ManagerChainView => ({
    chainId: MANAGER_CHAIN_ID,
    validatorsManager: async () => over.manager ?? FLOW_MANAGER.address,
    validatorsManagerNonce: async () => over.nonce ?? 7n,
  });
  const client = () => createOperatorRelayerClient({ endpoint: relayer.url, timeoutMs: 5_000 });

  it("fundValidators: the relayer signs the operator's 184-byte entries over a zero deposit signature", async () => {
    const items = [
      { publicKey: KEYS[0], amountGwei: 5_000_000_000n },
      { publicKey: KEYS[1], amountGwei: 1_000_000_000n },
    ];
    const validators = fundingEntries(VAULT, items);
    const signature = await relayerManagerSignatures(client(), chain()).sign(
      { kind: "fund", vault: VAULT, validators, items },
      signal,
    );
    assert.match(signature, /^0x[0-9a-f]{130}$/);
  });

  it("withdrawValidators: partial and full (0) amounts, 56-byte entries", async () => {
    const items = [
      { publicKey: KEYS[0], amountGwei: 2_000_000_000n },
      { publicKey: KEYS[1], amountGwei: 0n },
    ];
    const validators = toHex(
      encodeWithdrawalEntries(
        items.map((i) => ({ publicKey: Buffer.from(i.publicKey.slice(2), "hex"), amountGwei: i.amountGwei })),
      ),
    );
    const signature = await relayerManagerSignatures(client(), chain()).sign(
      { kind: "withdraw", vault: VAULT, validators, items },
      signal,
    );
    assert.match(signature, /^0x[0-9a-f]{130}$/);
  });

  it("consolidateValidators: 96-byte source ‖ target pairs", async () => {
    const pairs = [{ source: KEYS[0], target: KEYS[1] }];
    const validators = toHex(
      encodeConsolidationEntries(
        pairs.map((p) => ({
          sourcePublicKey: Buffer.from(p.source.slice(2), "hex"),
          targetPublicKey: Buffer.from(p.target.slice(2), "hex"),
        })),
      ),
    );
    const signature = await relayerManagerSignatures(client(), chain()).sign(
      { kind: "consolidate", vault: VAULT, validators, pairs },
      signal,
    );
    assert.match(signature, /^0x[0-9a-f]{130}$/);
  });

  it("refuses the signature when the vault's manager is another wallet, or the nonce moved on", async () => {
    const items = [{ publicKey: KEYS[0], amountGwei: 1_000_000_000n }];
    const call = { kind: "fund" as const, vault: VAULT, validators: fundingEntries(VAULT, items), items };
    await assert.rejects(
      relayerManagerSignatures(client(), chain({ manager: `0x${"22".repeat(20)}` })).sign(call, signal),
      (error: unknown) =>
        error instanceof ManagerSignatureError &&
        error.retryable &&
        /not of the vault's validators manager 0x2222222222222222222222222222222222222222 at nonce 7/.test(
          error.message,
        ),
    );
    await assert.rejects(
      relayerManagerSignatures(client(), chain({ nonce: 8n })).sign(call, signal),
      ManagerSignatureError,
    );
  });

  it("refuses a signature over other amounts than the call carries", async () => {
    const items = [{ publicKey: KEYS[0], amountGwei: 1_000_000_000n }];
    const other = [{ publicKey: KEYS[0], amountGwei: 2_000_000_000n }];
    await assert.rejects(
      relayerManagerSignatures(client(), chain()).sign(
        { kind: "fund", vault: VAULT, validators: fundingEntries(VAULT, other), items },
        signal,
      ),
      ManagerSignatureError,
    );
  });
});
