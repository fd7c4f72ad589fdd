import { httpUrl, wholeNumber } from "../../lib/values.ts";

/** --validator-index, --total-validators and --web3signer-endpoint, and their prompts (ValueParsers). */
export const validatorIndexValue = wholeNumber("a validator index", 0);
export const totalValidatorsValue = wholeNumber("a number of validators", 1);
export const web3signerUrlValue = httpUrl("http://web3signer:9000");
