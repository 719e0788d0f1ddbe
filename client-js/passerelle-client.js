// Passerelle client: a dependency-free ES module for browsers and React Native.
// It connects with a token, reconnects with exponential backoff and jitter, resumes every subscription from the
// offsets it has seen (no gap, no duplicate), and refreshes the token when the gateway warns it is expiring.

/** An error answered by the gateway (`code` is the protocol's stable code) or raised by the client. */
export class PasserelleError extends Error {
  constructor(code, message, details) {
    super(message);
    this.name = "PasserelleError";
    this.code = code;
    this.details = details;
  }
}

const CARRIER = "bearer-token-carrier";

/**
 * const client = new PasserelleClient("wss://gw.example.com/ws", { getToken: async () => token });
 * client.onState((state) => console.log(state));
 * client.subscribe("prices", (event) => console.log(event.data), { key: "EURUSD" });
 * const room = await client.subscribe("chat", onMessage, { id: "room-7", key: "room-7" });
 * await room.unsubscribe();
 * const ack = await client.publish("orders", { sku: "A" });
 */
export class PasserelleClient {
  constructor(url, options = {}) {
    if (!options.token && !options.getToken) {
      throw new PasserelleError("bad_options", "give a token or a getToken callback");
    }
    this.url = url;
    this.options = {
      publishTimeout: 10000,
      initialDelay: 250,
      maxDelay: 15000,
      WebSocket: globalThis.WebSocket,
      ...options,
    };
    this.state = "idle";
    this.socket = null;
    this.attempt = 0;
    this.sequence = 0;
    this.pending = new Map(); // request id -> { resolve, reject, timer }
    // subscription id -> { channel, handler, filter, from, group, offsets: {partition: next}, ready }
    this.subscriptions = new Map();
    this.stateListeners = new Set();
    this.closedByUser = false;
    this.token = options.token || null;
  }

  /** Opens the connection; resolves once it is open. Called by subscribe/publish when needed. */
  connect() {
    if (this.state === "open") return Promise.resolve();
    if (!this.opening) {
      this.closedByUser = false;
      this.opening = new Promise((resolve) => (this.resolveOpen = resolve));
      this.open();
    }
    return this.opening;
  }

  /** Closes for good: no reconnect. */
  close() {
    this.closedByUser = true;
    clearTimeout(this.reconnectTimer);
    if (this.socket) this.socket.close(1000, "bye");
    this.setState("closed");
    this.rejectPending("disconnected", "the client closed the connection");
  }

  /** Listens to connection states: connecting, open, reconnecting, closed. Returns an unsubscribe function. */
  onState(listener) {
    this.stateListeners.add(listener);
    listener(this.state);
    return () => this.stateListeners.delete(listener);
  }

  /**
   * Publishes `data` (any JSON value) to a channel. Resolves with { channel, partition, offset } once Kafka has the
   * record; rejects with a PasserelleError (the gateway's code, or "timeout" / "disconnected").
   */
  async publish(channel, data, options = {}) {
    await this.connect();
    const frame = { type: "publish", id: this.nextId("p"), channel, data };
    if (options.key !== undefined) frame.key = options.key;
    if (options.headers) frame.headers = options.headers;
    if (options.reply) frame.reply = true;
    return this.request(frame, options.timeout || this.options.publishTimeout);
  }

  /**
   * Subscribes `handler(event)` to the records of a channel that pass the filter. Options: id (names the
   * subscription; generated when absent), key, keys, keyPrefix, headers (the filter, ANDed), from ("latest",
   * "earliest" or { offsets }), group (a consumer group). A channel may have several subscriptions with different
   * filters. Resolves once the gateway confirmed with { id, filter, unsubscribe }; `filter` is set when a scoped
   * grant narrowed the subscription.
   */
  async subscribe(channel, handler, options = {}) {
    const id = options.id || this.nextId("s");
    if (this.subscriptions.has(id)) {
      throw new PasserelleError("already_subscribed", `a subscription named '${id}' exists`);
    }
    const filter = {};
    for (const field of ["key", "keys", "keyPrefix", "headers"]) {
      if (options[field] !== undefined) filter[field] = options[field];
    }
    const subscription = { channel, handler, filter, from: options.from || "latest", group: options.group,
      offsets: {}, ready: false };
    this.subscriptions.set(id, subscription);
    await this.connect();
    let answer;
    try {
      answer = await this.sendSubscribe(id, subscription);
    } catch (error) {
      this.subscriptions.delete(id);
      throw error;
    }
    return { id, filter: answer.filter, unsubscribe: () => this.unsubscribeOne(id) };
  }

