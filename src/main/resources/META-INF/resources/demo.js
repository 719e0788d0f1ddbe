import { PasserelleClient } from "/passerelle-client.js";

const $ = (selector) => document.querySelector(selector);
const params = new URLSearchParams(location.hash.slice(1)); // the token stays in the fragment: never sent, never logged
let token = params.get("token") || sessionStorage.getItem("passerelle-token");

function subjectOf(jwt) {
  try {
    return JSON.parse(atob(jwt.split(".")[1].replace(/-/g, "+").replace(/_/g, "/"))).sub;
  } catch (error) {
    return "?";
  }
}

function log(text) {
  const item = document.createElement("li");
  item.textContent = `${new Date().toLocaleTimeString()}  ${text}`;
  $("#log").prepend(item);
}

function start() {
  sessionStorage.setItem("passerelle-token", token);
  const me = subjectOf(token);
  $("#user").textContent = me;
  $("#login").hidden = true;
  $("#app").hidden = false;

  const scheme = location.protocol === "https:" ? "wss" : "ws";
  const client = new PasserelleClient(`${scheme}://${location.host}/ws`, { getToken: async () => token });
  window.passerelle = client; // for the curious, and for the browser tests
  let events = 0;
  let wasOpen = false;
  // Rooms are keys of the one topic "chat": one subscription per room, each with its own id and key filter.
  const rooms = ["lobby", "kafka"];
  let room = "lobby";
  const unread = new Map(rooms.map((name) => [name, 0]));
  const showPositions = () => {
    $("#positions").textContent = `${room}: ${JSON.stringify(client.positions(`room-${room}`))}`;
  };
  const showRoom = (name) => {
    room = name;
    unread.set(name, 0);
    $("#chat-list").dataset.room = name;
    for (const button of document.querySelectorAll("#rooms button")) {
      button.classList.toggle("active", button.dataset.room === name);
      const count = unread.get(button.dataset.room);
      button.querySelector(".unread").textContent = count > 0 ? String(count) : "";
    }
    for (const item of document.querySelectorAll("#chat-list li")) {
      item.classList.toggle("in-room", item.dataset.room === name);
    }
    showPositions();
  };
  for (const button of document.querySelectorAll("#rooms button")) {
    button.addEventListener("click", () => showRoom(button.dataset.room));
  }

  client.onState((state) => {
    $("#state").textContent = state;
    $("#state").className = `badge ${state}`;
    $("#panel-state").textContent = state;
    if (state === "open" && wasOpen) {
      log(`reconnected; ${room} resumed from ${JSON.stringify(client.positions(`room-${room}`))}`);
    }
    if (state === "open") wasOpen = true;
    if (state === "reconnecting") log("connection lost; reconnecting…");
  });

  for (const name of rooms) {
    client.subscribe("chat", (event) => {
      events += 1;
      $("#events").textContent = events;
      const author = event.headers["passerelle-user"] || "?";
      const item = document.createElement("li");
      item.dataset.offset = `${event.partition}:${event.offset}`;
      item.dataset.text = event.data && event.data.text;
      item.dataset.room = name;
      item.className = author === me ? "mine" : "";
      item.classList.toggle("in-room", name === room);
      const who = document.createElement("span");
      who.className = "who";
      who.textContent = author;
      const meta = document.createElement("span");
      meta.className = "meta";
      meta.textContent = `p${event.partition} · #${event.offset}`;
      item.append(who, document.createTextNode(event.data && event.data.text), meta);
      $("#chat-list").append(item);
      $("#chat-list").scrollTop = $("#chat-list").scrollHeight;
      if (name !== room) {
        unread.set(name, unread.get(name) + 1);
        document.querySelector(`#rooms button[data-room="${name}"] .unread`).textContent = String(unread.get(name));
      }
      showPositions();
    }, { id: `room-${name}`, key: name, from: "latest" }).then(() => {
      showPositions();
      log(`subscribed to chat room ${name}`);
    }, (error) => log(`chat ${name}: ${error.code} ${error.message}`));
  }

  const previous = new Map();
  client.subscribe("prices", (event) => {
    events += 1;
    $("#events").textContent = events;
    const { pair, bid, ask } = event.data;
    let row = document.querySelector(`#ticker tr[data-symbol="${pair}"]`);
    if (!row) {
      row = document.createElement("tr");
      row.dataset.symbol = pair;
      row.innerHTML = "<td></td><td></td><td></td><td></td>";
      $("#ticker tbody").append(row);
    }
    const before = previous.get(pair);
    previous.set(pair, bid);
    const cells = row.querySelectorAll("td");
    cells[0].textContent = pair;
    cells[1].textContent = bid.toFixed(5);
    cells[2].textContent = ask.toFixed(5);
    cells[3].textContent = before === undefined ? "" : bid >= before ? "▲" : "▼";
    cells[3].className = before === undefined ? "" : bid >= before ? "up" : "down";
    row.dataset.updates = String(Number(row.dataset.updates || 0) + 1);
    row.classList.remove("flash");
    void row.offsetWidth;
    row.classList.add("flash");
  }).then(() => log("subscribed to prices"), (error) => log(`prices: ${error.code} ${error.message}`));

  // An Avro topic (./run.sh with PASSERELLE_SCHEMA_REGISTRY=1): the gateway decodes each record to JSON and
  // encodes each publish with the subject's schema. Without the registry the channel does not exist: no panel.
  client.subscribe("orders-avro", (event) => {
    events += 1;
    $("#events").textContent = events;
    const order = event.data || {};
    const item = document.createElement("li");
    item.dataset.id = order.id;
    item.dataset.schema = event.schema ? String(event.schema.id) : "";
    const what = document.createElement("span");
    what.textContent = `${order.id} · ${Number(order.amount).toFixed(2)} ${order.currency}`
      + (order.note ? ` · ${order.note}` : "");
    const meta = document.createElement("span");
    meta.className = "meta";
    const position = `p${event.partition} · #${event.offset}`;
    meta.textContent = event.schema ? `schema #${event.schema.id} · ${position}` : position;
    item.append(what, meta);
    $("#orders-list").prepend(item);
  }, { id: "orders", from: "latest" }).then(() => {
    $("#orders").hidden = false;
    log("subscribed to orders-avro");
  }, (error) => log(`orders-avro: ${error.code} ${error.message}`));

  let orders = 0;
  $("#order-form").addEventListener("submit", async (submit) => {
    submit.preventDefault();
    const note = $("#order-note").value.trim();
    const order = {
      id: `${me}-${Date.now().toString(36)}-${++orders}`,
      amount: Number($("#order-amount").value),
      currency: $("#order-currency").value,
      note: note || null,
    };
    try {
      const ack = await client.publish("orders-avro", order);
      $("#order-error").hidden = true;
      $("#last-ack").textContent = `partition ${ack.partition}, offset ${ack.offset}`;
    } catch (error) {
      $("#order-error").textContent = `${error.code}: ${error.message}`;
      $("#order-error").hidden = false;
    }
  });

  $("#chat-form").addEventListener("submit", async (submit) => {
    submit.preventDefault();
    const text = $("#chat-input").value.trim();
    if (!text) return;
    $("#chat-input").value = "";
    try {
      const ack = await client.publish("chat", { text }, { key: room });
      $("#last-ack").textContent = `partition ${ack.partition}, offset ${ack.offset}`;
    } catch (error) {
      log(`not sent (${error.code}): ${error.message}`);
    }
  });

  $("#cut").addEventListener("click", () => {
    log("cutting the connection");
    if (client.socket) client.socket.close(4000, "cut by the demo");
  });
}

if (token) {
  start();
} else {
  $("#login").hidden = false;
  $("#token-form").addEventListener("submit", (submit) => {
    submit.preventDefault();
    token = $("#token").value.trim();
    start();
  });
}
