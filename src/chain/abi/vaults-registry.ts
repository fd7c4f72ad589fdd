import { protocolErrorsAbi } from "./errors.ts";

/** The VaultsRegistry: which addresses are protocol vaults (the Keeper serves only those). */
export const vaultsRegistryAbi = [
  {
    type: "function",
    name: "vaults",
    stateMutability: "view",
    inputs: [{ name: "vault", type: "address" }],
    outputs: [{ name: "", type: "bool" }],
  },
  {
    type: "function",
    name: "factories",
    stateMutability: "view",
    inputs: [{ name: "factory", type: "address" }],
    outputs: [{ name: "", type: "bool" }],
  },
  {
    type: "function",
    name: "addVault",
    stateMutability: "nonpayable",
    inputs: [{ name: "vault", type: "address" }],
    outputs: [],
  },
  {
    type: "event",
    name: "VaultAdded",
    inputs: [
      { name: "caller", type: "address", indexed: true },
      { name: "vault", type: "address", indexed: true },
    ],
  },
  ...protocolErrorsAbi,
] as const;