  /** Ends every subscription of the channel. */
  async unsubscribe(channel) {
    const ids = [...this.subscriptions].filter(([, s]) => s.channel === channel).map(([id]) => id);
    if (ids.length === 0) return;
    ids.forEach((id) => this.subscriptions.delete(id));
    if (this.state === "open") {
      await this.request({ type: "unsubscribe", id: this.nextId("u"), channel }, this.options.publishTimeout);
    }
  }

  /** Ends one subscription, named by its id. */
  async unsubscribeOne(id) {
    if (!this.subscriptions.delete(id)) return;
    if (this.state === "open") {
      await this.request({ type: "unsubscribe", id: this.nextId("u"), subscription: id },
        this.options.publishTimeout);
    }
  }

  /** For a group subscription: every record of the partition up to and including `offset` is processed. */
  commit(channel, partition, offset, subscription) {
    const frame = { type: "commit", id: this.nextId("c"), channel, partition, offset };
    if (subscription) frame.subscription = subscription;
    return this.request(frame, this.options.publishTimeout);
  }

  /** The offsets this client would resume a subscription (by id) from: { partition: next offset }. */
  positions(id) {
    const subscription = this.subscriptions.get(id);
    return subscription ? { ...subscription.offsets } : {};
  }

  // --- internals -------------------------------------------------------------------------------------------

  async open() {
    this.setState(this.attempt === 0 ? "connecting" : "reconnecting");
    let token;
    try {
      token = this.options.getToken ? await this.options.getToken() : this.token;
    } catch (error) {
      return this.scheduleReconnect();
    }
    this.token = token;
    const socket = new this.options.WebSocket(this.url,
      [CARRIER, "quarkus-http-upgrade#Authorization#Bearer%20" + token]);
    this.socket = socket;
    socket.onopen = () => this.onOpen(socket);
    socket.onmessage = (message) => this.onFrame(message.data);
    socket.onclose = (event) => this.onClose(socket, event);
    socket.onerror = () => {}; // onclose follows
  }

  async onOpen(socket) {
    if (socket !== this.socket) return;
    this.attempt = 0;
    this.setState("open");
    if (this.resolveOpen) {
      this.resolveOpen();
      this.resolveOpen = null;
    }
    // Resume every subscription from the offsets seen, so nothing is missed or repeated.
    for (const [id, subscription] of this.subscriptions) {
      if (subscription.ready) {
        this.sendSubscribe(id, subscription).catch((error) => this.emitError(subscription.channel, error, id));
      }
    }
  }

  /** The subscribe's id is the subscription's: a new socket knows no other subscription of that name. */
  sendSubscribe(id, subscription) {
    const frame = { type: "subscribe", id, channel: subscription.channel, ...subscription.filter };
    if (subscription.group) {
      frame.group = subscription.group;
      frame.from = subscription.from;
    } else if (Object.keys(subscription.offsets).length > 0) {
      frame.from = { offsets: subscription.offsets };
    } else {
      frame.from = subscription.from;
    }
    return this.request(frame, this.options.publishTimeout).then((answer) => {
      if (answer.offsets && !subscription.group) {
        // The gateway names every partition's next offset: remember those not seen yet, for an exact resume.
        for (const [partition, next] of Object.entries(answer.offsets)) {
          if (subscription.offsets[partition] === undefined) subscription.offsets[partition] = next;
        }
      }
      subscription.ready = true;
      return answer;
    });
  }

