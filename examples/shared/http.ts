/**
 * Small response helpers the examples share. Platform-neutral: only the tsgi core.
 * @module
 */
import type { Body, HeaderList, StartResponse } from "tsgi";

const encoder = new TextEncoder();

/** The reason phrases the examples use. */
export const REASONS: Record<number, string> = {
  200: "OK",
  201: "Created",
  204: "No Content",
  400: "Bad Request",
  404: "Not Found",
  405: "Method Not Allowed",
  413: "Content Too Large",
  500: "Internal Server Error",
};

/** Starts a response with `status` and returns `text` as its one chunk (so it gets a Content-Length). */
export function respond(
  startResponse: StartResponse,
  status: number,
  contentType: string,
  text: string,
  headers: HeaderList = [],
): Body {
  startResponse(`${status} ${REASONS[status] ?? "Unknown"}`, [["Content-Type", contentType], ...headers]);
  return status === 204 ? [] : [encoder.encode(text)];
}

/** A JSON response. */
export function json(
  startResponse: StartResponse,
  status: number,
  value: unknown,
  headers: HeaderList = [],
): Body {
  return respond(startResponse, status, "application/json", `${JSON.stringify(value)}\n`, headers);
}

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
