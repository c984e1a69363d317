/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/// <reference lib="esnext" />
/**
 * Calls to the service's JSON API from the pages. Sessions are cookies; an expired
 * access token is refreshed here and only here, one refresh at a time, because two
 * racing refreshes with one token count as theft and end the session.
 */
import { t } from "./i18n.ts";

/** An RFC 9457 problem as the service sends it. */
export interface Problem {
  status: number;
  code: string;
  detail: string;
  lockedUntil?: string;
  holdUntil?: string;
  /** `invalid_credentials` at sign-in: failures left before the lock. */
  attemptsRemaining?: number;
  /** `settings_locked`: the end of a running unlock countdown, or null. */
  unlocksAt?: string | null;
  feedback?: string[];
  errors?: { path: string; message: string }[];
}

/** A refused request. */
export class ProblemError extends Error {
  constructor(readonly problem: Problem, readonly retryAfter: string | null) {
    super(problem.detail);
  }
}

/** The service's clock minus this browser's, as the last answer's `Date` said it. */
let serverOffsetMs = 0;

/**
 * The service's time now, in ms: what its times (a confirmation window's end) are
 * counted against, whatever this browser's clock says. `Date` has whole seconds.
 */
export function serverNow(): number {
  return Date.now() + serverOffsetMs;
}

let refreshing: Promise<boolean> | null = null;

function refreshOnce(): Promise<boolean> {
  refreshing ??= fetch("/v1/session/refresh", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: "{}",
  }).then((response) => response.ok).finally(() => {
    refreshing = null;
  });
  return refreshing;
}

async function send(method: string, path: string, body?: unknown) {
  const response = await fetch(path, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const date = Date.parse(response.headers.get("Date") ?? "");
  if (!Number.isNaN(date)) serverOffsetMs = date - Date.now();
  return response;
}

/** Sends a request; resolves to the JSON body (null for 204), throws ProblemError. */
// deno-lint-ignore no-explicit-any
export async function call<T = any>(
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  return (await request<T>(method, path, body)).data;
}

/**
 * As {@link call}, with the answer's headers too: some answers say part of what
 * happened in a header (`Withdrawal-Hold-Until`, `Date`).
 */
// deno-lint-ignore no-explicit-any
export async function request<T = any>(
  method: string,
  path: string,
  body?: unknown,
): Promise<{ data: T; headers: Headers }> {
  let response = await send(method, path, body);
  if (response.status === 401 && !path.startsWith("/v1/login")) {
    const problem = await response.clone().json().catch(() => null);
    if (problem?.code === "unauthenticated" && await refreshOnce()) {
      response = await send(method, path, body);
    }
  }
  if (response.status === 204) {
    return { data: null as T, headers: response.headers };
  }
  const data = await response.json().catch(() => null);
  if (!response.ok) {
    throw new ProblemError(
      data ?? {
        status: response.status,
        code: "internal",
        detail: t("common.problem.unexpectedAnswer"),
      },
      response.headers.get("Retry-After"),
    );
  }
  return { data: data as T, headers: response.headers };
}