  onClose(socket, event) {
    if (socket !== this.socket) return;
    this.socket = null;
    this.rejectPending("disconnected", `the connection closed (${event.code})`);
    if (this.closedByUser) return;
    // Every close, 1001 from a draining replica as much as 4401 for an expired token, ends in a reconnect with
    // backoff: getToken is asked for a fresh token each time.
    this.scheduleReconnect();
  }

  scheduleReconnect() {
    this.attempt += 1;
    this.setState("reconnecting");
    const ceiling = Math.min(this.options.maxDelay, this.options.initialDelay * 2 ** (this.attempt - 1));
    const delay = Math.random() * ceiling; // full jitter
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = setTimeout(() => this.open(), delay);
  }

  onFrame(text) {
    let frame;
    try {
      frame = JSON.parse(text);
    } catch (error) {
      return;
    }
    switch (frame.type) {
      case "event": {
        const subscription = this.subscriptions.get(frame.subscription);
        if (!subscription) return;
        const seen = subscription.offsets[frame.partition];
        if (!subscription.group && seen !== undefined && frame.offset < seen) return; // never twice
        if (!subscription.group) subscription.offsets[frame.partition] = frame.offset + 1;
        subscription.handler(frame);
        return;
      }
      case "token_expiring":
        this.refreshToken();
        return;
      case "message":
      case "reply":
      case "assigned":
        this.emit(frame.type, frame);
        return;
      case "error":
        // A subscription the gateway ended after subscribed names it; an answer to a request does not.
        if (frame.subscription && this.subscriptions.has(frame.subscription) && !this.pending.has(frame.id)) {
          this.subscriptions.delete(frame.subscription);
          return this.emitError(frame.channel, new PasserelleError(frame.code, frame.message, frame),
            frame.subscription);
        }
        return this.settle(frame.id, null, new PasserelleError(frame.code, frame.message, frame));
      default:
        if (frame.id) this.settle(frame.id, frame, null);
    }
  }

  async refreshToken() {
    if (!this.options.getToken) return;
    try {
      const token = await this.options.getToken();
      this.token = token;
      await this.request({ type: "refresh", id: this.nextId("r"), token }, this.options.publishTimeout);
    } catch (error) {
      this.emitError(null, error);
    }
  }

  request(frame, timeout) {
    return new Promise((resolve, reject) => {
      if (!this.socket || this.state !== "open") {
        reject(new PasserelleError("disconnected", "not connected"));
        return;
      }
      const timer = setTimeout(() => {
        this.pending.delete(frame.id);
        reject(new PasserelleError("timeout", `no answer to ${frame.type} within ${timeout} ms`));
      }, timeout);
      this.pending.set(frame.id, { resolve, reject, timer });
      this.socket.send(JSON.stringify(frame));
    });
  }

  settle(id, value, error) {
    const pending = this.pending.get(id);
    if (!pending) return;
    this.pending.delete(id);
    clearTimeout(pending.timer);
    if (error) pending.reject(error);
    else pending.resolve(value);
  }

  rejectPending(code, message) {
    for (const [id, pending] of this.pending) {
      clearTimeout(pending.timer);
      pending.reject(new PasserelleError(code, message));
      this.pending.delete(id);
    }
  }

  nextId(prefix) {
    this.sequence += 1;
    return prefix + this.sequence;
  }

  setState(state) {
    if (this.state === state) return;
    this.state = state;
    for (const listener of this.stateListeners) listener(state);
  }

  /**
   * Listens to gateway frames that are not answers: "message" (direct delivery), "reply" (a backend's answer to a
   * publish with { reply: true }, by the publish's id), "assigned" (group rebalance), "error" (a subscription ended).
   */
  on(type, listener) {
    this.listeners = this.listeners || new Map();
    if (!this.listeners.has(type)) this.listeners.set(type, new Set());
    this.listeners.get(type).add(listener);
    return () => this.listeners.get(type).delete(listener);
  }

  emit(type, value) {
    const listeners = this.listeners && this.listeners.get(type);
    if (listeners) for (const listener of listeners) listener(value);
  }

  emitError(channel, error, subscription) {
    this.emit("error", { channel, subscription, error });
  }
}
