import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DEFAULT_IPFS_GATEWAYS, type NetworkConfig, resolveNetwork } from "../config/networks.ts";
import { UserInputError } from "../lib/errors.ts";
import { ipfsGatewaysFor, parseIpfsGatewaysEnv } from "./ipfs-gateways.ts";

const mainnet = resolveNetwork("mainnet", { devnetFile: "/nonexistent" });
const devnet: NetworkConfig = { ...mainnet, name: "devnet", ipfsGateways: ["http://127.0.0.1:5001"] };

describe("ipfsGatewaysFor", () => {
  it("reads a public network's files from the public gateways", () => {
    assert.deepEqual(ipfsGatewaysFor(mainnet), DEFAULT_IPFS_GATEWAYS);
  });

  it("reads a devnet's files from the gateway its network file names", () => {
    assert.deepEqual(ipfsGatewaysFor(devnet), ["http://127.0.0.1:5001"]);
  });

  it("lets IPFS_FETCH_ENDPOINTS override both, in its order", () => {
    const override = parseIpfsGatewaysEnv({
      IPFS_FETCH_ENDPOINTS: " https://a.example ,https://b.example/ipfs-prefix,",
    });
    assert.deepEqual(ipfsGatewaysFor(devnet, override), [
      "https://a.example",
      "https://b.example/ipfs-prefix",
    ]);
    assert.equal(parseIpfsGatewaysEnv({ IPFS_FETCH_ENDPOINTS: " " }), undefined);
    assert.equal(parseIpfsGatewaysEnv({}), undefined);
  });

  it("refuses an override that is not a list of http(s) URLs, naming the env var", () => {
    assert.throws(
      () => parseIpfsGatewaysEnv({ IPFS_FETCH_ENDPOINTS: "ftp://x.example" }),
      (error: unknown) => error instanceof UserInputError && /IPFS_FETCH_ENDPOINTS/.test(error.message),
    );
  });
});
