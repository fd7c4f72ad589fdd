import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type Address, getAddress, type Hex } from "viem";
import { createFakeMulticall3, type FakeContract } from "../../test/support/fake-multicall3.ts";
import type { NetworkConfig } from "../config/networks.ts";
import { OperatorError, UserInputError } from "../lib/errors.ts";
import { depositContractAbi } from "./abi/deposit-contract.ts";
import { depositDataRegistryAbi } from "./abi/deposit-data-registry.ts";
import { keeperAbi } from "./abi/keeper.ts";
import { vaultAbi } from "./abi/vault.ts";
import { vaultV5Abi } from "./abi/vault-v5.ts";
import { createVaultStateReader } from "./vault-state-reader.ts";

const MULTICALL3: Address = "0xcA11bde05977b3631167028862bE2a173976CA11";
const KEEPER: Address = "0x6B5815467da09DaA7DC83Db21c9239d98Bb487b5";
const DEPOSIT: Address = "0x00000000219ab540356cBB839Cbe05303d7705Fa";
const REGISTRY: Address = "0x75AB6DdCe07556639333d3Df1eaa684F5735223e";
const VAULT: Address = getAddress("0x3320ad928c20187602a2b2c04eeaa813fa899468");
const WALLET: Address = "0x58A57ed9d8d624cBD12e2C467D34787555bB1b25";
const ESCROW: Address = "0x48319f97E5Da1233c21c48b80097c0FB7a20Ff86";
const DEPOSIT_ROOT: Hex = `0x${"d0".repeat(32)}`;
const FILE_ROOT: Hex = `0x${"f1".repeat(32)}`;

const network = {
  name: "mainnet",
  keeper: { address: KEEPER, genesisBlock: 0 },
  depositContract: { address: DEPOSIT, genesisBlock: 0 },
  depositDataRegistry: REGISTRY,
  multicall3: MULTICALL3,
} as unknown as NetworkConfig;

function chain(vault: FakeContract["answers"], options: { registry?: boolean } = {}) {
  const contracts: FakeContract[] = [
    { address: VAULT, abi: vaultV5Abi, answers: vault },
    { address: DEPOSIT, abi: depositContractAbi, answers: { get_deposit_root: () => DEPOSIT_ROOT } },
    { address: KEEPER, abi: keeperAbi, answers: { canHarvest: () => true, isHarvestRequired: () => false } },
  ];
  if (options.registry !== false) {
    contracts.push({
      address: REGISTRY,
      abi: depositDataRegistryAbi,
      answers: {
        depositDataRoots: ([v]) => (v === VAULT ? FILE_ROOT : `0x${"00".repeat(32)}`),
        depositDataIndexes: () => 7n,
      },
    });
  }
  return createFakeMulticall3({ multicall3: MULTICALL3, contracts, blockNumber: 1234n });
}

const v5Vault: FakeContract["answers"] = {
  version: () => 5,
  validatorsManager: () => WALLET,
  validatorsManagerNonce: () => 3n,
  withdrawableAssets: () => 100n * 10n ** 18n,
  mevEscrow: () => ESCROW,
};

