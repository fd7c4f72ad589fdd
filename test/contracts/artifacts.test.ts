/**
 * Fails when contracts/artifacts/*.json are stale: a contract source, the solc version or the
 * compiler settings changed since `npm run build:contracts` last ran. Hash comparison only, no
 * compilation, so it runs in milliseconds.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import {
  ARTIFACTS_DIR,
  type ContractArtifact,
  readContractSources,
  SOLC_SETTINGS,
  solcPackageVersion,
} from "../../scripts/build-contracts.ts";

const REBUILD = "run `npm run build:contracts` and commit contracts/artifacts";
/** Every contract the devnet deploys (src/devnet/deploy.ts). */
const DEPLOYED = [
  "ConsolidationRequests",
  "ConsolidationsChecker",
  "DepositContract",
  "DepositDataRegistry",
  "EthVault",
  "EthVaultV5",
  "Keeper",
  "Multicall3",
  "OwnMevEscrow",
  "SharedMevEscrow",
  "ValidatorsChecker",
  "VaultsRegistry",
  "WithdrawalRequests",
];

function readArtifacts(): { file: string; text: string; artifact: ContractArtifact }[] {
  return readdirSync(ARTIFACTS_DIR)
    .filter((file) => file.endsWith(".json"))
    .sort()
    .map((file) => {
      const text = readFileSync(join(ARTIFACTS_DIR, file), "utf8");
      return { file, text, artifact: JSON.parse(text) as ContractArtifact };
    });
}

describe("contract artifacts", () => {
  const artifacts = readArtifacts();
  const sources = readContractSources();

  it("exist for every deployed contract", () => {
    assert.deepEqual(
      DEPLOYED.filter((name) => !artifacts.some((a) => a.file === `${name}.json`)),
      [],
      `missing artifacts: ${REBUILD}`,
    );
  });

  it("were built from the current contracts/*.sol", () => {
    const current = Object.fromEntries(sources.map((s) => [s.file, s.sha256]));
    for (const { file, artifact } of artifacts) {
      const recorded = artifact.sourcesSha256;
      const changed = [...new Set([...Object.keys(current), ...Object.keys(recorded)])]
        .filter((source) => current[source] !== recorded[source])
        .sort();
      assert.deepEqual(changed, [], `${file} is stale (changed sources: ${changed.join(", ")}): ${REBUILD}`);
    }
  });

  it("were built with the installed solc and the current settings", () => {
    const version = solcPackageVersion();
    for (const { file, artifact } of artifacts) {
      assert.ok(
        artifact.solcVersion.startsWith(`${version}+`),
        `${file} was built with solc ${artifact.solcVersion}, solc ${version} is installed: ${REBUILD}`,
      );
      assert.deepEqual(artifact.settings, SOLC_SETTINGS, `${file} was built with other settings: ${REBUILD}`);
    }
  });

  it("are well-formed and deterministically formatted", () => {
    for (const { file, text, artifact } of artifacts) {
      assert.equal(`${artifact.contractName}.json`, file);
      assert.ok(
        sources.some((s) => s.file === artifact.sourceName),
        `${file}: unknown source ${artifact.sourceName}`,
      );
      assert.ok(Array.isArray(artifact.abi));
      assert.match(artifact.bytecode, /^0x([0-9a-f]{2})+$/);
      assert.match(artifact.deployedBytecode, /^0x([0-9a-f]{2})+$/);
      assert.equal(
        text,
        `${JSON.stringify(artifact, null, 2)}\n`,
        `${file} is not in the script's format: ${REBUILD}`,
      );
    }
  });
});
