// Drives the demo page in headless Chromium: two pages chat in two rooms, the ticker updates, orders go through an Avro
// topic both ways, and a page whose connection is cut resumes without losing or repeating a message. Run by BrowserIT
// with:
//   GATEWAY=http://127.0.0.1:PORT TOKEN_A=… TOKEN_B=… SCHEMA_ID=… SCREENSHOTS=target/browser node demo.spec.mjs
import { chromium } from "playwright-core";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";

const gateway = process.env.GATEWAY;
const screenshots = process.env.SCREENSHOTS || "target/browser";
mkdirSync(screenshots, { recursive: true });

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic",
    "--no-first-run", "--disable-component-update", "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"],
});
const failures = [];
let steps = 0;
function step(name, fn) {
  steps += 1;
  return fn().then(() => console.log(`ok - ${name}`), (error) => {
    failures.push(name);
    console.log(`not ok - ${name}\n  ${String(error.stack || error).split("\n").join("\n  ")}`);
  });
}

try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const alice = await context.newPage();
  const bob = await context.newPage();
  for (const [page, name] of [[alice, "alice"], [bob, "bob"]]) {
    page.on("console", (message) => { if (message.type() === "error") console.log(`[${name}] ${message.text()}`); });
  }
  await alice.goto(`${gateway}/#token=${process.env.TOKEN_A}`);
  await bob.goto(`${gateway}/#token=${process.env.TOKEN_B}`);
  const lobby = '#chat-list li[data-room="lobby"]';
  const chatText = (page) => page.$$eval(lobby, (items) => items.map((item) => item.dataset.text));
  const chatOffsets = (page) => page.$$eval(lobby, (items) => items.map((item) => item.dataset.offset));

  await step("both pages connect", async () => {
    await alice.waitForSelector("#state.open", { timeout: 20000 });
    await bob.waitForSelector("#state.open", { timeout: 20000 });
    for (const page of [alice, bob]) {
      for (const room of ["lobby", "kafka"]) {
        await page.waitForFunction((r) => document.querySelector("#log").textContent
          .includes(`subscribed to chat room ${r}`), room);
      }
    }
  });

  await step("two pages chat with each other", async () => {
    await alice.fill("#chat-input", "hello from alice");
    await alice.click("#chat-send");
    await bob.waitForFunction(() => [...document.querySelectorAll("#chat-list li")]
      .some((li) => li.dataset.text === "hello from alice"), null, { timeout: 15000 });
    await bob.fill("#chat-input", "hi alice, bob here");
    await bob.press("#chat-input", "Enter");
    await alice.waitForFunction(() => [...document.querySelectorAll("#chat-list li")]
      .some((li) => li.dataset.text === "hi alice, bob here"), null, { timeout: 15000 });
    await alice.waitForFunction(() => document.querySelector("#last-ack").textContent.startsWith("partition"));
    await alice.screenshot({ path: `${screenshots}/chat-alice.png` });
  });

  await step("two rooms of one channel: a message reaches its room only", async () => {
    await alice.click('#rooms button[data-room="kafka"]');
    await alice.fill("#chat-input", "kafka talk");
    await alice.click("#chat-send");
    // Bob is in the lobby: the message waits in the kafka room, counted as unread.
    await bob.waitForFunction(() => document.querySelector('#rooms button[data-room="kafka"] .unread')
      .textContent === "1", null, { timeout: 15000 });
    const inRooms = await bob.$$eval("#chat-list li", (items) => items
      .filter((li) => li.dataset.text === "kafka talk").map((li) => li.dataset.room));
    assert.deepEqual(inRooms, ["kafka"], "delivered once, to the kafka room");
    assert.equal(await bob.isVisible('#chat-list li[data-text="kafka talk"]'), false, "not shown in the lobby");
    await bob.click('#rooms button[data-room="kafka"]');
    assert.equal(await bob.isVisible('#chat-list li[data-text="kafka talk"]'), true, "shown in its room");
    await bob.screenshot({ path: `${screenshots}/rooms-bob.png` });
    await bob.click('#rooms button[data-room="lobby"]');
    await alice.click('#rooms button[data-room="lobby"]');
  });

  await step("the ticker updates", async () => {
    await alice.waitForFunction(() => [...document.querySelectorAll("#ticker tbody tr")]
      .some((row) => Number(row.dataset.updates) >= 3), null, { timeout: 20000 });
    const rows = await alice.$$eval("#ticker tbody tr", (trs) => trs.map((tr) => tr.dataset.symbol));
    assert.ok(rows.includes("EURUSD"), `ticker rows: ${rows}`);
    await alice.screenshot({ path: `${screenshots}/ticker.png` });
  });

  await step("an order placed on one page reaches the other through the Avro topic, as JSON", async () => {
    await alice.waitForSelector("#orders:not([hidden])", { timeout: 20000 });
    await bob.waitForSelector("#orders:not([hidden])", { timeout: 20000 });
    await alice.fill("#order-amount", "42.5");
    await alice.selectOption("#order-currency", "USD");
    await alice.fill("#order-note", "rush");
    await alice.click("#order-send");
    const placed = await bob.waitForFunction(() => [...document.querySelectorAll("#orders-list li")]
      .find((li) => li.dataset.id.startsWith("alice-") && li.textContent.includes("42.50 USD · rush")), null,
    { timeout: 15000 });
    assert.equal(await placed.evaluate((li) => li.dataset.schema), process.env.SCHEMA_ID, "the writer schema's id");
    assert.equal(await alice.isVisible("#order-error"), false);
  });

  await step("a backend's Avro records are shown decoded", async () => {
    await bob.waitForFunction(() => [...document.querySelectorAll("#orders-list li")]
      .some((li) => li.dataset.id.startsWith("backend-") && li.textContent.includes("EUR · from a backend")), null,
    { timeout: 15000 });
    await bob.screenshot({ path: `${screenshots}/orders-bob.png` });
  });

  await step("an order the schema cannot hold is refused, naming the field", async () => {
    await alice.selectOption("#order-currency", "GBP");
    await alice.click("#order-send");
    await alice.waitForSelector("#order-error:not([hidden])", { timeout: 15000 });
    const error = await alice.textContent("#order-error");
    assert.match(error, /^schema_mismatch: .*currency/, error);
    await alice.screenshot({ path: `${screenshots}/order-refused.png` });
    await alice.selectOption("#order-currency", "EUR");
  });

  await step("a cut connection resumes without losing or repeating a message", async () => {
    const before = (await chatText(bob)).length;
    const lost = () => [...document.querySelectorAll("#log li")]
      .filter((item) => item.textContent.includes("connection lost")).length;
    const lostBefore = await bob.evaluate(lost);
    await bob.click("#cut");
    // The "reconnecting" state may last less than a frame (the first retry's delay is jittered down to nothing):
    // the page's log keeps the transition.
    await bob.waitForFunction(`(${lost})() > ${lostBefore}`, null, { timeout: 10000 });
    const sent = [];
    for (let i = 0; i < 10; i++) {
      const text = `while bob was away ${i}`;
      sent.push(text);
      await alice.evaluate((t) => window.passerelle.publish("chat", { text: t }, { key: "lobby" }), text);
    }
    await bob.waitForSelector("#state.open", { timeout: 30000 });
    await bob.waitForFunction((expected) => document.querySelectorAll('#chat-list li[data-room="lobby"]').length
      >= expected,
      before + sent.length, { timeout: 20000 });
    await bob.waitForTimeout(1000); // anything repeated would arrive now
    const texts = await chatText(bob);
    const offsets = await chatOffsets(bob);
    assert.deepEqual(texts.slice(before), sent, "every message once, in order");
    assert.equal(new Set(offsets).size, offsets.length, "no offset twice");
    await bob.waitForFunction(() => document.querySelector("#log").textContent.includes("reconnected"));
    await bob.screenshot({ path: `${screenshots}/resumed-bob.png` });
  });
} finally {
  await browser.close();
}
console.log(`${steps - failures.length} passed, ${failures.length} failed`);
process.exit(failures.length === 0 ? 0 : 1);
