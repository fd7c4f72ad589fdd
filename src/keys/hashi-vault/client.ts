import { z } from "zod";
import { isAbortError } from "../../lib/aborted.ts";
import { OperatorError } from "../../lib/errors.ts";
import { EndpointRequestError } from "../../lib/http/errors.ts";
import { httpJson, parseAnswer } from "../../lib/http/request.ts";
import type { Logger } from "../../lib/logger.ts";
import { redactUrl, sanitizeText } from "../../lib/sanitize.ts";
import { HashiVaultAccessError, HashiVaultNotFoundError, HashiVaultRequestError } from "./errors.ts";

export interface HashiVaultClientOptions {
  url: string;
  token: string;
  namespace: string | undefined;
  timeoutMs: number;
}

export interface HashiVaultClientDeps {
  /** Default the global fetch; tests pass a double. */
  fetch?: typeof globalThis.fetch;
  signal?: AbortSignal;
  logger: Logger;
}

/** What a request is for, so that its errors name the user's input and the fix. */
export interface VaultRequestAbout {
  /** E.g. `key path "validators/batch1"`. */
  subject: string;
  /** The 404 fix, e.g. "check --hashi-vault-key-path and --hashi-vault-engine-name". */
  notFoundHint: string;
  /** The policy capability the request needs: "read" or "list". */
  capability: "read" | "list";
  /** Replaces the default 403 fix ("check --hashi-vault-token and the policy"). */
  forbiddenHint?: string;
}

const envelopeSchema = z.looseObject({
  data: z.record(z.string(), z.unknown()).nullish(),
  errors: z.array(z.unknown()).nullish(),
});

/**
 * Vault's HTTP API as the key loader uses it: GET (and list as `GET …?list=true`, which Vault
 * documents as the same as the `LIST` method and which proxies pass), the token as the
 * `X-Vault-Token` header only, and each failure turned into one line naming the path and the fix.
 * Requests go through the one HTTP layer (lib/http/), whose errors never show a header: the token
 * never appears in a URL, an error or a log entry.
 */
export class HashiVaultClient {
  readonly #options: HashiVaultClientOptions;
  readonly #deps: HashiVaultClientDeps;

  constructor(options: HashiVaultClientOptions, deps: HashiVaultClientDeps) {
    this.#options = options;
    this.#deps = deps;
  }

  /** The shown address: scheme, host and port only. */
  get displayUrl(): string {
    return redactUrl(this.#options.url);
  }

  /** `GET /v1/{apiPath}` → the response's `data` object. */
  read(apiPath: string, about: VaultRequestAbout): Promise<Record<string, unknown>> {
    return this.#request(apiPath, false, about);
  }

  /** `LIST /v1/{apiPath}` → `data.keys`. */
  async list(apiPath: string, about: VaultRequestAbout): Promise<string[]> {
    const data = await this.#request(apiPath, true, about);
    const keys = z.array(z.string()).safeParse(data.keys);
    if (!keys.success) {
      throw new HashiVaultRequestError(
        `HashiCorp Vault at ${this.displayUrl} answered the list of ${about.subject} without a list of keys`,
      );
    }
    return keys.data;
  }

  async #request(apiPath: string, list: boolean, about: VaultRequestAbout): Promise<Record<string, unknown>> {
    const encoded = apiPath
      .split("/")
      .map((segment) => encodeURIComponent(segment))
      .join("/");
    const path = `/v1/${encoded}${list ? "?list=true" : ""}`;
    const headers: Record<string, string> = { "x-vault-token": this.#options.token };
    if (this.#options.namespace !== undefined) headers["x-vault-namespace"] = this.#options.namespace;
    let body: z.output<typeof envelopeSchema>;
    try {
      const json = await httpJson(this.#options.url, path, {
        headers,
        timeoutMs: this.#options.timeoutMs,
        signal: this.#deps.signal,
        fetch: this.#deps.fetch,
      });
      body = parseAnswer(envelopeSchema, this.#options.url, path, json);
    } catch (error) {
      throw this.#describe(error, apiPath, about);
    }
    if (!body.data) {
      const errors = vaultErrorText(body.errors);
      this.#deps.logger.error("HashiCorp Vault returned no data", {
        path: apiPath,
        errors: errors || "(none)",
      });
      throw new HashiVaultRequestError(
        `HashiCorp Vault at ${this.displayUrl} returned no data for ${about.subject} (${apiPath})${errors ? `: ${errors}` : ""}`,
      );
    }
    return body.data;
  }

  #describe(error: unknown, apiPath: string, about: VaultRequestAbout): Error {
    const where = `${about.subject} (${apiPath})`;
    if (this.#deps.signal?.aborted || isAbortError(error)) return error as Error;
    if (!(error instanceof EndpointRequestError)) {
      if (error instanceof OperatorError) return error;
      return new HashiVaultRequestError(`reading ${where} from HashiCorp Vault failed`, { cause: error });
    }
    const { failure } = error;
    if (error.kind === "network" || error.kind === "timeout") {
      return new HashiVaultRequestError(
        `cannot reach HashiCorp Vault at ${this.displayUrl} (failed: ${failure.reason}) to read ${where}: check --hashi-vault-url and that Vault is up`,
        { retryable: true, cause: error },
      );
    }
    if (error.kind === "http") {
      const errors = vaultErrorText(parseErrors(error.body ?? ""));
      const said = errors ? `: ${errors}` : "";
      if (error.status === 403) {
        return new HashiVaultAccessError(
          `HashiCorp Vault denied access to ${where} (HTTP 403${said}): ${about.forbiddenHint ?? `check --hashi-vault-token and that the token's policy grants "${about.capability}" on ${apiPath}`}`,
          { cause: error },
        );
      }
      if (error.status === 404) {
        return new HashiVaultNotFoundError(`HashiCorp Vault has no ${where}: ${about.notFoundHint}`, {
          cause: error,
        });
      }
      return new HashiVaultRequestError(
        `HashiCorp Vault at ${this.displayUrl} answered HTTP ${error.status} for ${where}${said}`,
        { retryable: error.retryable, cause: error },
      );
    }
    return new HashiVaultRequestError(
      `HashiCorp Vault at ${this.displayUrl} returned an invalid response for ${where}: ${failure.reason}`,
      { cause: error },
    );
  }
}

/** Vault's `errors` array as one sanitized line ("permission denied; …"). */
export function vaultErrorText(errors: unknown): string {
  if (!Array.isArray(errors)) return "";
  return sanitizeText(
    errors
      .map((item) => (typeof item === "string" ? item : JSON.stringify(item)))
      .map((text) => text.replace(/\s+/g, " ").trim())
      .filter((text) => text !== "")
      .join("; "),
  ).slice(0, 300);
}

function parseErrors(body: string): unknown {
  try {
    return (JSON.parse(body) as { errors?: unknown }).errors;
  } catch {
    return undefined;
  }
}
