/**
 * `operator devnet --dvt obol|ssv`: the simulated cluster's shape, checked once before anything
 * starts, each refusal one line naming the flag and the fix.
 */
import { UserInputError } from "../../lib/errors.ts";
import { SSV_CLUSTER_SIZES } from "../../ssv/keyshares/operator-ids.ts";

export type DvtClusterType = "obol" | "ssv";
/** v4: the relayer chooses the keys and signs as validators manager; legacy: exits only (spec A.0). */
export type DvtProtocol = "v4" | "legacy";

export interface DevnetDvtOptions {
  cluster: DvtClusterType;
  /** Distributed validators to make (default 3). */
  validators?: number;
  /** Nodes (Obol) or operators (SSV) in the cluster (default 4). */
  size?: number;
  /** Shares that make a signature (default ⌈2n/3⌉: 3 of 4, as charon and SSV choose). */
  threshold?: number;
  /** Default v4. */
  protocol?: DvtProtocol;
}

/** The options with their defaults. */
export interface DvtShape {
  cluster: DvtClusterType;
  validators: number;
  size: number;
  threshold: number;
  protocol: DvtProtocol;
}

/** What the rest of the devnet offers the cluster. */
export interface DvtHost {
  /** SSV operators the devnet registers (--ssv-operators). */
  ssvOperators: number;
  vaultVersion: number;
}

/** The default threshold of a cluster of `size`: ⌈2n/3⌉. */
export function defaultDvtThreshold(size: number): number {
  return Math.ceil((2 * size) / 3);
}

/** Checks the options against each other and the devnet; returns them with defaults. */
export function checkDvtOptions(options: DevnetDvtOptions, host: DvtHost): DvtShape {
  const size = options.size ?? 4;
  const threshold = options.threshold ?? defaultDvtThreshold(size);
  const shape: DvtShape = {
    cluster: options.cluster,
    validators: options.validators ?? 3,
    size,
    threshold,
    protocol: options.protocol ?? "v4",
  };
  if (!Number.isInteger(shape.validators) || shape.validators < 1) {
    throw new UserInputError(`--dvt-validators ${shape.validators} must be a whole number of 1 or more`);
  }
  if (!Number.isInteger(threshold) || threshold < 1 || threshold > size) {
    throw new UserInputError(
      `--dvt-threshold ${threshold} is not within the cluster: use a whole number from 1 to --cluster-size ${size}`,
    );
  }
  if (shape.cluster === "ssv") {
    if (!SSV_CLUSTER_SIZES.includes(size)) {
      throw new UserInputError(
        `--cluster-size ${size}: an SSV cluster has ${SSV_CLUSTER_SIZES.join(", ")} operators; choose one of those`,
      );
    }
    const ssvThreshold = size - (size - 1) / 3;
    if (threshold !== ssvThreshold) {
      throw new UserInputError(
        `--dvt-threshold ${threshold}: an SSV cluster of ${size} signs with ${ssvThreshold} operators; leave it out or pass ${ssvThreshold}`,
      );
    }
    if (host.ssvOperators < size) {
      throw new UserInputError(
        `--dvt ssv with --cluster-size ${size} needs ${size} SSV operators on the devnet, it has ${host.ssvOperators}: add --ssv-operators ${size}`,
      );
    }
  }
  if (shape.protocol === "v4" && host.vaultVersion < 5) {
    throw new UserInputError(
      `--dvt-protocol v4 needs a version-5 vault (the relayer signs as its validators manager), not --vault-version ${host.vaultVersion}: leave out --vault-version or pass --dvt-protocol legacy`,
    );
  }
  return shape;
}
