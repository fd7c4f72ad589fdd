import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { UserInputError } from "../../lib/errors.ts";
import { refuseInapplicableOptions } from "./external-flags.ts";

describe("refuseInapplicableOptions", () => {
  it("refuses a local-devnet flag with --rpc-url, naming it and where to set it instead", () => {
    assert.throws(
      () =>
        refuseInapplicableOptions(
          [
            { key: "rpcUrl", flag: "--rpc-url" },
            { key: "oracles", flag: "--oracles" },
          ],
          true,
        ),
      (e: unknown) =>
        e instanceof UserInputError &&
        e.message ===
          "--oracles does not apply with --rpc-url: the oracles are the keys in --contracts (oraclePrivateKeys)",
    );
  });

  it("refuses --dvt and its companions with --rpc-url", () => {
    assert.throws(
      () => refuseInapplicableOptions([{ key: "dvtThreshold", flag: "--dvt-threshold" }], true),
      /^UserInputError: --dvt-threshold does not apply with --rpc-url: the DVT cluster is made on the local devnet only$/,
    );
  });

  it("names the env var a value came from", () => {
    assert.throws(
      () =>
        refuseInapplicableOptions(
          [{ key: "blockTime", flag: "--block-time", env: "DEVNET_BLOCK_TIME" }],
          true,
        ),
      /^UserInputError: --block-time \(from DEVNET_BLOCK_TIME\) does not apply with --rpc-url/,
    );
  });

  it("refuses --no-publish-config without --rpc-url, and lets the rest through", () => {
    assert.throws(
      () => refuseInapplicableOptions([{ key: "publishConfig", flag: "--no-publish-config" }], false),
      /--no-publish-config does not apply without --rpc-url/,
    );
    refuseInapplicableOptions([{ key: "publishConfig", flag: "--no-publish-config" }], true);
    refuseInapplicableOptions(
      [
        { key: "oracles", flag: "--oracles" },
        { key: "dataDir", flag: "--data-dir" },
      ],
      false,
    );
  });
});
