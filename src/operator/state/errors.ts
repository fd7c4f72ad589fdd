import { OperatorError, UserInputError } from "../../lib/errors.ts";

/** operator.db cannot be opened, migrated or read as expected. */
export class StateStoreError extends OperatorError {
  override name = "StateStoreError";
}

/** Another process holds the single-writer lock of operator.db. */
export class StateStoreLockedError extends UserInputError {
  override name = "StateStoreLockedError";
}

/**
 * A key is already in a registration that is open (signed, sent) or mined: signing another
 * transaction for it could register it twice.
 */
export class RegistrationConflictError extends OperatorError {
  override name = "RegistrationConflictError";
  readonly publicKey: string;
  readonly registrationId: number;
  constructor(publicKey: string, registrationId: number, status: string) {
    super(
      `validator ${publicKey} is already in registration ${registrationId} (${status}): settle that one first`,
    );
    this.publicKey = publicKey;
    this.registrationId = registrationId;
  }
}

/** A journal entry that is malformed, or a status change its current status does not allow. */
export class JournalStateError extends OperatorError {
  override name = "JournalStateError";
}

/**
 * operator.db holds the state of another chain than the one the service is pointed at (a devnet
 * restarted with the same data dir, endpoints of another chain): its deposits and journal would
 * be wrong there.
 */
export class StateStoreChainError extends UserInputError {
  override name = "StateStoreChainError";
}

/**
 * The PostgreSQL database of `start --db-url` belongs to another vault or chain: one database
 * holds the state of one vault, so that replicas of two vaults never share a journal or a lock.
 */
export class StateStoreBindingError extends UserInputError {
  override name = "StateStoreBindingError";
}
