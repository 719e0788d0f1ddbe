// Checks docs/asyncapi.yaml against the gateway, for AsyncApiContractTest:
//   node check-asyncapi.mjs <asyncapi.yaml> <frames.json> <implementation.json>
// frames.json: frames captured from a running gateway, [{ "from": "client" | "gateway", "frame": {...} }].
// implementation.json: the codes and frame types of the implementation.
// The document must parse without errors (AsyncAPI 3.0), list exactly the implementation's error codes, close
// codes and frame types, and every captured frame must validate against its message's schema; every message of
// the document must be seen at least once among the captured frames.
import { readFile } from "node:fs/promises";
import { Parser, fromFile } from "@asyncapi/parser";
import Ajv from "ajv";

const [documentPath, framesPath, implementationPath] = process.argv.slice(2);
const problems = [];

const { document, diagnostics } = await fromFile(new Parser(), documentPath).parse();
for (const diagnostic of diagnostics) {
  const where = diagnostic.path.join(".");
  const line = `${["error", "warning", "info", "hint"][diagnostic.severity]} ${diagnostic.code} at ${where}: ${diagnostic.message}`;
  if (diagnostic.severity === 0) problems.push(line);
  else console.log(line);
}
if (!document) {
  console.log(problems.join("\n"));
  process.exit(1);
}
const raw = document.json();
const frames = JSON.parse(await readFile(framesPath, "utf8"));
const implementation = JSON.parse(await readFile(implementationPath, "utf8"));

const sameSet = (what, documented, implemented) => {
  const missing = implemented.filter((x) => !documented.includes(x));
  const extra = documented.filter((x) => !implemented.includes(x));
  if (missing.length) problems.push(`${what} of the implementation missing from the document: ${missing.join(", ")}`);
  if (extra.length) problems.push(`${what} in the document that the implementation does not have: ${extra.join(", ")}`);
};

sameSet("error codes", raw.components.schemas.ErrorCode.oneOf.map((entry) => entry.const), implementation.errorCodes);
sameSet("close codes",
  raw.components.schemas.CloseCode.oneOf.map((e) => `${e.properties.code.const} ${e.properties.reason.const}`),
  implementation.closeCodes.map((c) => `${c.code} ${c.reason}`));

// Which frames go which way: what the gateway receives (operations' messages with action receive), and what it
// sends (send operations and replies).
const typeOf = (message) => message.payload()?.json()?.properties?.type?.const;
const byDirection = { client: new Map(), gateway: new Map() };
for (const operation of document.operations().all()) {
  const direction = operation.action() === "receive" ? "client" : "gateway";
  for (const message of operation.messages().all()) byDirection[direction].set(typeOf(message), message);
  const reply = operation.reply();
  if (reply) for (const message of reply.messages().all()) byDirection.gateway.set(typeOf(message), message);
}
sameSet("client frame types", [...byDirection.client.keys()], implementation.clientFrames);
sameSet("gateway frame types", [...byDirection.gateway.keys()], implementation.gatewayFrames);

const ajv = new Ajv({ strict: false, allErrors: true });
const validators = { client: new Map(), gateway: new Map() };
for (const direction of ["client", "gateway"]) {
  for (const [type, message] of byDirection[direction]) {
    validators[direction].set(type, ajv.compile(message.payload().json()));
  }
}
const seen = { client: new Set(), gateway: new Set() };
let checked = 0;
for (const { from, frame } of frames) {
  const validate = validators[from]?.get(frame.type);
  if (!validate) {
    problems.push(`a ${from} frame of type '${frame.type}' has no message in the document: ${JSON.stringify(frame)}`);
    continue;
  }
  seen[from].add(frame.type);
  checked++;
  if (!validate(frame)) {
    const reasons = validate.errors.map((e) => `${e.instancePath || "/"} ${e.message} ${JSON.stringify(e.params)}`);
    problems.push(`a ${from} '${frame.type}' frame does not match its schema (${reasons.join("; ")}): ${JSON.stringify(frame)}`);
  }
}
for (const direction of ["client", "gateway"]) {
  const unseen = [...byDirection[direction].keys()].filter((type) => !seen[direction].has(type));
  if (unseen.length) problems.push(`${direction} messages never captured from the gateway: ${unseen.join(", ")}`);
}

console.log(`${checked} captured frames checked against ${byDirection.client.size} client and ` +
  `${byDirection.gateway.size} gateway messages`);
if (problems.length) {
  console.log(problems.map((p) => "PROBLEM " + p).join("\n"));
  process.exit(1);
}
console.log("docs/asyncapi.yaml matches the gateway");
