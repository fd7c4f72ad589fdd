import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Hex } from "viem";
import type { ValidatorStatus } from "../chain/consensus-dto.ts";
import { classifyVaultKeys } from "./vault-keys.ts";

const key = (n: number): Hex => `0x${n.toString(16).padStart(96, "0")}`;

describe("classifyVaultKeys", () => {
  it("puts every key in one class, the next ones in start's order", () => {
    const keys = [1, 2, 3, 4, 5, 6, 7, 8].map(key);
    const classes = classifyVaultKeys({
      ordered: keys,
      registeredOnVault: new Set([key(1), key(2), key(3), key(4)]),
      onSsv: new Set([key(1), key(2)]),
      beaconStatus: new Map<string, ValidatorStatus>([
        [key(1), "active_ongoing"],
        [key(2), "exited_unslashed"],
        [key(3), "pending_queued"],
        [key(4), "withdrawal_done"],
      ]),
      prepareKeys: 2,
    }).map((k) => k.class);
    assert.deepEqual(classes, ["on-ssv", "exited-on-ssv", "due", "exited", "next", "next", "later", "later"]);
  });

  it("counts a key the vault registered but the beacon chain does not know yet as due", () => {
    const [k] = classifyVaultKeys({
      ordered: [key(9)],
      registeredOnVault: new Set([key(9)]),
      onSsv: new Set(),
      beaconStatus: new Map(),
      prepareKeys: 0,
    });
    assert.equal(k?.class, "due");
  });

  it("counts unused keys already on SSV among the --prepare-keys next ones", () => {
    const classes = classifyVaultKeys({
      ordered: [1, 2, 3].map(key),
      registeredOnVault: new Set(),
      onSsv: new Set([key(1), key(2)]),
      beaconStatus: new Map(),
      prepareKeys: 2,
    }).map((k) => k.class);
    assert.deepEqual(classes, ["on-ssv", "on-ssv", "later"]);
  });
});
