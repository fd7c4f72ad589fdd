/** The helper commands' side of the devnet control endpoint: control.json, then one HTTP call. */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { OperatorError, UserInputError } from "../../lib/errors.ts";
import { EndpointRequestError } from "../../lib/http/errors.ts";
import { httpJson } from "../../lib/http/request.ts";
import { CONTROL_FILE, type ControlFile } from "./control-server.ts";

const NOT_RUNNING = 'start it with "operator devnet" (with the same --data-dir) and keep it running';

/** POSTs `body` to `path` of the devnet running from `devnetDir`; its JSON answer, or one clear error. */
export async function callDevnetControl<T>(devnetDir: string, path: string, body: unknown): Promise<T> {
  const file = join(devnetDir, CONTROL_FILE);
  let control: ControlFile;
  try {
    control = JSON.parse(await readFile(file, "utf8")) as ControlFile;
  } catch {
    throw new UserInputError(`no devnet is running from ${devnetDir} (no ${CONTROL_FILE}): ${NOT_RUNNING}`);
  }
  try {
    return (await httpJson(control.url, path, {
      method: "POST",
      json: body,
      headers: { authorization: `Bearer ${control.token}` },
      // Replacing the oracle set is a few Keeper transactions: slow blocks take a while.
      timeoutMs: 120_000,
    })) as T;
  } catch (error) {
    if (!(error instanceof EndpointRequestError)) throw error;
    if (error.kind === "network") {
      throw new UserInputError(
        `the devnet of ${file} is not running (${control.url} does not answer): ${NOT_RUNNING}`,
        { cause: error },
      );
    }
    const message = messageOf(error.body) ?? error.shortMessage;
    if (error.status === 400) throw new UserInputError(`the devnet refused: ${message}`);
    throw new OperatorError(`the devnet could not do it: ${message}`, { cause: error });
  }
}

/** The control endpoint's `{ "message": … }` of an error answer. */
function messageOf(body: string | undefined): string | undefined {
  try {
    const message = (JSON.parse(body ?? "") as { message?: unknown }).message;
    return typeof message === "string" ? message : undefined;
  } catch {
    return undefined;
  }
}
