import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { UserInputError } from "../../lib/errors.ts";
import { checkDvtOptions } from "./dvt-options.ts";

const host = { ssvOperators: 8, vaultVersion: 5 };

function refuses(run: () => unknown, message: RegExp) {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof UserInputError, String(error));
    assert.match(error.message, message);
    assert.ok(!error.message.includes("\n"), "one line");
    return true;
  });
}

describe("checkDvtOptions", () => {
  it("defaults to 3 validators on a cluster of 4 with threshold 3, today's protocol", () => {
    assert.deepEqual(checkDvtOptions({ cluster: "obol" }, host), {
      cluster: "obol",
      validators: 3,
      size: 4,
      threshold: 3,
      protocol: "v4",
    });
    assert.equal(checkDvtOptions({ cluster: "ssv", size: 7 }, host).threshold, 5);
    assert.equal(checkDvtOptions({ cluster: "obol", size: 6, threshold: 1 }, host).threshold, 1);
  });

  it("refuses a threshold outside 1..n", () => {
    refuses(
      () => checkDvtOptions({ cluster: "obol", threshold: 5 }, host),
      /--dvt-threshold 5 .* 1 to --cluster-size 4/,
    );
    refuses(() => checkDvtOptions({ cluster: "obol", threshold: 0 }, host), /--dvt-threshold 0/);
  });

  it("SSV: a size of 4, 7, 10 or 13, its own threshold, and enough devnet operators", () => {
    refuses(() => checkDvtOptions({ cluster: "ssv", size: 5 }, host), /--cluster-size 5: .*4, 7, 10, 13/);
    refuses(() => checkDvtOptions({ cluster: "ssv", threshold: 2 }, host), /signs with 3 operators/);
    refuses(
      () => checkDvtOptions({ cluster: "ssv" }, { ...host, ssvOperators: 0 }),
      /--dvt ssv .* needs 4 SSV operators on the devnet, it has 0: add --ssv-operators 4/,
    );
    refuses(
      () => checkDvtOptions({ cluster: "ssv", size: 7 }, { ...host, ssvOperators: 6 }),
      /add --ssv-operators 7/,
    );
  });

  it("today's protocol needs a version-5 vault; legacy does not", () => {
    refuses(
      () => checkDvtOptions({ cluster: "obol" }, { ...host, vaultVersion: 1 }),
      /--dvt-protocol v4 needs a version-5 vault/,
    );
    assert.equal(
      checkDvtOptions({ cluster: "obol", protocol: "legacy" }, { ...host, vaultVersion: 1 }).protocol,
      "legacy",
    );
  });
});
