/**
 * `npm run build:contracts`: compiles contracts/*.sol with the npm `solc` (standard JSON,
 * optimizer on) and writes one artifact per concrete contract to contracts/artifacts/<Name>.json:
 * {contractName, sourceName, abi, bytecode, deployedBytecode, solcVersion, settings, sourcesSha256}.
 *
 * The output is deterministic (sorted sources, fixed key order, two-space JSON), so rebuilding
 * unchanged sources changes no file. test/contracts/artifacts.test.ts fails when the recorded
 * source hashes, compiler version or settings no longer match: run this script again then.
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { mkdir, readdir, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
export const CONTRACTS_DIR = join(ROOT, "contracts");
export const ARTIFACTS_DIR = join(CONTRACTS_DIR, "artifacts");

/** Compiler settings; part of every artifact so that a change makes the artifacts stale. */
export const SOLC_SETTINGS = {
  optimizer: { enabled: true, runs: 200 },
  evmVersion: "cancun",
} as const;

export interface ContractArtifact {
  contractName: string;
  sourceName: string;
  abi: unknown[];
  bytecode: `0x${string}`;
  deployedBytecode: `0x${string}`;
  /** solc's long version, e.g. "0.8.37+commit.….Emscripten.clang". */
  solcVersion: string;
  settings: typeof SOLC_SETTINGS;
  /** sha256 (hex) of every contracts/*.sol of the compilation, by file name. */
  sourcesSha256: Record<string, string>;
}

export interface ContractSource {
  file: string;
  content: string;
  sha256: string;
}

/** contracts/*.sol sorted by name, with their sha256. */
export function readContractSources(dir: string = CONTRACTS_DIR): ContractSource[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith(".sol"))
    .sort()
    .map((file) => {
      const content = readFileSync(join(dir, file), "utf8");
      return { file, content, sha256: createHash("sha256").update(content).digest("hex") };
    });
}

/** The npm solc package's version ("0.8.37"), read without loading the compiler. */
export function solcPackageVersion(): string {
  const require = createRequire(import.meta.url);
  const pkg = require("solc/package.json") as { version: string };
  return pkg.version;
}

interface SolcOutput {
  errors?: { severity: "error" | "warning" | "info"; formattedMessage: string }[];
  sources?: Record<string, { ast: AstNode }>;
  contracts?: Record<
    string,
    Record<
      string,
      { abi: unknown[]; evm: { bytecode: { object: string }; deployedBytecode: { object: string } } }
    >
  >;
}

interface AstNode {
  nodeType: string;
  name?: string;
  contractKind?: string;
  abstract?: boolean;
  nodes?: AstNode[];
}

interface Solc {
  version(): string;
  compile(input: string): string;
}

/** Names of the deployable contracts (not interfaces, libraries or abstract contracts) per source. */
function deployableContracts(output: SolcOutput): Map<string, string[]> {
  const result = new Map<string, string[]>();
  for (const [sourceName, { ast }] of Object.entries(output.sources ?? {})) {
    const names = (ast.nodes ?? [])
      .filter((n) => n.nodeType === "ContractDefinition" && n.contractKind === "contract" && !n.abstract)
      .map((n) => n.name as string);
    result.set(sourceName, names);
  }
  return result;
}

export interface BuildResult {
  artifacts: ContractArtifact[];
  warnings: string[];
}

/** Compiles the sources and returns the artifacts; throws with solc's messages on errors. */
export async function compileContracts(sources: readonly ContractSource[]): Promise<BuildResult> {
  const { default: solc } = (await import("solc")) as { default: Solc };
  const input = {
    language: "Solidity",
    sources: Object.fromEntries(sources.map((s) => [s.file, { content: s.content }])),
    settings: {
      ...SOLC_SETTINGS,
      outputSelection: {
        "*": { "": ["ast"], "*": ["abi", "evm.bytecode.object", "evm.deployedBytecode.object"] },
      },
    },
  };
  const output = JSON.parse(solc.compile(JSON.stringify(input))) as SolcOutput;
  const diagnostics = output.errors ?? [];
  const errors = diagnostics.filter((d) => d.severity === "error").map((d) => d.formattedMessage);
  if (errors.length > 0) throw new Error(`solc failed:\n${errors.join("\n")}`);

  const solcVersion = solc.version();
  const sourcesSha256 = Object.fromEntries(sources.map((s) => [s.file, s.sha256]));
  const artifacts: ContractArtifact[] = [];
  for (const [sourceName, names] of deployableContracts(output)) {
    for (const contractName of names) {
      const compiled = output.contracts?.[sourceName]?.[contractName];
      if (!compiled) throw new Error(`solc returned no output for ${sourceName}:${contractName}`);
      artifacts.push({
        contractName,
        sourceName,
        abi: compiled.abi,
        bytecode: `0x${compiled.evm.bytecode.object}`,
        deployedBytecode: `0x${compiled.evm.deployedBytecode.object}`,
        solcVersion,
        settings: SOLC_SETTINGS,
        sourcesSha256,
      });
    }
  }
  artifacts.sort((a, b) => a.contractName.localeCompare(b.contractName));
  const warnings = diagnostics.filter((d) => d.severity !== "error").map((d) => d.formattedMessage);
  return { artifacts, warnings };
}

/** Writes the artifacts (and removes artifacts of contracts that no longer exist). */
export async function writeArtifacts(artifacts: readonly ContractArtifact[], dir: string = ARTIFACTS_DIR) {
  await mkdir(dir, { recursive: true });
  const wanted = new Set(artifacts.map((a) => `${a.contractName}.json`));
  for (const file of await readdir(dir)) {
    if (file.endsWith(".json") && !wanted.has(file)) await rm(join(dir, file));
  }
  for (const artifact of artifacts) {
    await writeFile(join(dir, `${artifact.contractName}.json`), `${JSON.stringify(artifact, null, 2)}\n`);
  }
}

async function main(): Promise<void> {
  const started = performance.now();
  const sources = readContractSources();
  const { artifacts, warnings } = await compileContracts(sources);
  for (const warning of warnings) process.stderr.write(`${warning}\n`);
  await writeArtifacts(artifacts);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  process.stdout.write(
    `compiled ${sources.length} sources into ${artifacts.length} artifacts in ${seconds} s: ${artifacts
      .map((a) => a.contractName)
      .join(", ")}\n`,
  );
}

if (import.meta.main) {
  try {
    await main();
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
