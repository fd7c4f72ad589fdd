import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type AbiParameter, decodeAbiParameters, encodeAbiParameters, type Hex, pad } from "viem";
import { ssvClusterStruct } from "../chain/abi/ssv-network.ts";
import { AbiHexError, decodeHexParameters, decodeHexTopic } from "./abi-hex-decoder.ts";

const PARAMS: readonly AbiParameter[] = [
  { name: "operatorIds", type: "uint64[]" },
  { name: "publicKey", type: "bytes" },
  { name: "shares", type: "bytes" },
  { name: "cluster", type: "tuple", components: ssvClusterStruct },
  { name: "effectiveBalance", type: "uint32" },
  { name: "value", type: "uint256" },
  { name: "recipient", type: "address" },
  { name: "flag", type: "bool" },
];

function sample(n: number): unknown[] {
  return [
    Array.from({ length: n % 14 }, (_, i) => BigInt(i) * 2n ** 60n + BigInt(n)),
    `0x${"ab".repeat(n % 50)}`,
    `0x${"cd".repeat(n * 7)}`,
    {
      validatorCount: n,
      networkFeeIndex: 2n ** 63n + BigInt(n),
      index: BigInt(n),
      active: n % 2 === 0,
      balance: 10n ** 30n + BigInt(n),
    },
    n * 1000,
    2n ** 255n + BigInt(n),
    `0x${n.toString(16).padStart(40, "0")}`,
    n % 3 === 0,
  ];
}

describe("decodeHexParameters", () => {
  it("decodes what viem encodes, as viem decodes it", () => {
    for (let n = 0; n < 40; n++) {
      const data = encodeAbiParameters(PARAMS, sample(n) as never);
      const ours = decodeHexParameters(PARAMS, data);
      const viem = decodeAbiParameters(PARAMS, data) as unknown[];
      // viem checksums addresses; we keep the log's lowercase.
      ours[6] = (ours[6] as string).toLowerCase();
      viem[6] = (viem[6] as string).toLowerCase();
      assert.deepEqual(ours, viem, `sample ${n}`);
    }
  });

  it("decodes indexed topics", () => {
    assert.equal(decodeHexTopic({ name: "id", type: "uint64" }, pad("0x2a")), 42n);
    assert.equal(
      decodeHexTopic({ name: "owner", type: "address" }, pad("0x00000000000000000000000000000000000000aa")),
      "0x00000000000000000000000000000000000000aa",
    );
  });

  it("refuses malformed data", () => {
    const data = encodeAbiParameters(PARAMS, sample(5) as never);
    const words = (data.length - 2) / 64;
    const bad = (hex: string) => () => decodeHexParameters(PARAMS, hex as Hex);
    assert.throws(bad("0x01"), AbiHexError);
    assert.throws(bad(data.slice(0, 2 + 64 * 5)), AbiHexError);
    // The array offset pointing past the end.
    assert.throws(
      bad(`0x${(words * 32 + 32).toString(16).padStart(64, "0")}${data.slice(66)}`),
      /points past the data/,
    );
    // A bool of 2, a uint32 too large, an address with dirty padding.
    const at = (index: number, word: string) =>
      `${data.slice(0, 2 + index * 64)}${word}${data.slice(2 + (index + 1) * 64)}`;
    assert.throws(bad(at(11, "2".padStart(64, "0"))), /bool flag is 2/);
    assert.throws(bad(at(8, "100000000".padStart(64, "0"))), /does not fit in uint32/);
    assert.throws(bad(at(10, "f".repeat(64))), /non-zero padding/);
    assert.throws(() => decodeHexParameters([{ name: "s", type: "string" }], data), /not supported/);
  });
});
