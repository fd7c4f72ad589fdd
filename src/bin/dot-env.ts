import { existsSync } from "node:fs";

/** Loads `.env` from the working directory (without overriding the environment), as the seeds describe. */
export function loadDotEnv(file = ".env"): void {
  if (existsSync(file)) process.loadEnvFile(file);
}
