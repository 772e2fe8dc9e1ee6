/**
 * Reading an event's fields with their types checked. A field of the wrong type throws
 * {@link MalformedEventError} naming it (the handler answers 400); text follows the event text rule
 * (its UTF-8 bytes, as latin-1 code units).
 * @module
 */
import { utf8ToLatin1 } from "../../core/gateway.ts";
import { MalformedEventError } from "./errors.ts";
import type { JsonObject } from "./types.ts";

const typeName = (value: unknown): string =>
  value === null ? "null" : Array.isArray(value) ? "an array" : `a ${typeof value}`;

/**
 * Whether `value` is a plain JSON object (not null, not an array).
 *
 * @example
 * ```ts
 * isObject([]); // false
 * ```
 */
export const isObject = (value: unknown): value is JsonObject =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * A string field, or undefined when it is absent or null; anything else is malformed.
 *
 * @example
 * ```ts
 * optionalString(rc.stage, "requestContext.stage"); // throws MalformedEventError for {}
 * ```
 */
export function optionalString(value: unknown, field: string): string | undefined {
  if (typeof value === "string") return value;
  if (value == null) return undefined;
  throw new MalformedEventError(field, `is ${typeName(value)}, not a string`);
}

/**
 * A string field as its UTF-8 bytes (the event text rule), or undefined when absent.
 *
 * @example
 * ```ts
 * optionalText("caf\u00e9", "headers.x"); // "caf\u00c3\u00a9"
 * ```
 */
export function optionalText(value: unknown, field: string): string | undefined {
  const text = optionalString(value, field);
  return text === undefined ? undefined : utf8ToLatin1(text);
}

/**
 * An object field, or undefined when absent or null; anything else is malformed.
 *
 * @example
 * ```ts
 * optionalObject(rc.identity, "requestContext.identity")?.sourceIp;
 * ```
 */
export function optionalObject(value: unknown, field: string): JsonObject | undefined {
  if (isObject(value)) return value;
  if (value == null) return undefined;
  throw new MalformedEventError(field, `is ${typeName(value)}, not an object`);
}

/**
 * A boolean field, false when absent or null; anything else is malformed.
 *
 * @example
 * ```ts
 * optionalFlag(event.isBase64Encoded, "isBase64Encoded"); // false when absent
 * ```
 */
export function optionalFlag(value: unknown, field: string): boolean {
  if (typeof value === "boolean") return value;
  if (value == null) return false;
  throw new MalformedEventError(field, `is ${typeName(value)}, not a boolean`);
}

/**
 * Calls `add` for each value of `values`: one string, or a list of strings (null entries skipped).
 *
 * @example
 * ```ts
 * eachValue(["a", "b"], "multiValueHeaders.x", (value) => pairs.push(["x", value]));
 * ```
 */
export function eachValue(values: unknown, field: string, add: (value: string) => void): void {
  if (typeof values === "string") add(values);
  else if (Array.isArray(values)) {
    for (let i = 0; i < values.length; i++) {
      const value: unknown = values[i];
      if (typeof value === "string") add(value);
      else if (value != null)
        throw new MalformedEventError(`${field}[${i}]`, `is ${typeName(value)}, not a string`);
    }
  } else if (values != null) throw new MalformedEventError(field, `is ${typeName(values)}, not a string`);
}
