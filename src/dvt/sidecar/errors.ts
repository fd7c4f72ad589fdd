import { OperatorError, UserInputError } from "../../lib/errors.ts";

/** Obol files that cannot be used: a keystore, its password file or the cluster-lock. One line naming the file. */
export class ObolClusterError extends UserInputError {
  override name = "ObolClusterError";
}

/** The relayer serves another network than the sidecar's --network. */
export class RelayerNetworkError extends UserInputError {
  override name = "RelayerNetworkError";
}

/** The SSV operator is not known to the SSV network contract, or its key is not the registered one. */
export class SsvOperatorError extends UserInputError {
  override name = "SsvOperatorError";
}

/** The sidecar's database cannot be used (another network's file, a newer schema). */
export class SidecarDbError extends OperatorError {
  override name = "SidecarDbError";
}
