import { NotEnoughOracleApprovalsError } from "../oracles/oracle-client.ts";
import { RelayerNotReadyError } from "./relayer/relayer-client.ts";
import { type TaskOutcome, waitingFor } from "./status/outcome.ts";
import { GasPriceTooHighError, HotWalletFundsError } from "./tx/transaction-sender.ts";

/** The errors that mean "not now": the fee cap, the hot wallet's funds, too few oracles, a relayer still
 * collecting signatures. */
export function waitOf(error: unknown): TaskOutcome | undefined {
  if (error instanceof GasPriceTooHighError) return waitingFor("gas", error.message);
  if (error instanceof HotWalletFundsError) return waitingFor("funds", error.message);
  if (error instanceof NotEnoughOracleApprovalsError) return waitingFor("oracles", error.message);
  if (error instanceof RelayerNotReadyError) return waitingFor("relayer", error.message);
  return undefined;
}

/** For a task's catch: the wait an error means, else the error thrown on (a failure). */
export function waitOrThrow(error: unknown): TaskOutcome {
  const wait = waitOf(error);
  if (wait) return wait;
  throw error;
}
