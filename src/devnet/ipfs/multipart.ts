import { IpfsContentError } from "./errors.ts";

/** One part of a multipart/form-data body. */
export interface MultipartPart {
  /** Header names in lower case. */
  headers: Record<string, string>;
  /** The `name` of the Content-Disposition header. */
  fieldName: string | undefined;
  /** The `filename` of the Content-Disposition header, URL-decoded as Kubo does. */
  fileName: string | undefined;
  contentType: string | undefined;
  data: Uint8Array;
}

/** The boundary of a `multipart/form-data; boundary=…` content type, or undefined. */
export function multipartBoundary(contentType: string | undefined): string | undefined {
  if (!contentType || !/^multipart\/form-data\s*(;|$)/i.test(contentType)) return undefined;
  const match = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return match?.[1] ?? match?.[2];
}

/**
 * Splits a multipart body (RFC 7578) into its parts. Malformed bodies are an IpfsContentError: a
 * real Kubo answers them with a 400 too.
 */
export function parseMultipart(body: Uint8Array, boundary: string): MultipartPart[] {
  const buffer = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const delimiter = Buffer.from(`--${boundary}`);
  let position = buffer.indexOf(delimiter);
  if (position < 0) throw malformed("no boundary delimiter");
  const parts: MultipartPart[] = [];
  for (;;) {
    position += delimiter.length;
    if (buffer.subarray(position, position + 2).toString() === "--") return parts;
    if (buffer.subarray(position, position + 2).toString() !== "\r\n") throw malformed("bad delimiter line");
    position += 2;
    const headerEnd = buffer.indexOf("\r\n\r\n", position);
    if (headerEnd < 0) throw malformed("part headers do not end");
    const headers = parseHeaders(buffer.subarray(position, headerEnd).toString("utf8"));
    const dataStart = headerEnd + 4;
    const next = buffer.indexOf(Buffer.from(`\r\n--${boundary}`), dataStart);
    if (next < 0) throw malformed("no closing delimiter");
    parts.push(partOf(headers, new Uint8Array(buffer.subarray(dataStart, next))));
    position = next + 2;
  }
}

function parseHeaders(text: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of text.split("\r\n")) {
    if (line === "") continue;
    const colon = line.indexOf(":");
    if (colon <= 0) throw malformed(`bad part header "${line}"`);
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return headers;
}

function partOf(headers: Record<string, string>, data: Uint8Array): MultipartPart {
  const disposition = headers["content-disposition"] ?? "";
  const fileName = dispositionParameter(disposition, "filename");
  return {
    headers,
    fieldName: dispositionParameter(disposition, "name"),
    fileName: fileName === undefined ? undefined : safeDecode(fileName),
    contentType: headers["content-type"],
    data,
  };
}

function dispositionParameter(disposition: string, name: string): string | undefined {
  const match = new RegExp(`;\\s*${name}=(?:"([^"]*)"|([^;\\s]+))`, "i").exec(disposition);
  return match?.[1] ?? match?.[2];
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function malformed(reason: string): IpfsContentError {
  return new IpfsContentError("malformed multipart body", { details: reason });
}
