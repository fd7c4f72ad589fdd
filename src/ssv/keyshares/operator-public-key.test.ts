import assert from "node:assert/strict";
import { createPublicKey, generateKeyPairSync } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { InvalidOperatorKeyError } from "./errors.ts";
import { operatorPublicKeyRegistryForm, parseOperatorPublicKey } from "./operator-public-key.ts";

const vectors = JSON.parse(
  readFileSync(new URL("../../../test/vectors/ssv/ssv-keys-operator-keys.json", import.meta.url), "utf8"),
) as { rsaKeyPairs: { publicKey: string }[]; exampleOperatorKeys: string[] };
const registryKeys = [...vectors.rsaKeyPairs.map((pair) => pair.publicKey), ...vectors.exampleOperatorKeys];
const sample = registryKeys[0] as string;
const sampleKey = createPublicKey({
  key: Buffer.from(sample, "base64").toString().replaceAll("RSA PUBLIC KEY", "PUBLIC KEY"),
  format: "pem",
});
const spkiDer = sampleKey.export({ type: "spki", format: "der" });
const pkcs1Der = sampleKey.export({ type: "pkcs1", format: "der" });

function rejects(text: string, pattern: RegExp): void {
  assert.throws(
    () => parseOperatorPublicKey(text, 42n),
    (error) =>
      error instanceof InvalidOperatorKeyError &&
      /SSV operator 42/.test(error.message) &&
      pattern.test(error.message),
  );
}

describe("parseOperatorPublicKey", () => {
  it("reads the registry form (base64 of an 'RSA PUBLIC KEY' PEM holding SPKI) of ssv-keys' keys", () => {
    for (const text of registryKeys) {
      const key = parseOperatorPublicKey(text, 1n);
      assert.equal(key.asymmetricKeyType, "rsa");
      assert.equal(key.asymmetricKeyDetails?.modulusLength, 2048);
    }
  });

  it("reads a plain PEM of either label, bare base64 SPKI, and PKCS#1 under the RSA label", () => {
    const forms = [
      Buffer.from(sample, "base64").toString(),
      sampleKey.export({ type: "spki", format: "pem" }).toString(),
      spkiDer.toString("base64"),
      sampleKey.export({ type: "pkcs1", format: "pem" }).toString(),
      Buffer.from(sampleKey.export({ type: "pkcs1", format: "pem" }).toString()).toString("base64"),
      pkcs1Der.toString("base64"),
      `  ${sample}\n`,
    ];
    for (const text of forms) assert.ok(parseOperatorPublicKey(text, 7).equals(sampleKey), text.slice(0, 40));
  });

  it("gives back the registry form byte for byte", () => {
    for (const text of registryKeys)
      assert.equal(operatorPublicKeyRegistryForm(parseOperatorPublicKey(text, 1n)), text);
  });

  it("names the operator and the problem for keys it cannot use", () => {
    rejects("not base64 at all!", /neither a PEM nor base64/);
    rejects(Buffer.from("-----BEGIN RSA PUBLIC KEY-----\nAAAA\n").toString("base64"), /well-formed PEM/);
    rejects(
      Buffer.from("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n").toString("base64"),
      /labelled "CERTIFICATE"/,
    );
    rejects(spkiDer.subarray(0, 100).toString("base64"), /not an RSA public key/);
    const ec = generateKeyPairSync("ec", { namedCurve: "prime256v1" }).publicKey;
    rejects(ec.export({ type: "spki", format: "der" }).toString("base64"), /ec key, not RSA/);
    const small = generateKeyPairSync("rsa", { modulusLength: 1024 }).publicKey;
    rejects(operatorPublicKeyRegistryForm(small), /1024 bits; at least 2048/);
  });
});
