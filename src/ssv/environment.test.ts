import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { resolveNetwork } from "../config/networks.ts";
import { UserInputError } from "../lib/errors.ts";
import { refuseForeignKeySource, resolveSsvConfig, SsvNotConfiguredError } from "./environment.ts";

const NO_DEVNET = { devnetFile: "/nonexistent/network.json" };
const A = "0x1111111111111111111111111111111111111111";
const B = "0x2222222222222222222222222222222222222222";

describe("resolveSsvConfig", () => {
  it("takes the network's contracts, API and deploy block", () => {
    const ssv = resolveSsvConfig(resolveNetwork("mainnet", NO_DEVNET));
    assert.equal(ssv.network, "0xDD9BC35aE942eF0cFa76930954a156B3fF30a4E1");
    assert.equal(ssv.deployBlock, 17507487);
    assert.equal(ssv.apiUrl, "https://api.ssv.network");
    assert.equal(ssv.apiNetwork, "mainnet");
  });

  it("lets the flags override; other contracts are scanned from genesis", () => {
    const mainnet = resolveNetwork("mainnet", NO_DEVNET);
    const ssv = resolveSsvConfig(mainnet, { network: A, views: B, apiUrl: "http://127.0.0.1:1" });
    assert.deepEqual([ssv.network, ssv.views, ssv.deployBlock, ssv.apiUrl], [A, B, 0, "http://127.0.0.1:1"]);
    assert.equal(resolveSsvConfig(mainnet, { apiUrl: "http://x" }).deployBlock, 17507487);
  });

  it("refuses a network without SSV in one line naming the flags", () => {
    assert.throws(
      () => resolveSsvConfig(resolveNetwork("hoodi", NO_DEVNET)),
      (error: unknown) =>
        error instanceof SsvNotConfiguredError &&
        /network hoodi has no SSV contracts.*--ssv-network-address and --ssv-views-address/.test(
          error.message,
        ),
    );
    const ssv = resolveSsvConfig(resolveNetwork("hoodi", NO_DEVNET), { network: A, views: B });
    assert.equal(ssv.apiNetwork, "hoodi");
    assert.equal(ssv.apiUrl, undefined);
  });
});

describe("refuseForeignKeySource", () => {
  it("refuses a remote signer and HashiCorp Vault, saying why", () => {
    refuseForeignKeySource(undefined);
    assert.throws(
      () => refuseForeignKeySource("remote-signer"),
      (e: unknown) =>
        e instanceof UserInputError && /needs the whole key.*--remote-signer-url/.test((e as Error).message),
    );
    assert.throws(() => refuseForeignKeySource("hashi-vault"), /HashiCorp Vault does not hand out/);
  });
});
