// Compiled by `tsc -p test/tsconfig.json` (run by NodeClientTest): the declarations resolve through the package's
// `exports`, describe what an application writes, and refuse what it must not.
import { PasserelleClient, PasserelleError } from "passerelle-client";
import type { AckFrame, EventFrame, ErrorCode, Subscription, ConnectionState } from "passerelle-client";

declare const token: string;
declare function log(...values: unknown[]): void;

async function main(): Promise<void> {
  const client = new PasserelleClient("wss://gateway.example.com/ws", { getToken: async () => token });
  const stop: () => void = client.onState((state: ConnectionState) => log(state));
  stop();

  const room: Subscription = await client.subscribe("chat", (event: EventFrame) => {
    const where: string = `${event.channel}/${event.partition}@${event.offset}`;
    log(where, event.subscription, event.key, event.data);
    const writer: number | undefined = event.schema?.id ?? event.keySchema?.id;
    if (event.keySchema?.error === "unknown_schema") log(writer, "key in base64:", event.keyEncoding);
  }, { id: "room-7", key: "room-7", from: { offsets: { "0": 42 } } });
  await room.unsubscribe();
  await client.subscribe("jobs", () => {}, { group: "workers", from: "earliest", keyPrefix: "eu/" });

  try {
    const ack: AckFrame = await client.publish("orders", { sku: "A", qty: 3 }, { key: "c-42", timeout: 5000 });
    log(ack.partition, ack.offset);
  } catch (error) {
    if (error instanceof PasserelleError) {
      const code: ErrorCode = error.code;
      if (code === "offset_out_of_range" && error.details?.available) log(error.details.available);
    }
  }
  client.on("message", (frame) => log(frame.data));
  client.on("reply", (frame) => log(frame.id));
  client.on("assigned", (frame) => log(frame.partitions.length));
  client.on("error", ({ channel, subscription, error }) => log(channel, subscription, error.code));
  await client.commit("jobs", 2, 41, "jobs");
  const next: number | undefined = client.positions("room-7")["0"];
  log(next);
  client.close();

  // @ts-expect-error a client needs a token or getToken's options object
  new PasserelleClient("wss://gateway.example.com/ws");
  // @ts-expect-error data is JSON: a function is not
  await client.publish("orders", () => 1);
  // @ts-expect-error "middle" is no start position
  await client.subscribe("chat", () => {}, { from: "middle" });
  // @ts-expect-error no such event
  client.on("events", () => {});
  // @ts-expect-error an unknown error code
  const wrong: ErrorCode = "oops";
  log(wrong);
}

main();
