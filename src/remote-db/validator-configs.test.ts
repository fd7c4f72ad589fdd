import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  lighthouseValidatorDefinitions,
  proposerConfig,
  tekuSignerKeys,
  validatorKeyRange,
  yamlString,
} from "./validator-configs.ts";
import { web3signerKeyYaml } from "./web3signer-keys.ts";

const FEE_RECIPIENT = "0xb793c3D2Cec1d0F35fF88BCA7655B88A44669e4B";
const KEY_A = `0x8b1f2d3c${"a".repeat(88)}`;
const KEY_B = `0x9c${"0".repeat(94)}`;

// Expected texts were produced by PyYAML 6.0.3 / Python json with the Python operator's calls.
describe("setup-validator files", () => {
  it("Lighthouse validator_definitions.yml is PyYAML's yaml.dump(items, explicit_start=True)", () => {
    assert.equal(
      lighthouseValidatorDefinitions({
        publicKeys: [KEY_A, KEY_B],
        web3signerUrl: "http://localhost:9000",
        feeRecipient: FEE_RECIPIENT,
      }),
      `---\n- enabled: true\n  suggested_fee_recipient: '${FEE_RECIPIENT}'\n  type: web3signer\n  url: http://localhost:9000\n  voting_public_key: '${KEY_A}'\n` +
        `- enabled: true\n  suggested_fee_recipient: '${FEE_RECIPIENT}'\n  type: web3signer\n  url: http://localhost:9000\n  voting_public_key: '${KEY_B}'\n`,
    );
  });

  it("quotes scalars the way PyYAML does", () => {
    const cases: [string, string][] = [
      ["http://web3signer:9000", "http://web3signer:9000"],
      ["https://w3s.example:9000/path?x=1&y=2", "https://w3s.example:9000/path?x=1&y=2"],
      ["http://[::1]:9000", "http://[::1]:9000"],
      ["web3signer", "web3signer"],
      ["1234", "'1234'"],
      ["yes", "'yes'"],
      ["0x12", "'0x12'"],
      ["a: b", "'a: b'"],
      ["12:30", "'12:30'"],
      ["2001-01-01", "'2001-01-01'"],
      ["it's", "it's"],
      ["-x", "-x"],
      ["", "''"],
    ];
    for (const [value, expected] of cases) assert.equal(yamlString(value), expected, value);
  });

  it("Teku/Prysm signer_keys.yml and proposer_config.json", () => {
    assert.equal(
      tekuSignerKeys([KEY_A, KEY_B]),
      `validators-external-signer-public-keys: ["${KEY_A}","${KEY_B}"]`,
    );
    assert.equal(
      proposerConfig(FEE_RECIPIENT, true),
      `{\n    "default_config": {\n        "fee_recipient": "${FEE_RECIPIENT}",\n        "builder": {\n            "enabled": true\n        }\n    }\n}`,
    );
    assert.match(proposerConfig(FEE_RECIPIENT, false), /"enabled": false/);
  });

  it("web3signer key_{i}.yaml is PyYAML's yaml.dump of the key", () => {
    const key = `0x0000000000${"ab".repeat(27)}`;
    assert.equal(web3signerKeyYaml(key), `keyType: BLS\nprivateKey: '${key}'\ntype: file-raw\n`);
  });

  it("splits the keys over the validator clients with ⌈count/total⌉ each", () => {
    assert.deepEqual(validatorKeyRange(10000, 10, 0), { start: 0, end: 1000, keysPerValidator: 1000 });
    assert.deepEqual(validatorKeyRange(10, 4, 3), { start: 9, end: 10, keysPerValidator: 3 });
    assert.deepEqual(validatorKeyRange(3, 2, 1), { start: 2, end: 3, keysPerValidator: 2 });
    assert.throws(() => validatorKeyRange(2, 10, 5), /--validator-index 5 gets no keys/);
    assert.throws(() => validatorKeyRange(10, 2, 2), /must be less than --total-validators 2/);
  });
});
