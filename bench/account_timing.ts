/**
 * Does the time an answer takes tell which account IDs have accounts? For each route
 * that takes an account ID from a stranger, 60 requests naming registered IDs and 60
 * naming unknown ones, interleaved in pairs of random order, each timed from request to
 * the last byte of the answer; then the medians and the Mann-Whitney U test's z (with
 * the tie correction). |z| < 3 and medians within 5 % of each other is the goal.
 *
 * The real app runs in this process (bench/in_process_service.ts), so the figures are
 * the service's own work without a network's noise. Messages a request queued for
 * delivery after its answer are let finish between samples, untimed: what a stranger
 * can time is the answer.
 *
 * Run alone (`deno run -A bench/account_timing.ts`) or from bench/http_load.ts, which
 * puts the report in BENCHMARKS.md.
 */
import { benchPasscode, startInProcessService } from "./in_process_service.ts";

const samplesPerSide = 60;

/** One route's figures. */
export interface TimingRow {
  route: string;
  knownMedianMs: number;
  unknownMedianMs: number;
  /** (known − unknown) / unknown. */
  medianDifference: number;
  z: number;
  statuses: string;
}

/** Whether a row meets the goal. */
export function indistinguishable(row: TimingRow): boolean {
  return Math.abs(row.z) < 3 && Math.abs(row.medianDifference) <= 0.05;
}

/**
 * The Mann-Whitney U statistic of `a` against `b` as a z score (normal approximation
 * with the tie correction): near 0 when neither side tends to be slower.
 */
export function mannWhitneyZ(a: number[], b: number[]): number {
  const all = [
    ...a.map((value) => ({ value, fromA: true })),
    ...b.map((value) => ({ value, fromA: false })),
  ].sort((x, y) => x.value - y.value);
  const n = all.length;
  let rankSumA = 0;
  let tieTerm = 0;
  for (let i = 0; i < n;) {
    let j = i;
    while (j + 1 < n && all[j + 1].value === all[i].value) j++;
    const rank = (i + j) / 2 + 1;
    const tied = j - i + 1;
    tieTerm += tied ** 3 - tied;
    for (let k = i; k <= j; k++) if (all[k].fromA) rankSumA += rank;
    i = j + 1;
  }
  const n1 = a.length;
  const n2 = b.length;
  const u = rankSumA - n1 * (n1 + 1) / 2;
  const mean = n1 * n2 / 2;
  const sigma = Math.sqrt(
    n1 * n2 / 12 * ((n + 1) - tieTerm / (n * (n - 1))),
  );
  return (u - mean) / sigma;
}

function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? sorted[middle]
    : (sorted[middle - 1] + sorted[middle]) / 2;
}

const round = (value: number, digits = 2) =>
  Math.round(value * 10 ** digits) / 10 ** digits;

/** Measures every route once, on a fresh service; returns one row per route. */
export async function measureAccountTiming(): Promise<TimingRow[]> {
  await using running = await startInProcessService();
  const { service, request, enrolled } = running;
  const run = crypto.randomUUID().slice(0, 8);
  const known = Array.from(
    { length: samplesPerSide },
    (_, i) => `known-${run}-${i}@example.com`,
  );
  const unknown = (route: number, i: number) =>
    `unknown-${run}-${route}-${i}@example.com`;
  for (const accountId of known) await enrolled(accountId);
  // A stranger who changes an ID to probe addresses needs a session and a factor
  // per try: these accounts' backup codes, ten each.
  const probers = [];
  for (let i = 0; i < Math.ceil(2 * samplesPerSide / 10); i++) {
    probers.push(await enrolled(`prober-${run}-${i}@example.com`));
  }
  const proofs = probers.flatMap((prober) =>
    prober.backupCodes.map((backupCode) => ({
      authorization: prober.authorization,
      backupCode,
    }))
  );

  const routes: {
    route: string;
    send(accountId: string, i: number): Promise<{ status: number }>;
    before?(accountId: string): Promise<unknown>;
  }[] = [
    {
      route: "POST /v1/login (wrong passcode)",
      send: (accountId) =>
        request("/v1/login", { accountId, passcode: "not the passcode 1" }),
    },
    {
      route: "POST /v1/recovery",
      send: (accountId) => request("/v1/recovery", { accountId }),
    },
    {
      route: "POST /v1/accounts",
      send: (accountId) =>
        request("/v1/accounts", { accountId, passcode: benchPasscode }),
    },
    {
      route: "POST /v1/recovery/reset (wrong code)",
      // A stranger can have a code sent for any ID first: both sides hold one.
      before: (accountId) => request("/v1/recovery", { accountId }),
      send: (accountId) =>
        request("/v1/recovery/reset", {
          accountId,
          code: "000000",
          newPasscode: "amber glacier folds 7 quiet maps",
          totp: "000000",
        }),
    },
    {
      route: "PUT /v1/account-id",
      send: (accountId, i) => {
        const { authorization, backupCode } = proofs[i];
        return request(
          "/v1/account-id",
          { newAccountId: accountId, passcode: benchPasscode, backupCode },
          { authorization },
          "PUT",
        );
      },
    },
  ];

  const rows: TimingRow[] = [];
  for (const [index, { route, send, before }] of routes.entries()) {
    const times = { known: [] as number[], unknown: [] as number[] };
    const statuses = new Map<string, number>();
    let proof = 0;
    for (let i = 0; i < samplesPerSide; i++) {
      const pair = [
        { side: "known" as const, accountId: known[i] },
        { side: "unknown" as const, accountId: unknown(index, i) },
      ];
      if (Math.random() < 0.5) pair.reverse();
      for (const { side, accountId } of pair) {
        await before?.(accountId);
        await service.deps.deliverer.settled();
        const started = performance.now();
        const { status } = await send(accountId, proof++);
        times[side].push(performance.now() - started);
        const label = `${side} ${status}`;
        statuses.set(label, (statuses.get(label) ?? 0) + 1);
        await service.deps.deliverer.settled();
      }
    }
    const knownMedian = median(times.known);
    const unknownMedian = median(times.unknown);
    rows.push({
      route,
      knownMedianMs: round(knownMedian),
      unknownMedianMs: round(unknownMedian),
      medianDifference: round(
        (knownMedian - unknownMedian) / unknownMedian,
        3,
      ),
      z: round(mannWhitneyZ(times.known, times.unknown)),
      statuses: [...statuses].map(([label, count]) => `${label}×${count}`)
        .join(", "),
    });
  }
  return rows;
}

/** The rows as a Markdown table. */
export function timingTable(rows: TimingRow[]): string {
  return [
    "| route | known median ms | unknown median ms | difference | z | goal met | statuses |",
    "| --- | ---: | ---: | ---: | ---: | --- | --- |",
    ...rows.map((row) =>
      `| ${row.route} | ${row.knownMedianMs} | ${row.unknownMedianMs} | ${
        round(row.medianDifference * 100, 1)
      } % | ${row.z} | ${
        indistinguishable(row) ? "yes" : "**no**"
      } | ${row.statuses} |`
    ),
  ].join("\n");
}

if (import.meta.main) {
  for (let run = 1; run <= 2; run++) {
    console.log(`run ${run}\n${timingTable(await measureAccountTiming())}\n`);
  }
}
