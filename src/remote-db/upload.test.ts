import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SecretKey } from "@chainsafe/blst";
import { Fr } from "../crypto/bls-scalar.ts";
import { lagrangeCoefficientsAtZero } from "../crypto/shamir.ts";
import { createKeyCodec } from "./encryption-key.ts";
import {
  buildKeypairRecords,
  keptSignerEntries,
  keypairCopyChunks,
  recordValidatorKeys,
  remoteSignerConfigChunks,
} from "./upload.ts";

const VAULT = "0x8189aF89A7718C1baB5628399FC0ba50C6949bCc";
const hex = (text: string) => Uint8Array.from(Buffer.from(text.slice(2), "hex"));

describe("upload-keypairs rows", () => {
  it("hold each key and its Shamir shares, encrypted, in the Python layout", async () => {
    const secrets = [1, 2, 3].map((i) => SecretKey.fromKeygen(new Uint8Array(32).fill(i)));
    const keys = secrets.map((s) => ({ secretKey: s.toBytes(), publicKey: s.toPublicKey().toBytes(true) }));
    const codec = createKeyCodec(new Uint8Array(32).fill(7));
    const records = await buildKeypairRecords({ keys, threshold: 3, shares: 4, codec, batchSize: 2 });
    const lines = Buffer.concat([...keypairCopyChunks(VAULT, records)])
      .toString("latin1")
      .trimEnd()
      .split("\n");
    assert.equal(lines.length, 3 * 5);
    const rows = lines.map((line) => {
      const [vault, parent, publicKey, privateKey, nonce] = line.split("\t") as [
        string,
        string,
        string,
        string,
        string,
      ];
      assert.equal(vault, VAULT);
      assert.match(publicKey, /^0x[0-9a-f]{96}$/);
      assert.match(privateKey, /^0x[0-9a-f]{64}$/);
      assert.match(nonce, /^0x[0-9a-f]{32}$/);
      const secret = codec.decrypt({ ciphertexts: hex(privateKey), nonces: hex(nonce) });
      assert.deepEqual(
        SecretKey.fromBytes(secret).toPublicKey().toBytes(true),
        hex(publicKey),
        "row decrypts to its key",
      );
      return { parent, publicKey, secret: Fr.fromBytes(secret) };
    });
    const configText = Buffer.concat([...remoteSignerConfigChunks(records)]).toString("latin1");
    const config = JSON.parse(configText) as Record<string, string[]>;
    assert.match(configText, /^\{"0x[0-9a-f]{96}": \["0x[0-9a-f]{96}", "0x/, "json.dumps separators");
    keys.forEach((key, v) => {
      const [validator, ...shares] = rows.slice(v * 5, v * 5 + 5) as [(typeof rows)[number], ...typeof rows];
      assert.equal(validator.parent, "\\N");
      assert.equal(validator.publicKey, `0x${Buffer.from(key.publicKey).toString("hex")}`);
      for (const share of shares) assert.equal(share.parent, validator.publicKey);
      assert.deepEqual(
        config[validator.publicKey],
        shares.map((s) => s.publicKey),
      );
      // Any 3 of the 4 shares (x = 1…4) give back the key.
      const xs = [1, 3, 4];
      const lambdas = lagrangeCoefficientsAtZero(xs);
      const recovered = xs.reduce(
        (sum, x, i) =>
          Fr.add(sum, Fr.mul(lambdas[i] as bigint, (shares[x - 1] as (typeof rows)[number]).secret)),
        0n,
      );
      assert.equal(recovered, validator.secret);
    });
  });

  it("keep the stored config entries of the keys not uploaded, after the uploaded ones", async () => {
    const secret = SecretKey.fromKeygen(new Uint8Array(32).fill(9));
    const codec = createKeyCodec(new Uint8Array(32).fill(7));
    const records = await buildKeypairRecords({
      keys: [{ secretKey: secret.toBytes(), publicKey: secret.toPublicKey().toBytes(true) }],
      threshold: 2,
      shares: 2,
      codec,
    });
    const [uploaded] = recordValidatorKeys(records) as [string];
    const other = `0x${"AB".repeat(48)}`;
    const share = `0x${"cd".repeat(48)}`;
    const stored = JSON.stringify({
      [uploaded.toUpperCase().replace("0X", "0x")]: [share, share],
      [other]: [share],
    });
    const kept = keptSignerEntries(stored, new Set([uploaded]), "vault V");
    assert.deepEqual(kept, [[other, [share]]]);
    const text = Buffer.concat([...remoteSignerConfigChunks(records, kept)]).toString("latin1");
    const config = JSON.parse(text) as Record<string, string[]>;
    assert.deepEqual(Object.keys(config), [uploaded, other]);
    assert.ok(text.endsWith(`, "${other}": ["${share}"]}`), "json.dumps separators");
    assert.deepEqual(keptSignerEntries(undefined, new Set(), "vault V"), []);
    for (const bad of ["not json", "[]", `{"0x12": []}`, `{"${other}": ["0x12"]}`, `{"${other}": "x"}`]) {
      assert.throws(
        () => keptSignerEntries(bad, new Set(), "vault V"),
        /stored remote_signer_config\.json of vault V is not a map .* "operator remote-db cleanup"/,
      );
    }
  });

  it("hold only the whole keys in the v1.1+ layout: no shares, no parent_public_key", async () => {
    const secrets = [4, 5].map((i) => SecretKey.fromKeygen(new Uint8Array(32).fill(i)));
    const keys = secrets.map((s) => ({ secretKey: s.toBytes(), publicKey: s.toPublicKey().toBytes(true) }));
    const codec = createKeyCodec(new Uint8Array(32).fill(7));
    const records = await buildKeypairRecords({ keys, threshold: 0, shares: 0, codec });
    assert.equal(records.sharesPerKey, 0);
    const lines = Buffer.concat([...keypairCopyChunks(VAULT, records)])
      .toString("latin1")
      .trimEnd()
      .split("\n");
    assert.equal(lines.length, 2);
    lines.forEach((line, i) => {
      const [vault, publicKey, privateKey, nonce, ...rest] = line.split("\t") as string[];
      assert.deepEqual(rest, [], "vault, public_key, private_key, nonce");
      assert.equal(vault, VAULT);
      assert.equal(publicKey, `0x${Buffer.from(keys[i]?.publicKey ?? []).toString("hex")}`);
      const secret = codec.decrypt({ ciphertexts: hex(privateKey ?? ""), nonces: hex(nonce ?? "") });
      assert.deepEqual(secret, keys[i]?.secretKey);
    });
    // The v4 layout: the same rows without the vault.
    const v4Lines = Buffer.concat([...keypairCopyChunks(undefined, records)])
      .toString("latin1")
      .trimEnd()
      .split("\n");
    assert.deepEqual(
      v4Lines,
      lines.map((line) => line.slice(`${VAULT}\t`.length)),
    );
  });
});
