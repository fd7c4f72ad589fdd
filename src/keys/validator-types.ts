/**
 * Withdrawal-credential prefixes of the validators a vault registers. Apart from
 * validator-entries.ts so that the CLI's --validator-type reads them without loading it.
 */
export const VALIDATOR_TYPES = ["0x01", "0x02"] as const;
