/**
 * Our SSV keyshares against the official ssv-keys 1.1.0 (npm, pinned; ECOSYSTEM.md on why it
 * needs overrides): what we write, ssv-keys' own validation accepts; what ssv-keys builds, our
 * reader and the SSV operator double (test/support/ssv-operator.ts) accept and recombine.
 * ssv-keys' validation records errors instead of throwing and discards class-validator's
 * results, so both are asked for explicitly here.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { describe, it } from "node:test";
import { SecretKey } from "@chainsafe/blst";
import {
  formatKeysharesJson,
  keysharesItem,
  parseKeysharesJson,
} from "../../src/ssv/keyshares/keyshares-file.ts";
import {
  operatorPublicKeyRegistryForm,
  parseOperatorPublicKey,
} from "../../src/ssv/keyshares/operator-public-key.ts";
import { buildSharesDataBatch, parseSharesData } from "../../src/ssv/keyshares/shares-data.ts";
import { recombineShares, ssvKeysVectorOperators } from "../support/ssv-operator.ts";

interface SsvKeysItem {
  error: unknown;
  data: object;
  payload: { sharesData: string; publicKey: string; operatorIds: number[] };
  buildPayload(
    meta: { publicKey: string; operators: { id: number; operatorKey: string }[]; encryptedShares: unknown[] },
    toSign: { ownerAddress: string; ownerNonce: number; privateKey: string },
  ): Promise<{ sharesData: string; publicKey: string; operatorIds: number[] }>;
}
interface SsvKeysModule {
  SSVKeys: new () => {
    buildShares(privateKey: string, operators: { id: number; operatorKey: string }[]): Promise<unknown[]>;
  };
  KeySharesItem: new () => SsvKeysItem;
  KeyShares: {
    new (items: SsvKeysItem[]): { toJson(): string };
    fromJson(content: string): Promise<{ list(): SsvKeysItem[] }>;
  };
}

const require = createRequire(import.meta.url);
const ssvKeys = require("ssv-keys") as SsvKeysModule;
const { operatorPublicKeyValidator } =
  require("ssv-keys/dist/tsc/src/commands/actions/validators/operator.js") as {
    operatorPublicKeyValidator(key: string): boolean;
  };
const { validateSync } = require("class-validator") as { validateSync(object: object): unknown[] };

const OWNER = "0x81592c3de184a3e2c0dcb5a261bc107bfa91f494";
const IDS = [123n, 456n, 777n, 789n];
const doubles = await ssvKeysVectorOperators(IDS);

describe("ssv-keys 1.1.0 as the reference", () => {
  it("accepts the keyshares.json we write (signature, fields, operator keys)", async () => {
    const keys = [21, 22].map((b) => SecretKey.fromKeygen(new Uint8Array(32).fill(b)));
    const built = buildSharesDataBatch({
      secretKeys: keys,
      operators: doubles.map((d) => ({ id: d.id, publicKey: d.registryPublicKey })),
      owner: OWNER,
      nonce: 9,
    });
    const operatorKeys = doubles.map((d) => d.registryPublicKey);
    const text = formatKeysharesJson(built.map((b, k) => keysharesItem(b, OWNER, 9 + k, operatorKeys)));
    const items = (await ssvKeys.KeyShares.fromJson(text)).list();
    assert.equal(items.length, 2);
    for (const item of items) {
      assert.equal(item.error, undefined);
      assert.deepEqual(validateSync(item.data), []);
      assert.deepEqual(validateSync(item.payload), []);
    }
    for (const key of operatorKeys) assert.equal(operatorPublicKeyValidator(key), true);
    // The same file with the nonces swapped fails ssv-keys' signature check too.
    const swapped = JSON.parse(text);
    [swapped.shares[0].data.ownerNonce, swapped.shares[1].data.ownerNonce] = [10, 9];
    const refused = (await ssvKeys.KeyShares.fromJson(JSON.stringify(swapped))).list();
    assert.ok(refused.every((item) => item.error !== undefined));
  });

  it("builds sharesData that our reader parses and every operator double decrypts and recombines", async () => {
    const secretKey = SecretKey.fromKeygen(new Uint8Array(32).fill(23));
    const privateKey = `0x${Buffer.from(secretKey.toBytes()).toString("hex")}`;
    const publicKey = `0x${Buffer.from(secretKey.toPublicKey().toBytes(true)).toString("hex")}`;
    const operators = doubles.map((d) => ({ id: Number(d.id), operatorKey: d.registryPublicKey }));
    const encryptedShares = await new ssvKeys.SSVKeys().buildShares(privateKey, operators);
    const item = new ssvKeys.KeySharesItem();
    const payload = await item.buildPayload(
      { publicKey, operators, encryptedShares },
      { ownerAddress: OWNER, ownerNonce: 4, privateKey },
    );
    const sharesData = new Uint8Array(Buffer.from(payload.sharesData.slice(2), "hex"));
    assert.equal(parseSharesData(sharesData, 4).encryptedKeys.length, 4);

    const registration = {
      publicKey: secretKey.toPublicKey().toBytes(true),
      operatorIds: IDS,
      sharesData,
      owner: OWNER,
      nonce: 4,
    };
    const shares = new Map(doubles.map((d) => [d.id, d.acceptShares(registration)]));
    const secret = BigInt(privateKey);
    assert.equal(recombineShares(new Map([...shares].slice(0, 3))), secret);

    // Its whole file, as ssv-keys writes it, reads here.
    item.data = Object.assign(item.data, { ownerNonce: 4, ownerAddress: OWNER, publicKey, operators });
    item.payload = Object.assign(item.payload, payload);
    const file = parseKeysharesJson(new ssvKeys.KeyShares([item]).toJson(), "ssv-keys output");
    assert.equal(file.version, "v1.1.0");
    assert.deepEqual(file.items[0]?.sharesData, sharesData);
    assert.deepEqual(
      file.items[0]?.operators.map((o) => o.id),
      IDS,
    );
  });

  it("its operator keys are the registry form our parser reads and writes", () => {
    const vectors = JSON.parse(
      readFileSync(new URL("../vectors/ssv/ssv-keys-operator-keys.json", import.meta.url), "utf8"),
    ) as { rsaKeyPairs: { publicKey: string }[] };
    for (const [i, d] of doubles.entries()) {
      const key = parseOperatorPublicKey(vectors.rsaKeyPairs[i]?.publicKey ?? "", d.id);
      assert.equal(operatorPublicKeyRegistryForm(key), vectors.rsaKeyPairs[i]?.publicKey);
      assert.equal(operatorPublicKeyValidator(d.registryPublicKey), true);
      assert.equal(
        parseOperatorPublicKey(d.registryPublicKey, d.id).asymmetricKeyDetails?.modulusLength,
        2048,
      );
    }
  });
});
