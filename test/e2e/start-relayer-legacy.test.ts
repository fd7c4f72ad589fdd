/**
 * `operator start --relayer-endpoint … --relayer-protocol legacy` on a version-5 devnet vault whose
 * validators manager is the DepositDataRegistry: the operator registers its own deposit data (made
 * for the distributed validators' keys of an Obol cluster of 4, threshold 3, as the Obol tooling
 * makes it), with no key of its own; the exit signatures' oracle shards come from an in-process
 * legacy relayer (SQLite, the devnet's oracle set, its own deposit scan for the validator index) and three
 * of the cluster's sidecars. The devnet oracles check the shards with their own code before they
 * approve, and reassemble each exit signature afterwards: it verifies under the Capella domain.
 */
import assert from "node:assert/strict";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { createPublicClient, http, parseEther, parseEventLogs } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { depositDataRegistryAbi } from "../../src/chain/abi/deposit-data-registry.ts";
import { vaultV5Abi } from "../../src/chain/abi/vault-v5.ts";
import { legacyValidatorIndex, openLegacyDepositsStore } from "../../src/commands/relayer/legacy-index.ts";
import { managerChain } from "../../src/dvt/relayer/manager-signature.ts";
import { obolShareSource } from "../../src/dvt/relayer/obol-cluster-lock.ts";
import { serializeDepositData } from "../../src/keys/deposit-data-file.ts";
import { buildDepositDatum } from "../../src/keys/deposit-datum.ts";
import { txValidator, ValidatorsTree } from "../../src/keys/validators-tree.ts";
import { vaultWithdrawalCredentials } from "../../src/keys/withdrawal-credentials.ts";
import { parseHex, toPrefixedHex } from "../../src/lib/hex.ts";
import type { StateStore } from "../../src/operator/state/state-store.ts";
import { runCli } from "../support/cli.ts";
import { writeObolCluster } from "../support/dvt-cluster.ts";
import {
  type FlowRelayer,
  flowSecretKeys,
  flowSidecar,
  independentExitRoot,
  nobleVerifies,
  obolNodeKeys,
  pollSidecars,
  startFlowRelayer,
} from "../support/dvt-flow.ts";
import { assertCleanError } from "../support/e2e.ts";
import { memoryLogger } from "../support/memory-logger.ts";
import { recipientsFor } from "../support/oracle-fixtures.ts";
import { type StartFixture, setupStart, startService, storedExitSignatures } from "./start-fixture.ts";

