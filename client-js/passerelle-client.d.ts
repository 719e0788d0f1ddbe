// Types of passerelle-client.js. The frames are those of docs/protocol.md (wire protocol v1).

/** Any JSON value. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [field: string]: JsonValue };

/** Error codes the gateway answers with (docs/protocol.md#errors). */
export type GatewayErrorCode =
  | "bad_request"
  | "forbidden"
  | "unknown_channel"
  | "already_subscribed"
  | "not_subscribed"
  | "offset_out_of_range"
  | "not_assigned"
  | "limit_exceeded"
  | "rate_limited"
  | "invalid_token"
  | "too_large"
  | "unavailable"
  | "schema_mismatch"
  | "internal";

/** Error codes the client raises itself. */
export type ClientErrorCode = "bad_options" | "timeout" | "disconnected" | "already_subscribed";

export type ErrorCode = GatewayErrorCode | ClientErrorCode;

/** Where the connection is. */
export type ConnectionState = "idle" | "connecting" | "open" | "reconnecting" | "closed";

/** Partition (as a string) to an offset. */
export type Offsets = { [partition: string]: number };

/** Where a subscription starts: new records only, everything the topic holds, or from these offsets. */
export type StartPosition = "latest" | "earliest" | { offsets: Offsets };

/** Which records of a channel a subscription receives; all fields optional and ANDed. */
export interface Filter {
  key?: string;
  keys?: string[];
  keyPrefix?: string;
  headers?: { [name: string]: string };
}

// --- frames the gateway sends ---------------------------------------------------------------------------------

export interface EventFrame {
  type: "event";
  /** The id of the subscription the event belongs to. */
  subscription: string;
  channel: string;
  partition: number;
  offset: number;
  /**
   * Absent for records without a key; base64 when `keyEncoding` is "base64". A key written with a schema registry
   * (`keySchema` set) is its decoded text: a string key's own text, any other key's compact JSON.
   */
  key?: string;
  keyEncoding?: "base64";
  /** The writer schema of a key written with a schema registry. */
  keySchema?: SchemaRef;
  /** The writer schema of a value written with a schema registry; `data` is then the record as JSON. */
  schema?: SchemaRef;
  headers?: { [name: string]: string };
  /** The record's Kafka timestamp, in ms since the epoch. */
  timestamp: number;
  /** The record's value: JSON as it is, else a string (see `encoding`); null for a tombstone. */
  data: JsonValue;
  encoding?: "text" | "base64";
}

/** A registry's schema id, and why the key or value could not be decoded with it (it is then base64). */
export interface SchemaRef {
  id: number;
  error?: "unknown_schema" | "schema_unavailable" | "schema_mismatch" | "unsupported_schema";
}

export interface AckFrame {
  type: "ack";
  id: string;
  channel: string;
  partition: number;
  offset: number;
}

export interface SubscribedFrame {
  type: "subscribed";
  id: string;
  channel: string;
  /** The offset each partition starts from; absent for group subscriptions. */
  offsets?: Offsets;
  /** The filter in force when a scoped grant narrowed the subscription. */
  filter?: Filter;
}

export interface UnsubscribedFrame {
  type: "unsubscribed";
  id: string;
  channel: string;
  subscriptions: string[];
}

export interface CommittedFrame {
  type: "committed";
  id: string;
  channel: string;
  partition: number;
  offset: number;
}

export interface AssignedFrame {
  type: "assigned";
  subscription: string;
  channel: string;
  partitions: number[];
}

export interface MessageFrame {
  type: "message";
  key?: string;
  headers?: { [name: string]: string };
  data: JsonValue;
  encoding?: "text" | "base64";
}

export interface ReplyFrame {
  type: "reply";
  /** The id of the publish this answers. */
  id: string;
  headers?: { [name: string]: string };
  data: JsonValue;
  encoding?: "text" | "base64";
}

export interface ErrorFrame {
  type: "error";
  /** Absent only when the frame was too broken to read one. */
  id?: string;
  code: GatewayErrorCode;
  message: string;
  /** Set when the error ended a subscription. */
  subscription?: string;
  channel?: string;
  /** For offset_out_of_range: what each partition holds. */
  available?: { [partition: string]: { first: number; last: number } };
}

export interface PongFrame {
  type: "pong";
  id: string;
}

export interface TokenExpiringFrame {
  type: "token_expiring";
  expiresAt: number;
}

