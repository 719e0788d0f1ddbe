// The JavaScript client in Node against the real gateway and Kafka, run by NodeClientTest (which starts them and
// passes the addresses and tokens in the environment). Imported by the package's own name: through `exports`.
import { test } from "node:test";
import assert from "node:assert/strict";
import WebSocket from "ws";
import { PasserelleClient, PasserelleError } from "passerelle-client";

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: NodeClientTest runs this file`);
  return value;
};
const GATEWAY = env("GATEWAY_WS");
const clients = [];

function client(options) {
  const made = new PasserelleClient(GATEWAY, { WebSocket, initialDelay: 20, maxDelay: 200, ...options });
  clients.push(made);
  return made;
}

function inbox() {
  const items = [];
  let wake = () => {};
  const push = (item) => {
    items.push(item);
    wake();
  };
  push.items = items;
  push.until = async (count, ms = 20000) => {
    const deadline = Date.now() + ms;
    while (items.length < count) {
      if (Date.now() > deadline) throw new Error(`expected ${count} items, got ${items.length}`);
      await new Promise((resolve) => {
        wake = resolve;
        setTimeout(resolve, 50);
      });
    }
    return items;
  };
  return push;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(what, condition, ms = 20000) {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("timed out waiting for " + what);
    await sleep(20);
  }
}

async function admin(method, path) {
  const response = await fetch(env("GATEWAY_HTTP") + path, {
    method,
    headers: { Authorization: "Bearer " + env("ADMIN_TOKEN") },
  });
  assert.ok(response.status < 300, `${method} ${path}: ${response.status}`);
  return response.status === 200 ? response.json() : null;
}

test.after(() => clients.forEach((c) => c.close()));

// First: the short token was made just before this file started.
test("an expiring token is refreshed through getToken without a reconnect", async () => {
  const tokens = [env("TOKEN_SHORT"), env("TOKEN_LONG")];
  let asked = 0;
  const refreshing = client({ getToken: async () => tokens[Math.min(asked++, 1)] });
  const states = inbox();
  refreshing.onState(states);
  await refreshing.connect();
  const expiresAt = JSON.parse(Buffer.from(tokens[0].split(".")[1], "base64url")).exp * 1000;
  await sleep(expiresAt - Date.now() + 1500); // past the first token's expiry
  assert.equal(asked, 2);
  assert.equal(refreshing.state, "open");
  assert.ok(!states.items.includes("reconnecting"), states.items.join());
  await refreshing.publish(env("TOPIC_ONE"), "still here");
});

test("a publish resolves with Kafka's ack, a refusal rejects with the protocol's code", async () => {
  const topic = env("TOPIC_ONE");
  const publisher = client({ token: env("TOKEN_PUBLISHER") });
  const ack = await publisher.publish(topic, { sku: "A", qty: 3 }, { key: "k-1" });
  assert.equal(ack.type, "ack");
  assert.equal(ack.channel, topic);
  assert.equal(typeof ack.offset, "number");
  await assert.rejects(publisher.publish("not-granted", 1), (error) => {
    assert.ok(error instanceof PasserelleError);
    assert.equal(error.code, "forbidden");
    assert.equal(error.details.type, "error");
    return true;
  });
});

test("subscriptions start earliest, at offsets or latest, and each gets its own events", async () => {
  const topic = env("TOPIC_ONE");
  const publisher = client({ token: env("TOKEN_PUBLISHER") });
  const subscriber = client({ token: env("TOKEN_SUBSCRIBER") });
  for (const n of [1, 2, 3]) await publisher.publish(topic, { n }, { key: "start" });
  const earliest = inbox();
  const fromOffset = inbox();
  const latest = inbox();
  const all = await subscriber.subscribe(topic, earliest, { id: "all", from: "earliest" });
  assert.equal(all.id, "all");
  const starts = () => earliest.items.filter((e) => e.key === "start");
  await waitFor("the three records from the earliest offset", () => starts().length === 3);
  const first = starts()[0];
  await subscriber.subscribe(topic, fromOffset, { key: "start", from: { offsets: { 0: first.offset + 1 } } });
  await subscriber.subscribe(topic, latest, { keyPrefix: "late" });
  assert.deepEqual((await fromOffset.until(2)).map((e) => e.data.n), [2, 3]);
  await publisher.publish(topic, { n: 4 }, { key: "later" });
  assert.deepEqual((await latest.until(1)).map((e) => e.data.n), [4]);
  await waitFor("the later record on the earliest subscription too", () => earliest.items.some((e) => e.key === "later"));
  assert.ok(earliest.items.every((e) => e.subscription === "all"));
  assert.equal(subscriber.positions("all")["0"], earliest.items.at(-1).offset + 1);
});

test("after a connection cut every subscription resumes with no gap and no duplicate", async () => {
  const topic = env("TOPIC_TWO");
  const publisher = client({ token: env("TOKEN_PUBLISHER") });
  let gate = null;
  const subscriber = client({
    getToken: async () => {
      if (gate) await gate.promise;
      return env("TOKEN_RESUMER");
    },
  });
  const states = inbox();
  subscriber.onState(states);
  const events = inbox();
  await subscriber.subscribe(topic, events);
  const publish = async (from, to) => {
    for (let i = from; i < to; i++) await publisher.publish(topic, i, { key: "k" + i });
  };
  await publish(0, 6);
  await events.until(6);

  let release;
  gate = { promise: new Promise((resolve) => (release = resolve)) };
  const [connection] = await admin("GET", "/connections?user=" + env("RESUMER"));
  await admin("DELETE", "/connections/" + connection.id);
  await waitFor("reconnecting", () => subscriber.state === "reconnecting");
  await publish(6, 12); // while it is away
  gate = null;
  release();
  await waitFor("open again", () => subscriber.state === "open");
  await publish(12, 18);

  await events.until(18);
  await sleep(500);
  assert.equal(events.items.length, 18, "no duplicate");
  assert.deepEqual(new Set(events.items.map((e) => e.data)), new Set([...Array(18).keys()]));
  for (const partition of [0, 1]) {
    const offsets = events.items.filter((e) => e.partition === partition).map((e) => e.offset);
    assert.deepEqual(offsets, [...offsets.keys()], `partition ${partition} in order from 0 without a gap`);
  }
  assert.ok(states.items.includes("reconnecting"));
});

