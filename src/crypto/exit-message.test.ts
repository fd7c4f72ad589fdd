import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { PublicKey, SecretKey, verify } from "@chainsafe/blst";
import { toPrefixedHex } from "../lib/hex.ts";
import { type ExitNetwork, exitDomain, exitSigningRoot, signExit } from "./exit-message.ts";
import { computeSigningRoot } from "./signing.ts";
import { VoluntaryExit } from "./ssz-types.ts";

// Spec §8 constants and Appendix A ("exit_mainnet_index123_key0", "exit_hoodi_index123_key0"):
// key 0 of the "legal winner …" mnemonic, validator index 123.
const MAINNET: ExitNetwork = {
  capellaForkVersion: "0x03000000",
  capellaEpoch: 194048,
  genesisValidatorsRoot: "0x4b363db94e286120d76eb905340fdd4e54bfe9f06bf33ff6cf5ad27f511bfe95",
};
const HOODI: ExitNetwork = {
  capellaForkVersion: "0x40000910",
  capellaEpoch: 0,
  genesisValidatorsRoot: "0x212f13fc4df078b6cb7db228f1c8307566dcecf900867401a92023d7ba99cb5f",
};
const KEY0 = SecretKey.fromHex("0x40a080d6866a4bfa7e97dbc324dbb97550d66629488a40dc6c909ac7de702261");
const PUBKEY0 =
  "0x90d317fa6a570715d34556f27f5b390a9c6b3deab4ef0092b45214e553f2302724d22324eeae418ba8b358cb108125ec";

const VECTORS = [
  {
    name: "mainnet",
    network: MAINNET,
    domain: "0x04000000bba4da96354c9f25476cf1bc69bf583a7f9e0af049305b62de676640",
    signingRoot: "0x4f78c9792440c70a96bb0f3424a904c0cbd5e7be601609c3f412c8463e8c2d2a",
    signature:
      "0x95ed40879b8c5bc8f52ce3dc1c9ff1807ef90ec40c0aedf2418b30619dcd91528205fa0f863a316b44f7e645a474619a09c18763ea2fc395e091c40a4bfcaca72e94efe7f2d6acdca6fc08e907b9329941002439a1340b2d802a8099578d5254",
  },
  {
    name: "hoodi",
    network: HOODI,
    domain: "0x0400000072bbc3705de0766b1ea9cfd60f0a5cc5f2dca3b942b222e8320b035b",
    signingRoot: "0x0fdbeddb7b20eb413721f8e5cdcdf4a262450c00ad836ba3262be3e14cc09051",
    signature:
      "0x823f93216cc0ef51f27ad819522ba101c8a976e73c8532514d41fa0a27231d90d7795c2d0860ed91b70dcae5585284b614e96b46b65d9d2a695756b037940405eed27322d3f1c4aa9491797b3a1e908da73f4a4e6f84dc06bb9bf2094aa3a437",
  },
] as const;

describe("exit message (Appendix A, validator index 123, key 0)", () => {
  for (const v of VECTORS) {
    it(`${v.name}: domain, signing root and signature`, () => {
      assert.equal(toPrefixedHex(exitDomain(v.network)), v.domain);
      const root = exitSigningRoot(v.network, 123);
      assert.equal(toPrefixedHex(root), v.signingRoot);
      const signature = signExit(KEY0, v.network, 123);
      assert.equal(signature.toHex(true), v.signature);
      assert.ok(verify(root, PublicKey.fromHex(PUBKEY0), signature));
    });
  }

  it("equals the SSZ computation for small, large and random indexes and epochs", () => {
    const indexes = [
      0,
      1,
      255,
      256,
      2 ** 32,
      Number.MAX_SAFE_INTEGER,
      ...Array.from({ length: 20 }, () => Math.floor(Math.random() * 2 ** 40)),
    ];
    for (const epoch of [0, 194048, 2 ** 33 + 5]) {
      const network = { ...MAINNET, capellaEpoch: epoch };
      const domain = exitDomain(network);
      for (const validatorIndex of indexes) {
        const expected = computeSigningRoot(VoluntaryExit.hashTreeRoot({ epoch, validatorIndex }), domain);
        assert.deepEqual(
          exitSigningRoot(network, validatorIndex),
          expected,
          `epoch ${epoch}, index ${validatorIndex}`,
        );
        assert.deepEqual(exitSigningRoot(network, validatorIndex, domain), expected);
      }
    }
  });

  it("another index gives another signing root", () => {
    assert.notEqual(toPrefixedHex(exitSigningRoot(MAINNET, 124)), VECTORS[0].signingRoot);
  });

  it("a network object with more fields (a NetworkConfig) is accepted", () => {
    const config = { ...MAINNET, name: "mainnet", chainId: 1 };
    assert.equal(toPrefixedHex(exitSigningRoot(config, 123)), VECTORS[0].signingRoot);
  });

  it("rejects a negative or fractional index and malformed network constants", () => {
    assert.throws(() => exitSigningRoot(MAINNET, -1), /validator index -1/);
    assert.throws(() => exitSigningRoot(MAINNET, 1.5), /validator index 1.5/);
    assert.throws(
      () => exitSigningRoot({ ...MAINNET, capellaForkVersion: "0x030000" }, 1),
      /capellaForkVersion/,
    );
  });
});
