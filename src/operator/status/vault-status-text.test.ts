import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { VaultStatus } from "./vault-status.ts";
import { vaultStatusLines } from "./vault-status-text.ts";

const STATUS: VaultStatus = {
  vault: "0x3320ad928c20187602a2b2c04eeaa813fa899468",
  network: "hoodi",
  version: 5,
  flow: { kind: "validators-manager", name: "validators manager is the wallet" },
  slot: 100,
  block: 90,
  validators: { registered: 3, byState: { active_ongoing: 2, deposited: 1 }, error: null },
  unusedKeys: 7,
  assets: { stakeableWei: "31000000000000000000", validatorNeedsWei: "32000000000000000000", token: "ETH" },
  oracles: {
    total: 3,
    reachable: 2,
    minOracles: 2,
    unreachable: [{ oracle: "0x1111111111111111111111111111111111111111", reason: "refused the connection" }],
    error: null,
  },
  wallet: {
    address: "0x58A57ed9d8d624cBD12e2C467D34787555bB1b25",
    balanceWei: "5000000000000000",
    minBalanceWei: "10000000000000000",
    low: true,
    maxFeePerGasWei: "2000000000",
    nextRegistrationCostWei: "300000000000000",
    registrationsAffordable: 16,
    token: "ETH",
  },
  state: { file: "/data/operator.db", note: null, transactions: 4, open: 0, last: null },
  service: {
    health: "http://127.0.0.1:9100/health",
    running: true,
    healthy: true,
    lastSlot: 99,
    tasks: { registration: { state: "waiting", waitingFor: "funds", reason: "send funds" } },
    error: null,
  },
  next: { state: "waiting", waitingFor: "assets", reason: "the vault has 31 ETH", validators: [] },
};

describe("vaultStatusLines", () => {
  it("says each fact on its line, with the fix where there is one", () => {
    assert.deepEqual(vaultStatusLines(STATUS), [
      "Vault 0x3320ad928c20187602a2b2c04eeaa813fa899468 on hoodi: version 5, validators manager is the wallet",
      "Head: slot 100, block 90",
      "Validators: 3 registered (2 active_ongoing, 1 deposited)",
      "Unused keys: 7",
      "Assets waiting: 31 ETH stakeable; a new validator needs 32 ETH",
      "Oracles: 2 of 3 reachable (2 needed)",
      "  unreachable 0x1111111111111111111111111111111111111111: refused the connection",
      "Hot wallet 0x58A57ed9d8d624cBD12e2C467D34787555bB1b25: 0.005 ETH (below 0.01 ETH: top it up)",
      "  runway: about 16 registrations at 2 gwei (each at least 0.0003 ETH)",
      "State /data/operator.db: 4 transactions, 0 open",
      "  last transaction: none",
      "Service: running, healthy, last round at slot 99 (http://127.0.0.1:9100/health)",
      "  registration: waiting for hot wallet funds (send funds)",
      "Next round: waits for assets: the vault has 31 ETH",
    ]);
  });
});
