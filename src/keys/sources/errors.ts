import { UserInputError } from "../../lib/errors.ts";

/** A keystore file that cannot be read or is not an EIP-2335 keystore. */
export class InvalidKeystoreError extends UserInputError {
  override name = "InvalidKeystoreError";
  readonly file: string;
  constructor(file: string, reason: string, cause?: unknown) {
    super(
      `Invalid keystore format: ${file} (${reason}): replace it with a valid EIP-2335 keystore or move it out of the keystores dir`,
      { cause },
    );
    this.file = file;
  }
}

/** The password found for a keystore does not decrypt it. The message never holds the password. */
export class InvalidKeystorePasswordError extends UserInputError {
  override name = "InvalidKeystorePasswordError";
  readonly file: string;
  readonly passwordFile: string;
  constructor(file: string, passwordFile: string) {
    super(`Invalid password for keystore ${file}: check ${passwordFile}`);
    this.file = file;
    this.passwordFile = passwordFile;
  }
}

/** No password file applies to a keystore, or the one that applies cannot be read. */
export class KeystorePasswordFileError extends UserInputError {
  override name = "KeystorePasswordFileError";
}

/** Two keystore files hold the same public key. */
export class DuplicateKeystoreError extends UserInputError {
  override name = "DuplicateKeystoreError";
}