describe("start --relayer-protocol legacy on a version-5 vault with a deposit data root in the registry", {
  timeout: 120_000,
}, () => {
  let f: StartFixture;
  let relayer: FlowRelayer;
  let publicKeys: `0x${string}`[];
  let depositDataFile: string;
  let stopSidecars: (() => void) | undefined;
  let chain: NonNullable<Parameters<typeof startFlowRelayer>[0]["chain"]>;
  let depositsStore: StateStore | undefined;
  const legacyArgs = (endpoint: string) => [
    "--relayer-endpoint",
    endpoint,
    "--relayer-protocol",
    "legacy",
    "--deposit-data-file",
    depositDataFile,
  ];

  before(async () => {
    f = await setupStart({ keys: 1, devnet: { vaultVersion: 5, oracles: 3, threshold: 2 } });
    const network = f.devnet.network;
    const dir = join(f.dataDir, "obol");
    const secretKeys = flowSecretKeys([71, 72]);
    const obol = await writeObolCluster({ dir, secretKeys, size: 4, threshold: 3 });
    publicKeys = obol.validators.map((v) => v.publicKey);
    // The cluster's deposit data, as the Obol tooling makes it at the DKG: whole deposit signatures.
    const entries = secretKeys.map((secretKey) =>
      buildDepositDatum({
        secretKey,
        publicKey: secretKey.toPublicKey().toBytes(true),
        withdrawalCredentials: vaultWithdrawalCredentials(f.vault),
        amountGwei: 32_000_000_000,
        genesisForkVersion: parseHex(network.genesisForkVersion, 4) as Uint8Array,
        networkName: network.name,
      }),
    );
    depositDataFile = join(dir, "deposit_data.json");
    await writeFile(depositDataFile, serializeDepositData(entries));
    const tree = await ValidatorsTree.build(
      entries.map((e) =>
        txValidator(
          parseHex(e.pubkey, 48) as Uint8Array,
          parseHex(e.signature, 96) as Uint8Array,
          parseHex(e.deposit_data_root, 32) as Uint8Array,
        ),
      ),
    );
    // The registry manages the vault; its deposit-data manager (the admin) sets the cluster's root.
    const registry = f.devnet.protocol.depositDataRegistry.address;
    await f.devnet.setValidatorsManager(registry);
    const set = await f.devnet.clients.admin.writeContract({
      address: registry,
      abi: depositDataRegistryAbi,
      functionName: "setDepositDataRoot",
      args: [f.vault, toPrefixedHex(tree.root)],
    });
    await f.devnet.clients.admin.waitForTransactionReceipt({ hash: set });

    const publicClient = createPublicClient({ transport: http(f.devnet.executionUrl) });
    depositsStore = openLegacyDepositsStore({
      dataDir: f.dataDir,
      network,
      chain: {
        chainId: network.chainId,
        genesisHash: (await publicClient.getBlock({ blockNumber: 0n })).hash,
      },
    });
    chain = {
      // Unused by the legacy API (the operator signs nothing as manager here).
      manager: privateKeyToAccount(generatePrivateKey()),
      managerChain: managerChain(publicClient, network.chainId, network.depositContract.address),
      oracles: { recipients: recipientsFor(f.devnet.oracleKeys.map((k) => k.publicKey)), threshold: 2 },
    };
    relayer = await startFlowRelayer({
      protocol: "legacy",
      network,
      file: join(f.dataDir, "relayer.db"),
      source: obolShareSource(JSON.parse(await readFile(obol.clusterLockFile, "utf8")), {
        file: obol.clusterLockFile,
        threshold: 3,
      }),
      keys: [],
      // The legacy relayer's own index (spec A.4 legacy), as `operator relayer --protocol legacy` composes it.
      nextValidatorIndex: legacyValidatorIndex({
        client: publicClient,
        network,
        store: depositsStore,
        log: memoryLogger(),
      }),
      transcript: [],
      chain,
    });
    const keys = await obolNodeKeys(obol, [0, 1, 2]);
    stopSidecars = pollSidecars(keys.map((k) => flowSidecar(relayer.url, "legacy", k, network)));
  });
  after(async () => {
    stopSidecars?.();
    await relayer?.close();
    depositsStore?.close();
    await f?.stop();
  });

  it("registers the deposit data's two validators for 64 ETH, with the relayer's exit signatures", async () => {
    await f.devnet.depositToVault(parseEther("64"));
    const run = startService(f.startArgs(legacyArgs(relayer.url)), f.env());
    try {
      const chosen = await run.waitForLog((l) => l.msg === "vault flow chosen", { what: "the flow line" });
      assert.equal(chosen.flow, "deposit-data-registry");
      // The fixture's keystore is there, but this mode opens no key source: the keys are the deposit data's.
      assert.ok(
        run.lines.some((l) => /^Using DVT relayer .*legacy.* for 2 public keys$/.test(String(l.msg))),
        run.output(),
      );
      await run.waitForLog((l) => l.msg === "validators registered", {
        timeoutMs: 60_000,
        what: "the registration",
      });
      // The relayer learns the keys from the operator's first POST /validators: that round waits.
      const waited = run.lines.find((l) => l.msg === "waiting for the relayer");
      assert.match(String(waited?.reason), /have not signed the exits of 2 of 2 validators/, run.output());
      assert.ok(
        run.lines.some((l) => String(l.msg).startsWith("exit signature rotation is off")),
        run.output(),
      );
    } finally {
      const exit = await run.stop();
      assert.equal(exit.code, 0, run.output());
    }
    const logs = await f.devnet.clients.sender.getLogs({ address: f.vault, fromBlock: 0n });
    const registered = parseEventLogs({ abi: vaultV5Abi, logs })
      .filter((l) => l.eventName === "ValidatorRegistered")
      .map((l) => (l.args as { publicKey: string }).publicKey.toLowerCase());
    assert.deepEqual(registered, publicKeys);
    // The devnet oracles reassemble each exit signature from their shards (their own code): it verifies.
    for (const publicKey of publicKeys) {
      const { index, signatures } = await storedExitSignatures(f, publicKey);
      assert.ok(index >= 0, `${publicKey} on the beacon chain`);
      assert.equal(signatures.length, 1, `one stored exit signature for ${publicKey}`);
      assert.ok(
        nobleVerifies(publicKey, independentExitRoot(f.devnet.network, index), signatures[0] as Uint8Array),
        "the reassembled exit signature verifies under the Capella domain",
      );
    }
  });

  it("refuses a relayer of another network and a vault managed by the wallet: one line each", async () => {
    const other = await startFlowRelayer({
      protocol: "legacy",
      network: { ...f.devnet.network, name: "hoodi" },
      file: join(f.dataDir, "other-relayer.db"),
      source: undefined,
      keys: [],
      transcript: [],
      chain,
    });
    try {
      assertCleanError(
        await runCli(f.startArgs(legacyArgs(other.url)), { env: f.env(), timeoutMs: 60_000 }),
        /the relayer http:\/\/127\.0\.0\.1:\d+ serves hoodi but the vault is on devnet/,
      );
    } finally {
      await other.close();
    }
    await f.devnet.setValidatorsManager(f.wallet);
    assertCleanError(
      await runCli(f.startArgs(legacyArgs(relayer.url)), { env: f.env(), timeoutMs: 60_000 }),
      /validators manager is this wallet .* use --relayer-protocol v4/,
    );
  });
});
