/**
 * Appendix A's deposit signatures of key 0, made through a Web3Signer that holds the whole key
 * (the test double, which computes the signing root with its own SSZ): the operator's
 * WholeKeyRemoteSigner must get back exactly the vector's signature, and the double's root must be
 * the vector's signing root.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { SignerApi } from "../../src/keys/remote-signer/signer-api.ts";
import { WholeKeyRemoteSigner } from "../../src/keys/remote-signer/whole-keys.ts";
import { depositSigningRootOf, startWeb3Signer, type Web3SignerDouble } from "../support/web3signer.ts";
import { APPENDIX_NETWORKS as NETWORKS, readAppendixA } from "./appendix-a-vectors.ts";
import { bytesHex0x, hexBytes } from "./vectors.ts";

const vectors = readAppendixA();
const key0 = vectors.keys[0];

describe("Appendix A: deposits signed by a remote signer holding the whole key", () => {
  let web3signer: Web3SignerDouble;
  let signer: WholeKeyRemoteSigner;

  before(async () => {
    web3signer = await startWeb3Signer();
    assert.ok(key0, "Appendix A has key 0");
    // The vector's secret key, loaded as-is: nothing here derives it with the operator's code.
    assert.equal(web3signer.addKey(hexBytes(key0.sk)), key0.pubkey);
    signer = await WholeKeyRemoteSigner.open(new SignerApi({ url: web3signer.url }));
  });
  after(async () => {
    await web3signer.close();
  });

  for (const variant of ["mainnet_0x02_32eth", "mainnet_0x01_32eth", "hoodi_0x02_32eth"]) {
    it(`key 0 ${variant}: the signer's signature is the vector's`, async () => {
      const d = key0?.deposits[variant];
      const match = /^(mainnet|hoodi)_/.exec(variant) as RegExpExecArray;
      const network = NETWORKS[match[1] as keyof typeof NETWORKS];
      assert.ok(key0 && d);
      const pubkey = key0.pubkey as `0x${string}`;

      const signature = await signer.signDeposit(pubkey, {
        withdrawalCredentials: hexBytes(d.withdrawal_credentials),
        amountGwei: Number(d.amount_gwei),
        genesisForkVersion: hexBytes(network.genesisForkVersion),
      });
      assert.equal(bytesHex0x(signature), d.signature);

      const root = depositSigningRootOf({
        pubkey,
        withdrawalCredentials: d.withdrawal_credentials as `0x${string}`,
        amountGwei: BigInt(d.amount_gwei),
        genesisForkVersion: network.genesisForkVersion,
      });
      assert.equal(bytesHex0x(root), d.signing_root, "the double's own SSZ gives the vector's root");
      const request = web3signer.requests.at(-1)?.body as { deposit?: { amount?: unknown } };
      assert.equal(request.deposit?.amount, d.amount_gwei, "the amount travels as a decimal string");
    });
  }
});
