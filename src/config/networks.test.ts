import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { isAddress } from "viem";
import { UserInputError } from "../lib/errors.ts";
import { NETWORK_NAMES, PUBLIC_NETWORKS } from "./network-names.ts";
import {
  type DevnetFile,
  EIP7002_WITHDRAWAL_REQUESTS,
  EIP7251_CONSOLIDATION_REQUESTS,
  isNetworkName,
  loadDevnetNetwork,
  type NetworkConfig,
  publicNetworkByForkVersion,
  resolveNetwork,
  VALIDATOR_DEPOSIT_GWEI,
} from "./networks.ts";

const NO_DEVNET = { devnetFile: "/nonexistent/devnet/network.json" };

function addressesOf(network: NetworkConfig): string[] {
  const optional = [
    network.depositDataRegistry,
    network.sharedMevEscrow,
    network.genesisVault,
    network.multicall3,
    network.withdrawalRequests,
    network.consolidationRequests,
    network.consolidationsChecker,
    network.validatorsChecker,
  ];
  return [
    network.keeper.address,
    network.depositContract.address,
    ...optional.filter((a) => a !== undefined),
  ];
}

function assertUserError(fn: () => unknown, ...fragments: string[]): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof UserInputError, `expected a UserInputError, got ${String(error)}`);
    for (const fragment of fragments)
      assert.ok(error.message.includes(fragment), `"${error.message}" lacks "${fragment}"`);
    return true;
  });
}

describe("resolveNetwork: public networks", () => {
  const expected = [
    { name: "mainnet", chainId: 1, label: "32 ETH", fork: "0x00000000" },
    { name: "hoodi", chainId: 560048, label: "32 ETH", fork: "0x10000910" },
    { name: "holesky", chainId: 17000, label: "32 ETH", fork: "0x01017000" },
    { name: "gnosis", chainId: 100, label: "1 GNO", fork: "0x00000064" },
    { name: "chiado", chainId: 10200, label: "1 GNO", fork: "0x0000006f" },
  ] as const;

  for (const { name, chainId, label, fork } of expected) {
    it(`${name}: chain id ${chainId}, ${label}, checksummed addresses`, () => {
      const network = resolveNetwork(name, NO_DEVNET);
      assert.equal(network.name, name);
      assert.equal(network.chainId, chainId);
      assert.equal(network.validatorDepositLabel, label);
      assert.equal(network.genesisForkVersion, fork);
      assert.equal(network.validatorDepositGwei, VALIDATOR_DEPOSIT_GWEI);
      assert.match(network.capellaForkVersion, /^0x[0-9a-f]{8}$/);
      assert.match(network.genesisValidatorsRoot, /^0x[0-9a-f]{64}$/);
      for (const address of addressesOf(network)) {
        assert.ok(isAddress(address, { strict: true }), `${name}: ${address} is not a checksummed address`);
      }
      assert.ok(network.slotsPerEpoch > 0);
      assert.ok(network.secondsPerSlot > 0);
      assert.ok(network.walletMinBalanceWei > 0n);
    });
  }

  it("has the Pectra request contracts, the v4 checkers and the DepositDataRegistry of spec §8", () => {
    // Spec §8 and v3-core v4.0.1 deployments/<network>.json ("DepositDataRegistry", "ConsolidationsChecker", "ValidatorsChecker").
    const expected = {
      mainnet: "0x75AB6DdCe07556639333d3Df1eaa684F5735223e",
      hoodi: "0x93a3f880E07B27dacA6Ef2d3C23E77DBd6294487",
      gnosis: "0x58e16621B5c0786D6667D2d54E28A20940269E16",
      chiado: "0xFAce8504462AEb9BB6ae7Ecb206BD7B1EdF7956D",
      holesky: "0xAC0F906E433d58FA868F936E8A43230473652885",
    } as const;
    for (const name of PUBLIC_NETWORKS) {
      const network = resolveNetwork(name, NO_DEVNET);
      assert.equal(network.depositDataRegistry, expected[name], name);
      assert.equal(network.withdrawalRequests, "0x00000961Ef480Eb55e80D19ad83579A64c007002", name);
      assert.equal(network.consolidationRequests, "0x0000BBdDc7CE488642fb579F8B00f3a590007251", name);
      if (name !== "holesky") {
        assert.equal(network.consolidationsChecker, "0x033E5BaE5bdc459CBb7d388b41a9d62020Be810F", name);
        assert.equal(network.validatorsChecker, "0xA89629B41477560d49dd56ef1a59BD214362aCDC", name);
      }
    }
  });

  it("knows SSV on mainnet only (ssv-network's deployment files)", () => {
    assert.equal(resolveNetwork("mainnet", NO_DEVNET).ssv?.deployBlock, 17507487);
    for (const name of PUBLIC_NETWORKS.filter((n) => n !== "mainnet")) {
      assert.equal(resolveNetwork(name, NO_DEVNET).ssv, undefined);
    }
  });

  it("covers every public network", () => {
    assert.deepEqual(
      [...PUBLIC_NETWORKS],
      expected.map((e) => e.name),
    );
  });

  it("has distinct chain ids and fork versions", () => {
    const networks = PUBLIC_NETWORKS.map((n) => resolveNetwork(n, NO_DEVNET));
    assert.equal(new Set(networks.map((n) => n.chainId)).size, networks.length);
    assert.equal(new Set(networks.map((n) => n.genesisForkVersion)).size, networks.length);
  });

  it("rejects an unknown network, listing the valid names", () => {
    assertUserError(() => resolveNetwork("goerli", NO_DEVNET), '"goerli"', ...NETWORK_NAMES);
    assertUserError(() => resolveNetwork("Mainnet", NO_DEVNET), '"Mainnet"', "mainnet");
    assertUserError(() => resolveNetwork("", NO_DEVNET), "mainnet, hoodi, holesky, gnosis, chiado, devnet");
  });
});

