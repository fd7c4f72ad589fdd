/**
 * Compares our hand-written ABI items with Solidity declarations quoted from the contracts'
 * source: both sides are reduced to one comparable line, e.g.
 * `function fundValidators(bytes,bytes) nonpayable returns ()` or
 * `event ValidatorsManagerUpdated(address indexed,address indexed)`. Parameter names, data
 * locations and comments do not matter; types, order, indexed flags and mutability do.
 */
import type { AbiParameter } from "viem";

/**
 * The protocol's struct arguments as ABI tuples, as declared in stakewise/v3-core v4.0.1:
 * IKeeperValidators.sol:53 `struct ApprovalParams { bytes32 validatorsRegistryRoot; uint256 deadline;
 * bytes validators; bytes signatures; string exitSignaturesIpfsHash; }` and IKeeperRewards.sol:91
 * `struct HarvestParams { bytes32 rewardsRoot; int160 reward; uint160 unlockedMevReward; bytes32[] proof; }`;
 * and IValidatorsChecker.sol:14 `enum Status` (an enum is a uint8 in the ABI).
 */
export const STRUCTS = {
  ApprovalParams: "(bytes32,uint256,bytes,bytes,string)",
  HarvestParams: "(bytes32,int160,uint160,bytes32[])",
  Status: "uint8",
} as const;

/** Solidity type names that are not ABI types, mapped to their ABI form (structs as tuples, enums as uint8). */
export type TypeAliases = Readonly<Record<string, string>>;

function parameterTypes(list: string, aliases: TypeAliases): string {
  const trimmed = list.trim();
  if (trimmed === "") return "";
  return trimmed
    .split(",")
    .map((param) => {
      const [rawType = "", ...rest] = param.trim().split(/\s+/);
      const array = /(\[\d*\])+$/.exec(rawType)?.[0] ?? "";
      const base = rawType.slice(0, rawType.length - array.length);
      const type = `${aliases[base] ?? aliases[base.split(".").pop() ?? ""] ?? base}${array}`;
      const indexed = rest.includes("indexed");
      return indexed ? `${type} indexed` : type;
    })
    .join(",");
}

/**
 * The comparable line of one Solidity declaration (`function …`, `event …` or `error …`, possibly
 * spread over several lines joined with spaces, with or without the trailing `;` or `{`).
 */
export function solidityDeclaration(source: string, aliases: TypeAliases = {}): string {
  const text = source.replace(/\s+/g, " ").trim();
  const head = /^(function|event|error) (\w+)\s*\(([^)]*)\)(.*)$/.exec(text);
  if (!head) throw new Error(`not a Solidity declaration: ${source}`);
  const [, kind, name, params = "", tail = ""] = head;
  const inputs = parameterTypes(params, aliases);
  if (kind !== "function") return `${kind} ${name}(${inputs})`;
  const mutability = /\b(view|pure|payable)\b/.exec(tail.replace(/returns.*$/, ""))?.[1] ?? "nonpayable";
  const returns = /returns\s*\(([^)]*)\)/.exec(tail)?.[1] ?? "";
  return `function ${name}(${inputs}) ${mutability} returns (${parameterTypes(returns, aliases)})`;
}

function abiTypes(params: readonly AbiParameter[]): string {
  return params
    .map((p) => {
      const components = "components" in p && p.components ? `(${abiTypes(p.components)})` : "";
      const type = components ? `${components}${p.type.slice("tuple".length)}` : p.type;
      return "indexed" in p && p.indexed ? `${type} indexed` : type;
    })
    .join(",");
}

type Item =
  | {
      type: "function";
      name: string;
      inputs: readonly AbiParameter[];
      outputs: readonly AbiParameter[];
      stateMutability: string;
    }
  | { type: "event"; name: string; inputs: readonly AbiParameter[] }
  | { type: "error"; name: string; inputs: readonly AbiParameter[] };

/** The comparable line of one of our ABI items. */
export function abiDeclaration(item: Item): string {
  if (item.type === "function")
    return `function ${item.name}(${abiTypes(item.inputs)}) ${item.stateMutability} returns (${abiTypes(item.outputs)})`;
  return `${item.type} ${item.name}(${abiTypes(item.inputs)})`;
}

/** The item of `abi` named `name` (of `kind`), or a thrown error naming what is missing. */
export function abiItem(abi: readonly unknown[], kind: Item["type"], name: string): Item {
  const found = (abi as readonly Item[]).find((i) => i.type === kind && i.name === name);
  if (!found) throw new Error(`no ${kind} ${name} in the ABI`);
  return found;
}
