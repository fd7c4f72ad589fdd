/** The helper commands' side of the devnet control endpoint: control.json, then one HTTP call. */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { OperatorError, UserInputError } from "../../lib/errors.ts";
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
  let response: Response;
  try {
    response = await fetch(`${control.url}${path}`, {
      method: "POST",
      headers: { authorization: `Bearer ${control.token}`, "content-type": "application/json" },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(120_000),
    });
  } catch (cause) {
    throw new UserInputError(
      `the devnet of ${file} is not running (${control.url} does not answer): ${NOT_RUNNING}`,
      { cause },
    );
  }
  const answer = (await response.json().catch(() => ({}))) as T & { message?: string };
  if (response.status === 400) throw new UserInputError(`the devnet refused: ${answer.message}`);
  if (!response.ok) {
    throw new OperatorError(`the devnet could not do it: ${answer.message ?? `HTTP ${response.status}`}`);
  }
  return answer;
}
