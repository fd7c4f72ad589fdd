import { access } from "node:fs/promises";
import type { NetworkConfig } from "../../config/networks.ts";
import { readDepositDataFile } from "../../keys/deposit-data-file.ts";
import type { ExitSigner } from "../../keys/sources/exit-signer.ts";
import { UserInputError } from "../../lib/errors.ts";
import { toPrefixedHex } from "../../lib/hex.ts";
import type { Logger } from "../../lib/logger.ts";
import type { LegacyRelayerClient } from "./legacy-relayer-client.ts";
import { legacyRelayerKeys } from "./legacy-relayer-keys.ts";
import { checkRelayerFor } from "./relayer-checks.ts";

export interface OpenLegacyRelayerKeysParameters {
  relayer: LegacyRelayerClient;
  network: NetworkConfig;
  vault: `0x${string}`;
  depositDataFile: string;
  log: Logger;
  /** How often a repeated warning (the relayer's index differs) is logged: an epoch. */
  repeatMs?: number;
  signal?: AbortSignal;
}

/**
 * The startup checks of `start --relayer-endpoint … --relayer-protocol legacy`, then its key
 * source: the relayer answers GET /info for this network, and the deposit data file (made for the
 * distributed validators' keys) is there and is this vault's. Each failure is one line.
 */
export async function openLegacyRelayerKeys(p: OpenLegacyRelayerKeysParameters): Promise<ExitSigner> {
  const { relayer, network } = p;
  // A legacy relayer names no validators manager: the operator signs, or the deposit data root does.
  await checkRelayerFor(
    relayer,
    { network: network.name, manager: undefined, dropHint: "use --relayer-protocol v4" },
    p.signal,
  );
  try {
    await access(p.depositDataFile);
  } catch {
    throw new UserInputError(
      `deposit data file ${p.depositDataFile} does not exist: --relayer-protocol legacy registers the deposit data made for the distributed validators' keys (Obol or SSV tooling); pass it with --deposit-data-file, or use --relayer-protocol v4 when the relayer makes the validators`,
    );
  }
  const depositData = await readDepositDataFile(p.depositDataFile, { vault: p.vault, network });
  const publicKeys = depositData.map((e) => toPrefixedHex(e.publicKey));
  p.log.info("validator keys from the deposit data, exit signatures from the legacy relayer", {
    relayer: relayer.endpoint,
    depositDataFile: p.depositDataFile,
    keys: publicKeys.length,
  });
  return legacyRelayerKeys({
    relayer,
    publicKeys,
    log: p.log.child({ module: "legacy-relayer" }),
    ...(p.repeatMs ? { repeatMs: p.repeatMs } : {}),
  });
}
