import { createLogWriter } from "../../../lib/runtime/log_writer.ts";
import { assertEquals } from "../../helpers/assert.ts";

Deno.test("log records written together become one write, in order, as JSON lines", async () => {
  const writes: string[] = [];
  const decoder = new TextDecoder();
  const writer = createLogWriter(
    (bytes) => {
      writes.push(decoder.decode(bytes));
      return Promise.resolve(bytes.length);
    },
    { now: () => new Date(0) },
  );
  writer.log({ msg: "one" });
  writer.log({ msg: "two", status: 200 });
  await writer.flush();
  writer.log({ msg: "three" });
  await writer.flush();
  assertEquals(writes, [
    '{"time":"1970-01-01T00:00:00.000Z","msg":"one"}\n' +
    '{"time":"1970-01-01T00:00:00.000Z","msg":"two","status":200}\n',
    '{"time":"1970-01-01T00:00:00.000Z","msg":"three"}\n',
  ]);
});

Deno.test("a partial write is continued until every byte is out", async () => {
  const received: number[] = [];
  const writer = createLogWriter((bytes) => {
    received.push(...bytes.subarray(0, 5));
    return Promise.resolve(Math.min(5, bytes.length));
  }, { now: () => new Date(0) });
  writer.log({ msg: "a longer line than five bytes" });
  await writer.flush();
  assertEquals(
    new TextDecoder().decode(new Uint8Array(received)),
    '{"time":"1970-01-01T00:00:00.000Z","msg":"a longer line than five bytes"}\n',
  );
});

Deno.test("lines wait to share a write; an error goes out at once with them", async () => {
  const writes: string[] = [];
  const decoder = new TextDecoder();
  const writer = createLogWriter((bytes) => {
    writes.push(decoder.decode(bytes));
    return Promise.resolve(bytes.length);
  }, { now: () => new Date(0), delayMs: 60_000 });
  writer.log({ level: "info", msg: "waits" });
  await new Promise((resolve) => setTimeout(resolve, 10));
  assertEquals(writes, []);
  writer.log({ level: "error", msg: "at once" });
  await new Promise((resolve) => setTimeout(resolve, 10));
  assertEquals(writes, [
    '{"time":"1970-01-01T00:00:00.000Z","level":"info","msg":"waits"}\n' +
    '{"time":"1970-01-01T00:00:00.000Z","level":"error","msg":"at once"}\n',
  ]);
  await writer.flush();
});

Deno.test("a long backlog is written without waiting for the delay", async () => {
  const writes: string[] = [];
  const writer = createLogWriter((bytes) => {
    writes.push(new TextDecoder().decode(bytes));
    return Promise.resolve(bytes.length);
  }, { now: () => new Date(0), delayMs: 60_000, maxPendingChars: 200 });
  for (let i = 0; i < 5; i++) writer.log({ level: "info", msg: `line ${i}` });
  await new Promise((resolve) => setTimeout(resolve, 10));
  assertEquals(writes.length, 1);
  assertEquals(writes[0].split("\n").length - 1, 4);
  await writer.flush();
  assertEquals(writes.length, 2);
});

Deno.test("a waiting line is written when its delay is over, and an earlier flush's timer writes nothing early", async () => {
  const writes: string[] = [];
  const writer = createLogWriter((bytes) => {
    writes.push(new TextDecoder().decode(bytes));
    return Promise.resolve(bytes.length);
  }, { now: () => new Date(0), delayMs: 300 });
  const sleep = (ms: number) =>
    new Promise((resolve) => setTimeout(resolve, ms));
  writer.log({ msg: "flushed" });
  await writer.flush();
  await sleep(150);
  writer.log({ msg: "waits" });
  // The first line's delay ends now; it must not take the second line with it.
  await sleep(250);
  assertEquals(writes.length, 1);
  await sleep(250);
  assertEquals(writes, [
    '{"time":"1970-01-01T00:00:00.000Z","msg":"flushed"}\n',
    '{"time":"1970-01-01T00:00:00.000Z","msg":"waits"}\n',
  ]);
});
