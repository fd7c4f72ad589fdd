import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { VaultState } from "../../chain/vault-state-reader.ts";
import { resolveNetwork } from "../../config/networks.ts";
import { UserInputError } from "../../lib/errors.ts";
import type { Logger } from "../../lib/logger.ts";
import type { OperatorRelayerClient, RelayerInfo } from "../relayer/relayer-client.ts";
import { parseV5Settings } from "../v5-settings.ts";
import { openRelayerFlow } from "./open-relayer-flow.ts";

const VAULT = "0x3320ad928c20187602a2b2c04eeaa813fa899468";
const MANAGER = "0x1111111111111111111111111111111111111111";
const OTHER = "0x2222222222222222222222222222222222222222";
const silent = { info: () => {}, warn: () => {}, debug: () => {}, error: () => {} } as unknown as Logger;

function open(info: RelayerInfo, state: Partial<VaultState> = {}) {
  const relayer: OperatorRelayerClient = {
    endpoint: "http://relayer.test",
    info: async () => info,
    register: async () => assert.fail("no registration at startup"),
    managerSignature: async () => assert.fail("no manager signature at startup"),
  };
  return openRelayerFlow({
    state: { version: 5, validatorsManager: MANAGER, ...state } as VaultState,
    vault: VAULT,
    network: resolveNetwork("hoodi", { devnetFile: "/nonexistent" }),
    settings: parseV5Settings({}, {}),
    relayer,
    registryRoot: async () => `0x${"11".repeat(32)}`,
    oracleTimeoutMs: 1000,
    log: silent,
  });
}

describe("openRelayerFlow (start --relayer-endpoint startup checks)", () => {
  it("opens the relayer flow when the network and the manager match, or the relayer names none", async () => {
    assert.match((await open({ network: "hoodi", validatorsManager: MANAGER })).name, /DVT relayer/);
    assert.match((await open({ network: "hoodi", validatorsManager: undefined })).name, /0x02 validators/);
  });

  it("refuses another network, another manager, and a vault without a manager, in one line each", async () => {
    await assert.rejects(
      open({ network: "mainnet", validatorsManager: MANAGER }),
      (error) =>
        error instanceof UserInputError && /serves mainnet but the vault is on hoodi/.test(error.message),
    );
    await assert.rejects(
      open({ network: "hoodi", validatorsManager: OTHER }),
      (error) =>
        error instanceof UserInputError &&
        error.message.includes(
          `signs as validators manager ${OTHER} but the vault's validators manager is ${MANAGER}`,
        ),
    );
    await assert.rejects(
      open({ network: "hoodi", validatorsManager: MANAGER }, { version: 1, validatorsManager: undefined }),
      (error) => error instanceof UserInputError && /has no validators manager/.test(error.message),
    );
  });
});
