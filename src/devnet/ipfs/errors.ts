import { OperatorError } from "../../lib/errors.ts";

/** A file the IPFS double cannot store the way `ipfs add --cid-version 1 --raw-leaves` would. */
export class IpfsContentError extends OperatorError {
  override name = "IpfsContentError";
}
