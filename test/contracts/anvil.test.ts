/**
 * The devnet node launcher and its accounts: free ports, chain id, mining modes, stopping, no
 * orphaned anvil after the parent dies, and reproducible named/oracle keys.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { describe, it } from "node:test";
import { pathToFileURL } from "node:url";
import { createPublicClient, http, parseEther } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { createSignerClient } from "../../src/chain/signer-client.ts";
import { DEVNET_ROLES, deriveOracleKeys, devnetAccounts } from "../../src/devnet/accounts.ts";
import { anvilBinaryPath, startAnvil } from "../../src/devnet/anvil.ts";

const NODE = process.execPath;
const ANVIL_MODULE = pathToFileURL(new URL("../../src/devnet/anvil.ts", import.meta.url).pathname).href;

async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
      signal: AbortSignal.timeout(500),
    });
    return response.ok;
  } catch {
    return false;
  }
}

async function waitUntilDown(url: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!(await answers(url))) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}

describe("anvil launcher", () => {
  it("finds the anvil binary of the installed package", () => {
    assert.match(anvilBinaryPath(), /@foundry-rs\/anvil-[a-z0-9]+-[a-z0-9]+\/bin\/anvil$/);
  });

  it("starts two nodes on distinct free ports with the requested chain id, and stops them", async () => {
    const [a, b] = await Promise.all([startAnvil({ chainId: 4242, blockTime: "automine" }), startAnvil()]);
    try {
      assert.notEqual(a.port, b.port);
      assert.match(a.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      const client = createPublicClient({ chain: a.chain, transport: http(a.url) });
      assert.equal(await client.getChainId(), 4242);
      assert.equal(b.chainId, 31337);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
    assert.equal(await answers(a.url), false);
    assert.equal(await answers(b.url), false);
    await a.stop(); // idempotent
  });

  it("mines one block per transaction with automine and on a timer with a block time", async () => {
    const accounts = devnetAccounts();
    const auto = await startAnvil({ blockTime: "automine" });
    try {
      const client = createSignerClient({
        url: auto.url,
        chain: auto.chain,
        account: privateKeyToAccount(accounts.deployer.privateKey),
      });
      const before = await client.getBlockNumber();
      const hash = await client.sendTransaction({ to: accounts.sender.address, value: 1n });
      const receipt = await client.waitForTransactionReceipt({ hash });
      assert.equal(receipt.blockNumber, before + 1n);
    } finally {
      await auto.stop();
    }

    const timed = await startAnvil({ blockTime: 1 });
    try {
      const client = createPublicClient({ chain: timed.chain, transport: http(timed.url) });
      const first = await client.getBlockNumber({ cacheTime: 0 });
      await new Promise((resolve) => setTimeout(resolve, 2200));
      const later = await client.getBlockNumber({ cacheTime: 0 });
      assert.ok(later - first >= 1n && later - first <= 3n, `${first} → ${later}`);
    } finally {
      await timed.stop();
    }
  });

  it("stops when its abort signal fires", async () => {
    const controller = new AbortController();
    const anvil = await startAnvil({ blockTime: "automine", signal: controller.signal });
    controller.abort();
    await anvil.exited;
    assert.equal(await answers(anvil.url), false);
  });

  it("leaves no anvil behind when the parent process is killed", async () => {
    const script = `import { startAnvil } from ${JSON.stringify(ANVIL_MODULE)};
const anvil = await startAnvil({ blockTime: "automine" });
console.log(anvil.url);
setInterval(() => {}, 1000);`;
    const parent = spawn(NODE, ["--input-type=module", "-e", script], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    const lines = createInterface({ input: parent.stdout });
    const [url] = (await once(lines, "line")) as [string];
    assert.equal(await answers(url), true);
    parent.kill("SIGKILL");
    await once(parent, "exit");
    assert.equal(await waitUntilDown(url, 5000), true, `anvil at ${url} outlived its parent`);
  });
});

describe("devnet accounts", () => {
  it("names anvil's funded accounts by role", async () => {
    const accounts = devnetAccounts();
    assert.deepEqual(Object.keys(accounts), [...DEVNET_ROLES]);
    assert.equal(accounts.deployer.address, "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
    assert.equal(accounts.admin.address, "0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
    for (const account of Object.values(accounts)) {
      assert.equal(privateKeyToAccount(account.privateKey).address, account.address);
    }
    const anvil = await startAnvil({ blockTime: "automine" });
    try {
      const client = createPublicClient({ chain: anvil.chain, transport: http(anvil.url) });
      for (const account of Object.values(accounts)) {
        assert.equal(await client.getBalance({ address: account.address }), parseEther("10000"));
      }
    } finally {
      await anvil.stop();
    }
  });

  it("derives reproducible, distinct oracle keys from a seed", () => {
    const eleven = deriveOracleKeys({ count: 11 });
    assert.equal(new Set(eleven.map((o) => o.address)).size, 11);
    assert.deepEqual(deriveOracleKeys({ count: 3 }), eleven.slice(0, 3));
    const other = deriveOracleKeys({ count: 3, seed: "another devnet" });
    assert.equal(
      other.some((o) => eleven.some((e) => e.address === o.address)),
      false,
    );
    const funded = new Set(Object.values(devnetAccounts()).map((a) => a.address));
    assert.equal(
      eleven.some((o) => funded.has(o.address)),
      false,
    );
    for (const oracle of eleven) {
      assert.match(oracle.publicKey, /^0x04[0-9a-f]{128}$/);
      assert.equal(privateKeyToAccount(oracle.privateKey).address, oracle.address);
    }
    assert.throws(() => deriveOracleKeys({ count: 0 }), RangeError);
  });
});