export interface RefreshedFrame {
  type: "refreshed";
  id: string;
  expiresAt: number;
}

export type GatewayFrame =
  | EventFrame
  | AckFrame
  | SubscribedFrame
  | UnsubscribedFrame
  | CommittedFrame
  | AssignedFrame
  | MessageFrame
  | ReplyFrame
  | ErrorFrame
  | PongFrame
  | TokenExpiringFrame
  | RefreshedFrame;

// --- the client -------------------------------------------------------------------------------------------------

/** What the client needs of a WebSocket: the browser's, React Native's, or the `ws` package's in Node. */
export interface WebSocketLike {
  onopen: ((event: any) => void) | null;
  onmessage: ((event: { data: any }) => void) | null;
  onclose: ((event: { code: number; reason?: string }) => void) | null;
  onerror: ((event: any) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

export type WebSocketConstructor = new (url: string, protocols: string[]) => WebSocketLike;

export interface ClientOptions {
  /** A fixed token. Give this or `getToken`. */
  token?: string;
  /** Asked before each connect and when the gateway sends `token_expiring`. */
  getToken?: () => string | Promise<string>;
  /** How long a request waits for its answer, in ms (10000). */
  publishTimeout?: number;
  /** The first reconnect delay ceiling, in ms (250); full jitter under it. */
  initialDelay?: number;
  /** The highest reconnect delay ceiling, in ms (15000). */
  maxDelay?: number;
  /** A WebSocket constructor, for environments without a global one (Node 20: the `ws` package). */
  WebSocket?: WebSocketConstructor;
}

export interface SubscribeOptions extends Filter {
  /** Names the subscription; generated when absent. */
  id?: string;
  /** Where to start ("latest" by default). */
  from?: StartPosition;
  /** Join the consumer group `passerelle-ws-<group>`. */
  group?: string;
}

export interface PublishOptions {
  key?: string;
  headers?: { [name: string]: string };
  /** Ask for a backend's answer, heard on `on("reply")` with the publish's id. */
  reply?: boolean;
  /** In ms; `publishTimeout` when absent. */
  timeout?: number;
}

export interface Subscription {
  id: string;
  /** The filter in force when a scoped grant narrowed the subscription. */
  filter?: Filter;
  unsubscribe(): Promise<void>;
}

/** A subscription the gateway ended, or a token refresh that failed (`channel` null). */
export interface SubscriptionError {
  channel: string | null;
  subscription?: string;
  error: PasserelleError;
}

export interface ClientEvents {
  message: MessageFrame;
  reply: ReplyFrame;
  assigned: AssignedFrame;
  error: SubscriptionError;
}

/** An error answered by the gateway (`code` is the protocol's stable code) or raised by the client. */
export class PasserelleError extends Error {
  constructor(code: ErrorCode, message: string, details?: ErrorFrame);
  readonly name: "PasserelleError";
  readonly code: ErrorCode;
  /** The gateway's error frame, when it answered. */
  readonly details?: ErrorFrame;
}

export class PasserelleClient {
  constructor(url: string, options: ClientOptions);
  readonly state: ConnectionState;
  /** Opens the connection; resolves once it is open. Called by subscribe/publish when needed. */
  connect(): Promise<void>;
  /** Closes for good: no reconnect. */
  close(): void;
  /** Listens to connection states; returns a function that stops listening. */
  onState(listener: (state: ConnectionState) => void): () => void;
  /** Resolves with the ack once Kafka holds the record; rejects with a PasserelleError. */
  publish(channel: string, data: JsonValue, options?: PublishOptions): Promise<AckFrame>;
  subscribe(channel: string, handler: (event: EventFrame) => void, options?: SubscribeOptions): Promise<Subscription>;
  /** Ends every subscription of the channel. */
  unsubscribe(channel: string): Promise<void>;
  /** Ends one subscription, by its id. */
  unsubscribeOne(id: string): Promise<void>;
  /** For a group subscription: every record of the partition up to and including `offset` is processed. */
  commit(channel: string, partition: number, offset: number, subscription?: string): Promise<CommittedFrame>;
  /** The offsets this client would resume a subscription from: partition to next offset. */
  positions(id: string): Offsets;
  on<K extends keyof ClientEvents>(type: K, listener: (value: ClientEvents[K]) => void): () => boolean;
}
