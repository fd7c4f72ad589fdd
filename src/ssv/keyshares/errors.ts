import { OperatorError, UserInputError } from "../../lib/errors.ts";

/** An SSV operator's RSA public key that cannot be used: not parseable, not RSA, too short. */
export class InvalidOperatorKeyError extends OperatorError {
  override name = "InvalidOperatorKeyError";
  readonly operatorId: bigint;
  constructor(operatorId: bigint, problem: string) {
    super(`SSV operator ${operatorId}: its public key ${problem}`);
    this.operatorId = operatorId;
  }
}

/** Operator ids that cannot form an SSV cluster: a size not 3f + 1, unsorted, repeated, not uint64. */
export class ClusterOperatorIdsError extends UserInputError {
  override name = "ClusterOperatorIdsError";
}

/** A sharesData blob whose length does not fit the cluster size (96 + 304·n bytes). */
export class SharesDataError extends OperatorError {
  override name = "SharesDataError";
}

/** A keyshares.json that is not the format ssv-keys v1.1/v1.2 writes; the message names file and field. */
export class KeysharesFileError extends UserInputError {
  override name = "KeysharesFileError";
}

/** A cluster owner address or owner nonce that cannot be signed for. */
export class InvalidOwnerError extends UserInputError {
  override name = "InvalidOwnerError";
}

/** An operator's share in a sharesData blob that cannot be used: bad padding, bad plaintext, wrong key. */
export class ShareDecryptError extends OperatorError {
  override name = "ShareDecryptError";
}

/** An SSV operator private key file that cannot be read: not a PEM, wrong password, not matching pubKey. */
export class OperatorPrivateKeyError extends UserInputError {
  override name = "OperatorPrivateKeyError";
}
