import { homedir } from "node:os";
import { join } from "node:path";

/** Where vault dirs live unless --data-dir says otherwise (the Python operator's ~/.stakewise). */
export const DEFAULT_DATA_DIR = join(homedir(), ".stakewise");
