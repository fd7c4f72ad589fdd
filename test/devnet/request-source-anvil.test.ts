/**
 * The beacon simulator's request reader against a real anvil: the EIP-7002 and EIP-7251 addresses
 * get stand-in code (anvil_setCode) that logs its calldata without topics, as the system contracts
 * log a request, so eth_getLogs returns what the simulator meets on a Prague chain.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createTestClient, createWalletClient, type Hex, http, publicActions } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { type AnvilInstance, startAnvil } from "../../src/devnet/anvil.ts";
import {
  CONSOLIDATION_REQUEST_ADDRESS,
  WITHDRAWAL_REQUEST_ADDRESS,
} from "../../src/devnet/beacon/request-source.ts";
import { viemRequestSource } from "../../src/devnet/beacon/viem-request-source.ts";
import { loadArtifact } from "../../src/devnet/deploy.ts";

const FUNDED_KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
/** Runtime code: CALLDATACOPY(0, 0, size); LOG0(0, size); STOP. */
const LOG0_EMITTER: Hex = "0x365f5f37365fa000";
const VAULT = "11".repeat(20);
const PUBKEY_A = "aa".repeat(48);
const PUBKEY_B = "bb".repeat(48);

describe("viemRequestSource on anvil", () => {
  let anvil: AnvilInstance;
  let client: ReturnType<typeof makeClient>;
  const makeClient = (url: string) =>
    createWalletClient({
      account: privateKeyToAccount(FUNDED_KEY),
      transport: http(url),
      cacheTime: 0,
    }).extend(publicActions);
  const send = async (to: Hex, data: Hex) => {
    const hash = await client.sendTransaction({ to, data, chain: null });
    return (await client.waitForTransactionReceipt({ hash })).blockNumber;
  };

  const placeCode = async (withdrawals: Hex, consolidations: Hex) => {
    const test = createTestClient({ mode: "anvil", transport: http(anvil.url) });
    await test.setCode({ address: WITHDRAWAL_REQUEST_ADDRESS, bytecode: withdrawals });
    await test.setCode({ address: CONSOLIDATION_REQUEST_ADDRESS, bytecode: consolidations });
  };

  before(async () => {
    anvil = await startAnvil({ blockTime: "automine" });
    client = makeClient(anvil.url);
    await placeCode(LOG0_EMITTER, LOG0_EMITTER);
  });
  after(async () => {
    await anvil?.stop();
  });

  it("decodes withdrawal and consolidation requests with their blocks", async () => {
    const start = await client.getBlockNumber();
    // 2 ETH in gwei, 8 bytes big-endian.
    const withdrawalBlock = await send(WITHDRAWAL_REQUEST_ADDRESS, `0x${VAULT}${PUBKEY_A}0000000077359400`);
    const consolidationBlock = await send(CONSOLIDATION_REQUEST_ADDRESS, `0x${VAULT}${PUBKEY_A}${PUBKEY_B}`);
    const requests = await viemRequestSource(client).fetchRequests(start + 1n, consolidationBlock);
    assert.equal(requests.length, 2);
    const [withdrawal, consolidation] = requests;
    assert.ok(withdrawal?.kind === "withdrawal");
    assert.equal(withdrawal.blockNumber, withdrawalBlock);
    assert.equal(withdrawal.amountGwei, 2_000_000_000n);
    assert.equal(Buffer.from(withdrawal.sourceAddress).toString("hex"), VAULT);
    assert.equal(Buffer.from(withdrawal.validatorPubkey).toString("hex"), PUBKEY_A);
    assert.ok(consolidation?.kind === "consolidation");
    assert.equal(consolidation.blockNumber, consolidationBlock);
    assert.equal(Buffer.from(consolidation.targetPubkey).toString("hex"), PUBKEY_B);
  });

  it("reads what the devnet's own request contracts log, the caller prepended", async () => {
    await placeCode(
      loadArtifact("WithdrawalRequests").deployedBytecode,
      loadArtifact("ConsolidationRequests").deployedBytecode,
    );
    const start = await client.getBlockNumber();
    // The contracts take the request without the source (they add msg.sender) and a fee of 1 wei.
    const pay = async (to: Hex, data: Hex) => {
      const hash = await client.sendTransaction({ to, data, value: 1n, chain: null });
      return (await client.waitForTransactionReceipt({ hash })).blockNumber;
    };
    await pay(WITHDRAWAL_REQUEST_ADDRESS, `0x${PUBKEY_B}0000000000000000`);
    const last = await pay(CONSOLIDATION_REQUEST_ADDRESS, `0x${PUBKEY_B}${PUBKEY_B}`);
    const requests = await viemRequestSource(client).fetchRequests(start + 1n, last);
    const sender = client.account.address.slice(2).toLowerCase();
    assert.deepEqual(
      requests.map((r) => [r.kind, Buffer.from(r.sourceAddress).toString("hex")]),
      [
        ["withdrawal", sender],
        ["consolidation", sender],
      ],
    );
    assert.ok(requests[0]?.kind === "withdrawal" && requests[0].amountGwei === 0n);
  });
});
