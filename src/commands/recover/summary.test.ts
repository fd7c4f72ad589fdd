import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { FoundKey } from "../../operator/recover/find-keys.ts";
import { recoverySummary } from "./summary.ts";

const key = (index: number, exited = false): FoundKey => ({ index, publicKey: `0x${index}`, exited });
const base = { vault: "0xVAULT", keystoresDir: "/d/v/keystores", configFile: "/d/v/config.json" };

describe("recoverySummary", () => {
  it("counts what was found, written and skipped", () => {
    assert.deepEqual(
      recoverySummary({ ...base, registered: 5, keys: [key(0), key(1), key(2, true), key(5)], nextIndex: 6 }),
      [
        "Of the vault's 5 registered validators, 4 derive from this mnemonic (keys 0-2, 5); 1 belong to another mnemonic.",
        "Keystores written: 3; skipped: 1 (key 2: exited or withdrawn, so no keystore is needed).",
        "Keystores for vault 0xVAULT recovered to /d/v/keystores (mnemonic_next_index 6 in /d/v/config.json).",
      ],
    );
  });

  it("says plainly when no keystore was written and what that means", () => {
    const lines = recoverySummary({ ...base, registered: 1, keys: [key(0, true)], nextIndex: 1 });
    assert.equal(
      lines[1],
      "Keystores written: 0; skipped: 1 (key 0: exited or withdrawn, so no keystore is needed).",
    );
    assert.match(
      lines[2] ?? "",
      /^No keystore was written: every validator of this mnemonic in vault 0xVAULT has exited/,
    );
    assert.match(lines[2] ?? "", /Only \/d\/v\/config\.json was written \(mnemonic_next_index 1\)/);
    assert.ok(!lines.join("\n").includes("recovered to"));
  });
});
