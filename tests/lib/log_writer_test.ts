import { createLogWriter } from "../../lib/log_writer.ts";
import { assertEquals } from "../helpers/assert.ts";

Deno.test("log records written together become one write, in order, as JSON lines", async () => {
  const writes: string[] = [];
  const decoder = new TextDecoder();
  const writer = createLogWriter(
    (bytes) => {
      writes.push(decoder.decode(bytes));
      return Promise.resolve(bytes.length);
    },
    () => new Date(0),
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
  }, () => new Date(0));
  writer.log({ msg: "a longer line than five bytes" });
  await writer.flush();
  assertEquals(
    new TextDecoder().decode(new Uint8Array(received)),
    '{"time":"1970-01-01T00:00:00.000Z","msg":"a longer line than five bytes"}\n',
  );
});