describe("isNetworkName", () => {
  it("knows the public networks and devnet", () => {
    for (const name of NETWORK_NAMES) assert.equal(isNetworkName(name), true);
    assert.equal(isNetworkName("sepolia"), false);
    assert.equal(isNetworkName("toString"), false);
  });
});

describe("publicNetworkByForkVersion", () => {
  it("finds a network with or without 0x, in any case", () => {
    assert.equal(publicNetworkByForkVersion("0x00000000")?.name, "mainnet");
    assert.equal(publicNetworkByForkVersion("10000910")?.name, "hoodi");
    assert.equal(publicNetworkByForkVersion("0x01017000")?.name, "holesky");
    assert.equal(publicNetworkByForkVersion("0x00000064")?.name, "gnosis");
    assert.equal(publicNetworkByForkVersion("0x0000006F")?.name, "chiado");
  });

  it("returns undefined for an unknown fork version", () => {
    assert.equal(publicNetworkByForkVersion("0x12345678"), undefined);
    assert.equal(publicNetworkByForkVersion("0x03000000"), undefined);
  });
});

describe("devnet network file", () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "networks-test-"));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const minimal: DevnetFile = {
    chainId: 1337,
    genesisForkVersion: "0x10000038",
    capellaForkVersion: "0x40000038",
    genesisValidatorsRoot: `0x${"ab".repeat(32)}`,
    slotsPerEpoch: 32,
    secondsPerSlot: 6,
    keeper: { address: "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", genesisBlock: 5 },
    depositContract: { address: "0x4242424242424242424242424242424242424242", genesisBlock: 0 },
  };

  let counter = 0;
  async function writeDevnet(content: unknown): Promise<string> {
    const file = join(dir, `network-${counter++}.json`);
    await writeFile(file, typeof content === "string" ? content : JSON.stringify(content));
    return file;
  }

  it("reads a minimal file and fills in the defaults", async () => {
    const file = await writeDevnet(minimal);
    const network = resolveNetwork("devnet", { devnetFile: file });
    assert.equal(network.name, "devnet");
    assert.equal(network.chainId, 1337);
    assert.equal(network.genesisForkVersion, "0x10000038");
    assert.equal(network.capellaForkVersion, "0x40000038");
    assert.equal(network.capellaEpoch, 0);
    assert.equal(network.genesisValidatorsRoot, `0x${"ab".repeat(32)}`);
    assert.equal(network.slotsPerEpoch, 32);
    assert.equal(network.secondsPerSlot, 6);
    assert.equal(network.validatorDepositGwei, VALIDATOR_DEPOSIT_GWEI);
    assert.equal(network.validatorDepositLabel, "32 ETH");
    assert.equal(network.gasToken, "ETH");
    assert.deepEqual(network.keeper, minimal.keeper);
    assert.deepEqual(network.depositContract, minimal.depositContract);
    assert.equal(network.maxFeePerGasGwei, 100);
    assert.equal(network.walletMinBalanceWei, 10_000_000_000_000_000n);
    assert.equal(network.depositDataRegistry, undefined);
    assert.equal("multicall3" in network, false);
    assert.equal(network.withdrawalRequests, EIP7002_WITHDRAWAL_REQUESTS);
    assert.equal(network.consolidationRequests, EIP7251_CONSOLIDATION_REQUESTS);
    assert.equal("consolidationsChecker" in network, false);
    assert.ok(Object.isFrozen(network));
  });

  it("reads every optional field", async () => {
    const file = await writeDevnet({
      ...minimal,
      capellaEpoch: 10,
      validatorDepositGwei: 1_000_000_000,
      validatorDepositLabel: "1 GNO",
      gasToken: "xDAI",
      depositDataRegistry: "0x93a3f880E07B27dacA6Ef2d3C23E77DBd6294487",
      sharedMevEscrow: "0x51FD45BAEfB12f54766B5C4d639b360Ea50063bd",
      genesisVault: "0xba447498DC4c169f2b4f427B2c4D532320457E89",
      multicall3: "0xcA11bde05977b3631167028862bE2a173976CA11",
      withdrawalRequests: "0x1111111111111111111111111111111111111111",
      consolidationRequests: "0x2222222222222222222222222222222222222222",
      consolidationsChecker: "0x3333333333333333333333333333333333333333",
      validatorsChecker: "0x4444444444444444444444444444444444444444",
      configUpdateEventBlock: 0,
      maxFeePerGasGwei: 2.5,
      walletMinBalanceWei: "123456789012345678901",
    });
    const network = loadDevnetNetwork(file);
    assert.equal(network.capellaEpoch, 10);
    assert.equal(network.validatorDepositGwei, 1_000_000_000);
    assert.equal(network.validatorDepositLabel, "1 GNO");
    assert.equal(network.gasToken, "xDAI");
    assert.equal(network.depositDataRegistry, "0x93a3f880E07B27dacA6Ef2d3C23E77DBd6294487");
    assert.equal(network.sharedMevEscrow, "0x51FD45BAEfB12f54766B5C4d639b360Ea50063bd");
    assert.equal(network.genesisVault, "0xba447498DC4c169f2b4f427B2c4D532320457E89");
    assert.equal(network.multicall3, "0xcA11bde05977b3631167028862bE2a173976CA11");
    assert.equal(network.withdrawalRequests, "0x1111111111111111111111111111111111111111");
    assert.equal(network.consolidationRequests, "0x2222222222222222222222222222222222222222");
    assert.equal(network.consolidationsChecker, "0x3333333333333333333333333333333333333333");
    assert.equal(network.validatorsChecker, "0x4444444444444444444444444444444444444444");
    assert.equal(network.configUpdateEventBlock, 0);
    assert.equal(network.maxFeePerGasGwei, 2.5);
    assert.equal(network.walletMinBalanceWei, 123456789012345678901n);
  });

  it("reads the nested ssv object; without it the network has no SSV", async () => {
    const ssv = {
      network: "0x1111111111111111111111111111111111111111",
      views: "0x2222222222222222222222222222222222222222",
      deployBlock: 7,
      apiUrl: "http://127.0.0.1:4000",
    };
    const network = loadDevnetNetwork(await writeDevnet({ ...minimal, ssv }));
    assert.deepEqual(network.ssv, { ...ssv, apiNetwork: "devnet" });
    assert.equal(loadDevnetNetwork(await writeDevnet(minimal)).ssv, undefined);
    const bad = await writeDevnet({ ...minimal, ssv: { ...ssv, views: "0x12" } });
    assertUserError(() => loadDevnetNetwork(bad), bad, '"ssv.views"');
  });

  it("accepts walletMinBalanceWei as a number", async () => {
    const file = await writeDevnet({ ...minimal, walletMinBalanceWei: 5 });
    assert.equal(loadDevnetNetwork(file).walletMinBalanceWei, 5n);
  });

  it("rejects a missing file, naming it and how to make one", () => {
    const file = join(dir, "missing.json");
    assertUserError(() => resolveNetwork("devnet", { devnetFile: file }), file, "operator devnet");
  });

  it("rejects a file that is not JSON, naming it", async () => {
    const file = await writeDevnet("{ not json");
    assertUserError(() => loadDevnetNetwork(file), file, "not valid JSON");
  });

  it("rejects a file that is not an object", async () => {
    const file = await writeDevnet("[]");
    assertUserError(() => loadDevnetNetwork(file), file, "(root)");
  });

  it("rejects a missing field, naming the file and the field", async () => {
    const { chainId: _chainId, ...withoutChainId } = minimal;
    const file = await writeDevnet(withoutChainId);
    assertUserError(() => loadDevnetNetwork(file), file, '"chainId"');
  });

  it("rejects bad hex, naming the file and the field", async () => {
    const file = await writeDevnet({ ...minimal, genesisForkVersion: "0x1000003" });
    assertUserError(() => loadDevnetNetwork(file), file, '"genesisForkVersion"', "4 bytes");
    const file2 = await writeDevnet({ ...minimal, genesisValidatorsRoot: `0x${"zz".repeat(32)}` });
    assertUserError(() => loadDevnetNetwork(file2), file2, '"genesisValidatorsRoot"');
  });

  it("rejects a bad nested address, naming its path", async () => {
    const file = await writeDevnet({ ...minimal, keeper: { address: "0x1234", genesisBlock: 0 } });
    assertUserError(() => loadDevnetNetwork(file), file, '"keeper.address"', "20 bytes");
  });

  it("rejects a bad optional address and a negative number", async () => {
    const file = await writeDevnet({ ...minimal, multicall3: "not an address" });
    assertUserError(() => loadDevnetNetwork(file), file, '"multicall3"');
    const file2 = await writeDevnet({
      ...minimal,
      depositContract: { ...minimal.depositContract, genesisBlock: -1 },
    });
    assertUserError(() => loadDevnetNetwork(file2), file2, '"depositContract.genesisBlock"');
  });

  it("rejects a non-numeric walletMinBalanceWei string", async () => {
    const file = await writeDevnet({ ...minimal, walletMinBalanceWei: "1e18" });
    assertUserError(() => loadDevnetNetwork(file), file, '"walletMinBalanceWei"');
  });
});