describe("createVaultStateReader", () => {
  it("reads a version-5 vault, its registry record and the harvest flags in one eth_call", async () => {
    const fake = chain(v5Vault);
    const state = await createVaultStateReader({ client: fake.client, network }).read(VAULT);
    assert.equal(fake.ethCalls.length, 1);
    assert.deepEqual(state, {
      vault: VAULT,
      blockNumber: 1234n,
      version: 5,
      validatorsManager: WALLET,
      validatorsManagerNonce: 3n,
      withdrawableAssets: 100n * 10n ** 18n,
      mevEscrow: ESCROW,
      depositRoot: DEPOSIT_ROOT,
      canHarvest: true,
      isHarvestRequired: false,
      registry: { registry: REGISTRY, depositDataRoot: FILE_ROOT, depositDataIndex: 7 },
    });
  });

  it("reads at the block it is given", async () => {
    const fake = chain(v5Vault);
    await createVaultStateReader({ client: fake.client, network }).read(VAULT, { blockNumber: 77n });
    assert.equal(fake.ethCalls[0]?.block, "0x4d");
  });

  it("reads a version-2 vault: a manager, no nonce", async () => {
    const { validatorsManagerNonce: _, ...v2 } = v5Vault;
    const fake = chain({ ...v2, version: () => 2, validatorsManager: () => REGISTRY });
    const state = await createVaultStateReader({ client: fake.client, network }).read(VAULT);
    assert.equal(state.version, 2);
    assert.equal(state.validatorsManager, REGISTRY);
    assert.equal(state.validatorsManagerNonce, undefined);
  });

  it("reads a version-1 vault, which has neither", async () => {
    const fake = chain({ version: () => 1, withdrawableAssets: () => 5n, mevEscrow: () => ESCROW });
    const state = await createVaultStateReader({ client: fake.client, network }).read(VAULT);
    assert.equal(state.version, 1);
    assert.equal(state.validatorsManager, undefined);
    assert.equal(state.validatorsManagerNonce, undefined);
  });

  it("leaves the registry out on a network without one", async () => {
    const fake = chain(v5Vault, { registry: false });
    const { depositDataRegistry: _, ...bare } = network;
    const state = await createVaultStateReader({ client: fake.client, network: bare as NetworkConfig }).read(
      VAULT,
    );
    assert.equal(state.registry, undefined);
    assert.ok(!fake.innerCalls.some((c) => c.includes("depositData")));
  });

  it("says an address is not a vault, naming --vault", async () => {
    const fake = chain({});
    await assert.rejects(
      createVaultStateReader({ client: fake.client, network }).read(VAULT),
      (e: unknown) => e instanceof UserInputError && /does not answer version\(\).*--vault/.test(e.message),
    );
  });

  it("refuses a vault of version 2 or later without a validators manager", async () => {
    const { validatorsManager: _, ...broken } = v5Vault;
    const fake = chain(broken);
    await assert.rejects(
      createVaultStateReader({ client: fake.client, network }).read(VAULT),
      (e: unknown) =>
        e instanceof UserInputError && /version 5 but does not answer validatorsManager/.test(e.message),
    );
  });

  it("names the real cause when the network has no Multicall3", async () => {
    const fake = chain(v5Vault);
    const { multicall3: _, ...noMulticall } = network;
    await assert.rejects(
      createVaultStateReader({ client: fake.client, network: noMulticall as NetworkConfig }).read(VAULT),
      (e: unknown) =>
        e instanceof OperatorError &&
        !(e instanceof UserInputError) &&
        /no Multicall3 address/.test(e.message),
    );
  });

  it("blames the Keeper, not the vault, when the Keeper fails", async () => {
    const fake = createFakeMulticall3({
      multicall3: MULTICALL3,
      contracts: [
        { address: VAULT, abi: vaultV5Abi, answers: v5Vault },
        { address: DEPOSIT, abi: depositContractAbi, answers: { get_deposit_root: () => DEPOSIT_ROOT } },
        { address: KEEPER, abi: keeperAbi, answers: {} },
        {
          address: REGISTRY,
          abi: depositDataRegistryAbi,
          answers: { depositDataRoots: () => FILE_ROOT, depositDataIndexes: () => 0n },
        },
      ],
    });
    await assert.rejects(
      createVaultStateReader({ client: fake.client, network }).read(VAULT),
      (e: unknown) =>
        e instanceof OperatorError &&
        !(e instanceof UserInputError) &&
        /the Keeper at .* canHarvest/.test(e.message),
    );
  });

  it("reads a first-generation vault's ABI too (the version call is the same)", () => {
    const v1 = vaultAbi.find((i) => i.type === "function" && i.name === "version");
    const v5 = vaultV5Abi.find((i) => i.type === "function" && i.name === "version");
    assert.deepEqual(v1, v5);
  });
});
