import { ClusterOperatorIdsError } from "./errors.ts";

/** The cluster sizes SSV accepts: n = 3f + 1 operators tolerating f faulty ones. */
export const SSV_CLUSTER_SIZES: readonly number[] = [4, 7, 10, 13];

const MAX_UINT64 = 2n ** 64n - 1n;

/** t = n − f: how many of an n-operator cluster's shares recover the key. */
export function clusterThreshold(size: number): number {
  if (!SSV_CLUSTER_SIZES.includes(size)) {
    throw new ClusterOperatorIdsError(
      `an SSV cluster has ${SSV_CLUSTER_SIZES.join(", ")} operators, not ${size}: choose one of those sizes`,
    );
  }
  return size - (size - 1) / 3;
}

/**
 * Checks the operator ids of one cluster as the SSV contract and the share split need them: a
 * size of 3f + 1, each id a uint64 ≥ 1 (id 0 would be the share x = 0, the key itself), strictly
 * ascending. Returns the threshold.
 */
export function checkClusterOperatorIds(ids: readonly bigint[]): number {
  const threshold = clusterThreshold(ids.length);
  const list = ids.join(", ");
  ids.forEach((id, i) => {
    if (id < 1n || id > MAX_UINT64) {
      throw new ClusterOperatorIdsError(
        `SSV operator ids ${list}: ${id} is not an operator id (1 … 2^64 − 1)`,
      );
    }
    const previous = ids[i - 1];
    if (previous === id) throw new ClusterOperatorIdsError(`SSV operator ids ${list}: ${id} appears twice`);
    if (previous !== undefined && previous > id) {
      throw new ClusterOperatorIdsError(
        `SSV operator ids ${list}: must be in ascending order (${previous} comes before ${id})`,
      );
    }
  });
  return threshold;
}
