import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { describe, it } from "node:test";
import { DepositData } from "../crypto/ssz-types.ts";
import { toHex } from "../lib/hex.ts";
import { depositDataRoots } from "./deposit-data-roots.ts";

describe("depositDataRoots", () => {
  it("equals the SSZ library's hash_tree_root(DepositData) for random entries", () => {
    const entries = Array.from({ length: 257 }, (_, i) => ({
      publicKey: randomBytes(48),
      withdrawalCredentials: randomBytes(32),
      amountGwei: i === 0 ? 32_000_000_000 : Math.floor(Math.random() * 2 ** 52),
      signature: randomBytes(96),
    }));
    const roots = depositDataRoots(entries);
    entries.forEach((e, i) => {
      const expected = DepositData.hashTreeRoot({
        pubkey: e.publicKey,
        withdrawalCredentials: e.withdrawalCredentials,
        amount: e.amountGwei,
        signature: e.signature,
      });
      assert.equal(toHex(roots[i] as Uint8Array), toHex(expected), `entry ${i}`);
    });
  });

  it("matches the deposit CLI's root of validator 0 (mainnet, 0x01 to 0xeEFF…9663)", () => {
    const [root] = depositDataRoots([
      {
        publicKey: Buffer.from(
          "90d317fa6a570715d34556f27f5b390a9c6b3deab4ef0092b45214e553f2302724d22324eeae418ba8b358cb108125ec",
          "hex",
        ),
        withdrawalCredentials: Buffer.from(
          "010000000000000000000000eefffd4c23d2e8c845870e273861e7d60df49663",
          "hex",
        ),
        amountGwei: 32_000_000_000,
        signature: Buffer.from(
          "94cb1af95637093c334ff4fe2319420be97cd6d82fc914caa7d5bb6c1f082984c5970f934a5e2f2f506f7177483621dd04ad00f0caf3b5296c5758eaea18c03778f20735a6e861b73b1b96e995f4a92897d08376eeed22457c0b8b8dc95c1693",
          "hex",
        ),
      },
    ]);
    assert.equal(
      toHex(root as Uint8Array),
      "74c280ac569b0c87637e15efea4220804870b827e88af3c1854e089210bf849d",
    );
  });

  it("returns nothing for no entries", () => {
    assert.deepEqual(depositDataRoots([]), []);
  });
});
