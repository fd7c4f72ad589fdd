/**
 * `startDevnet({ vaultVersion: 5 })`: the version-5 vault with its validators manager, a
 * version-1 vault beside it on the same chain, the request contracts at the EIP addresses, and the
 * new contracts' addresses in network.json and devnet.json.
 */
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { readRequestFee } from "../../src/chain/request-fees.ts";
import { loadDevnetNetwork } from "../../src/config/networks.ts";
import { LIBRARY_VAULT_VERSION, loadArtifact } from "../../src/devnet/deploy.ts";
import { type Devnet, startDevnet } from "../../src/devnet/devnet.ts";
import { readDevnetFile } from "../../src/devnet/devnet-file.ts";
import {
  CONSOLIDATION_REQUESTS_ADDRESS,
  WITHDRAWAL_REQUESTS_ADDRESS,
} from "../../src/devnet/system-contracts.ts";
import { DEFAULT_DEVNET_VAULT_VERSION } from "../../src/devnet/vault-version.ts";

describe("devnet with a version-5 vault", () => {
  let devnet: Devnet;
  let dir: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "devnet-v5-"));
    devnet = await startDevnet({ blockTime: "automine", vaultVersion: 5, outputDir: dir });
  });
  after(async () => {
    await devnet?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const readVault = (address: `0x${string}`, functionName: string) =>
    devnet.clients.sender.readContract({ address, abi: loadArtifact("EthVaultV5").abi, functionName });

  it("operator devnet deploys today's vault by default; the library keeps the first generation for the version-1 suites", () => {
    assert.equal(DEFAULT_DEVNET_VAULT_VERSION, 5);
    assert.equal(LIBRARY_VAULT_VERSION, 1);
  });

  it("deploys a version-5 vault managed by the sender account, and lets the admin name another manager", async () => {
    assert.equal(devnet.vault.version, 5);
    assert.equal(await readVault(devnet.vault.address, "version"), 5);
    assert.equal(await readVault(devnet.vault.address, "validatorsManager"), devnet.accounts.sender.address);
    await devnet.setValidatorsManager(devnet.protocol.depositDataRegistry.address);
    assert.equal(
      await readVault(devnet.vault.address, "validatorsManager"),
      devnet.protocol.depositDataRegistry.address,
    );
  });

  it("creates a version-1 vault beside it", async () => {
    const v1 = await devnet.createVault({ version: 1, keysManager: devnet.accounts.keysManager.address });
    assert.equal(v1.version, 1);
    assert.equal(await readVault(v1.address, "version"), 1);
    assert.notEqual(v1.address, devnet.vault.address);
  });

  it("has the EIP-7002 and EIP-7251 request contracts answering a fee of 1 wei", async () => {
    for (const [address, kind] of [
      [WITHDRAWAL_REQUESTS_ADDRESS, "withdrawal"],
      [CONSOLIDATION_REQUESTS_ADDRESS, "consolidation"],
    ] as const) {
      assert.equal(await readRequestFee({ client: devnet.clients.sender, address, kind }), 1n);
    }
  });

  it("writes the new contracts to network.json and devnet.json", async () => {
    const network = loadDevnetNetwork(join(dir, "network.json"));
    assert.equal(network.depositDataRegistry, devnet.protocol.depositDataRegistry.address);
    assert.equal(network.consolidationsChecker, devnet.protocol.consolidationsChecker.address);
    assert.equal(network.validatorsChecker, devnet.protocol.validatorsChecker.address);
    const description = await readDevnetFile(join(dir, "devnet.json"));
    assert.equal(description.vault.version, 5);
    assert.equal(description.contracts.depositDataRegistry, devnet.protocol.depositDataRegistry.address);
    assert.equal(description.contracts.consolidationsChecker, devnet.protocol.consolidationsChecker.address);
    assert.equal(description.contracts.validatorsWithdrawals, WITHDRAWAL_REQUESTS_ADDRESS);
    assert.equal(description.contracts.validatorsConsolidations, CONSOLIDATION_REQUESTS_ADDRESS);
    assert.match(await readFile(join(dir, "network.json"), "utf8"), /"validatorsChecker"/);
  });
});
