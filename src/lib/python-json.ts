/**
 * JSON text as Python's `json.dumps(value)` writes it with default settings (", " and ": "
 * separators, ASCII-only), so that files we write are byte-identical to the staking deposit CLI
 * and the Python operator. Key order is the object's insertion order.
 */
export function toPythonJson(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return `[${value.map(toPythonJson).join(", ")}]`;
  switch (typeof value) {
    case "string":
      return asciiString(value);
    case "number":
      if (!Number.isFinite(value)) throw new TypeError("cannot write a non-finite number as JSON");
      return String(value);
    case "bigint":
      return value.toString();
    case "boolean":
      return value ? "true" : "false";
    case "object": {
      const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
      return `{${entries.map(([k, v]) => `${asciiString(k)}: ${toPythonJson(v)}`).join(", ")}}`;
    }
    default:
      throw new TypeError(`cannot write a ${typeof value} as JSON`);
  }
}

function asciiString(text: string): string {
  return JSON.stringify(text).replace(
    /[\u007f-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}
