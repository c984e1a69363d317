/**
 * OpenTelemetry as an operator gets it: main.ts with `OTEL_DENO=true` exports to an
 * OTLP/HTTP receiver on loopback (JSON encoding, so the test can read it). A failed and
 * a successful sign-in must arrive as the service's metrics, with Deno's spans, and the
 * log lines must carry the trace ids; no attribute may hold the account ID or address.
 */
import { assert, assertEquals } from "./helpers/assert.ts";
import { freePort, waitForServer } from "./helpers/net.ts";
import { totpCodeAt } from "../lib/crypto/totp.ts";

interface Attribute {
  key: string;
  value: Record<string, unknown>;
}
interface DataPoint {
  attributes?: Attribute[];
  asInt?: string | number;
  asDouble?: number;
}
interface Metric {
  name: string;
  sum?: { dataPoints: DataPoint[] };
  gauge?: { dataPoints: DataPoint[] };
}

/** An OTLP/HTTP receiver keeping what it gets, by signal. */
function startReceiver() {
  const received = {
    metrics: [] as Metric[],
    spans: [] as { traceId: string }[],
  };
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    async (request) => {
      const body = await request.json();
      const path = new URL(request.url).pathname;
      if (path === "/v1/metrics") {
        for (const resource of body.resourceMetrics ?? []) {
          for (const scope of resource.scopeMetrics ?? []) {
            received.metrics.push(...scope.metrics);
          }
        }
      } else if (path === "/v1/traces") {
        for (const resource of body.resourceSpans ?? []) {
          for (const scope of resource.scopeSpans ?? []) {
            received.spans.push(...scope.spans);
          }
        }
      }
      return Response.json({});
    },
  );
  return { url: `http://127.0.0.1:${server.addr.port}`, received, server };
}

/** The sum of a counter's points whose attributes include `match`. */
function counted(
  metrics: Metric[],
  name: string,
  match: Record<string, string>,
): number {
  let total = 0;
  for (const metric of metrics.filter((metric) => metric.name === name)) {
    for (const point of metric.sum?.dataPoints ?? []) {
      const attributes = Object.fromEntries(
        (point.attributes ?? []).map((a) => [a.key, a.value.stringValue]),
      );
      if (
        Object.entries(match).every(([key, value]) => attributes[key] === value)
      ) {
        // Cumulative counters: the latest export holds the running total.
        total = Math.max(total, Number(point.asInt ?? point.asDouble ?? 0));
      }
    }
  }
  return total;
}

Deno.test("sign-ins arrive at an OTLP receiver as metrics and spans, and log lines carry the trace ids", async () => {
  const receiver = startReceiver();
  const port = freePort();
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-net",
      "--allow-env",
      "--allow-read=.",
      "--allow-write=.data",
      "main.ts",
      "--dev",
    ],
    env: {
      PORT: String(port),
      DENO_KV_PATH: ":memory:",
      CAPTCHA_MODE: "off",
      OTEL_DENO: "true",
      OTEL_SERVICE_NAME: "exchange-login",
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
      OTEL_METRIC_EXPORT_INTERVAL: "300",
    },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const base = `http://127.0.0.1:${port}`;
  const post = async (path: string, body: unknown) => {
    const response = await fetch(`${base}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: await response.json() };
  };
  const codeFor = async (accountId: string) => {
    const outbox = await (await fetch(`${base}/dev/outbox`)).json();
    const message = outbox.find((m: { to: string }) => m.to === accountId);
    return /\b(\d{6})\b/.exec(message.text)![1];
  };
  const accountId = "olivia@example.com";
  const passcode = "a long and unguessable passcode 7!";
  let log = "";
  try {
    await (await waitForServer(`${base}/health`)).body?.cancel();
    const wrong = await post("/v1/login", {
      accountId: "nobody@example.com",
      passcode: "not the passcode",
    });
    assertEquals(wrong.status, 401);
    await post("/v1/accounts", { accountId, passcode });
    await post("/v1/accounts/verify", {
      accountId,
      code: await codeFor(accountId),
    });
    const ticket = (await post("/v1/login", { accountId, passcode })).body;
    // This client has no device cookie: the code sent to the address first.
    await post("/v1/login/device", {
      ticket: ticket.ticket,
      code: await codeFor(accountId),
    });
    const enrollment = (await post("/v1/login/totp/enroll", {
      ticket: ticket.ticket,
    })).body;
    const signedIn = await post("/v1/login/totp", {
      ticket: ticket.ticket,
      code: totpCodeAt(enrollment.secret, Date.now()),
      transport: "token",
    });
    assertEquals(signedIn.status, 200);

    const deadline = Date.now() + 10_000;
    const metrics = receiver.received.metrics;
    while (
      Date.now() < deadline &&
      counted(metrics, "login.sign_in.attempts", {
          step: "totp",
          outcome: "ok",
        }) <
        1
    ) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assertEquals(
      counted(metrics, "login.sign_in.attempts", {
        step: "passcode",
        outcome: "invalid_credentials",
      }),
      1,
    );
    assertEquals(
      counted(metrics, "login.sign_in.attempts", {
        step: "passcode",
        outcome: "ok",
      }),
      1,
    );
    assertEquals(
      counted(metrics, "login.sign_in.attempts", {
        step: "totp",
        outcome: "ok",
      }),
      1,
    );

    // The service's own metrics say nothing about who or where.
    const ours = JSON.stringify(
      metrics.filter((metric) => metric.name.startsWith("login.")),
    );
    for (const personal of [accountId, "nobody@example.com", "127.0.0.1"]) {
      assert(!ours.includes(personal), `${personal} in the metrics`);
    }
  } finally {
    child.kill("SIGTERM");
    const output = await child.output();
    log = new TextDecoder().decode(output.stdout);
    await receiver.server.shutdown();
  }
  // Spans leave in batches; the last one when the process stops.
  assert(receiver.received.spans.length > 0, "Deno's request spans arrive");
  const traceIds = new Set(receiver.received.spans.map((span) => span.traceId));
  const requestLines = log.split("\n").filter((line) =>
    line.includes('"msg":"request"')
  ).map((line) => JSON.parse(line));
  assert(requestLines.length > 0);
  assert(
    requestLines.every((line) => /^[0-9a-f]{32}$/.test(line.traceId)),
    "every request line has a trace id",
  );
  assert(
    requestLines.some((line) => traceIds.has(line.traceId)),
    "the log's trace ids are the exported spans'",
  );
});
