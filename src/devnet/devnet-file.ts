/**
 * devnet.json: what a running `operator devnet` tells the tools beside it — endpoints, contracts,
 * the vault and the funded test accounts with their keys. The devnet writes it; the devnet helper
 * commands (set-root, fund, deposit) and the demo read it.
 */
import { readFile } from "node:fs/promises";
import type { Address, Hex } from "viem";
import { z } from "zod";
import { UserInputError } from "../lib/errors.ts";
import { DEVNET_ROLES, type DevnetRole } from "./accounts.ts";
import type { DevnetDvtDescription } from "./dvt/devnet-dvt.ts";

export interface DevnetDescription {
  executionEndpoint: string;
  consensusEndpoint: string;
  ipfsGateway: string;
  chainId: number;
  oracles: Array<{ address: Address; endpoint: string }>;
  contracts: Record<string, Address>;
  /**
   * keysManager: version 1, who sets the validators root; version 5, the validators manager the
   * vault was created with (setValidatorsManager may have changed it since).
   */
  vault: { version?: number; address: Address; admin: Address; keysManager: Address };
  /** Test accounts with their keys (anvil's well-known mnemonic: never use them on a real chain). */
  accounts: Record<DevnetRole, { address: Address; privateKey: Hex }>;
  /** The SSV contracts and API double (network.json's `ssv`) and the contracts' fee era. */
  ssv?: Record<string, string | number>;
  /** With --dvt: the cluster, its relayer's URL and the files the operator and sidecars read. */
  dvt?: DevnetDvtDescription;
}

const address = z
  .string()
  .regex(/^0x[0-9a-fA-F]{40}$/, "must be a 0x address") as unknown as z.ZodType<Address>;
const key = z.string().regex(/^0x[0-9a-fA-F]{64}$/, "must be a 0x private key") as unknown as z.ZodType<Hex>;
const url = z.url({ protocol: /^https?$/, message: "must be an http(s) URL" });
const account = z.object({ address, privateKey: key });

const DevnetFileSchema = z.object({
  executionEndpoint: url,
  consensusEndpoint: url,
  ipfsGateway: url,
  chainId: z.number().int().positive(),
  oracles: z.array(z.object({ address, endpoint: url })),
  contracts: z.record(z.string(), address),
  vault: z.object({
    version: z.number().int().positive().optional(),
    address,
    admin: address,
    keysManager: address,
  }),
  accounts: z.object(
    Object.fromEntries(DEVNET_ROLES.map((role) => [role, account])) as Record<DevnetRole, typeof account>,
  ),
  ssv: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
  dvt: z
    .object({
      cluster: z.enum(["obol", "ssv"]),
      protocol: z.enum(["v4", "legacy"]),
      size: z.number().int().positive(),
      threshold: z.number().int().positive(),
      relayerEndpoint: url,
      publicKeys: z.array(z.string().regex(/^0x[0-9a-f]{96}$/, "must be a 0x public key")),
      nodes: z.array(
        z.object({
          shareIndex: z.number().int().positive(),
          keystoresDir: z.string().optional(),
          operatorKeyFile: z.string().optional(),
        }),
      ),
    })
    .loose()
    .optional(),
});

/** The devnet.json beside a devnet's network.json (`<data dir>/devnet/devnet.json`). */
export async function readDevnetFile(file: string): Promise<DevnetDescription> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    throw new UserInputError(
      `devnet file ${file} cannot be read: start the devnet with "operator devnet" (with the same --data-dir) and keep it running`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new UserInputError(
      `devnet file ${file} is not valid JSON: restart "operator devnet" to write it again`,
    );
  }
  const parsed = DevnetFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UserInputError(
      `devnet file ${file}: field "${issue?.path.join(".") || "(root)"}" ${issue?.message ?? "is invalid"}; restart "operator devnet" to write it again`,
    );
  }
  return parsed.data as DevnetDescription;
}
