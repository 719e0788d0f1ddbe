#!/usr/bin/env bash
# Runs Passerelle locally with its embedded default: a single-node Kafka broker (KRaft, loopback) started from
# Apache Kafka's jars, data kept in .passerelle/, and the demo's price feed. Prints the WebSocket URL, a
# development token and the demo page's address. Ctrl-C stops everything it started.
#
# Environment: PASSERELLE_HTTP_PORT (8080), PASSERELLE_KAFKA_PORT (19092), PASSERELLE_CONTROLLER_PORT (19093),
#              PASSERELLE_TOPICS (chat,prices,orders: created on first start, 3 partitions each),
#              PASSERELLE_SCHEMA_REGISTRY=1 to start a schema registry too (Apicurio Registry, Java 21 or newer,
#              its Confluent-compatible API on PASSERELLE_REGISTRY_PORT, 18081) with an Avro topic, orders-avro,
#              whose publishes are validated and encoded with the schema in dev/orders-avro.avsc.
set -euo pipefail

cd "$(dirname "$0")"
ROOT=$(pwd)
STATE="$ROOT/.passerelle"
HTTP_PORT=${PASSERELLE_HTTP_PORT:-8080}
KAFKA_PORT=${PASSERELLE_KAFKA_PORT:-19092}
CONTROLLER_PORT=${PASSERELLE_CONTROLLER_PORT:-19093}
REGISTRY_PORT=${PASSERELLE_REGISTRY_PORT:-18081}
WITH_REGISTRY=${PASSERELLE_SCHEMA_REGISTRY:-0}
TOPICS=${PASSERELLE_TOPICS:-chat,prices,orders}
KAFKA_LIB="$ROOT/target/dev-kafka/lib"
BOOTSTRAP="127.0.0.1:$KAFKA_PORT"

say() { printf '\033[1m[passerelle]\033[0m %s\n' "$*"; }
fail() { printf '[passerelle] %s\n' "$*" >&2; exit 1; }

command -v java >/dev/null || fail "Java 17 or newer is needed on PATH."
JAVA_MAJOR=$(java -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')
[ "${JAVA_MAJOR%%.*}" -ge 17 ] || fail "Java 17 or newer is needed; found $JAVA_MAJOR."

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for port in "$HTTP_PORT" "$KAFKA_PORT" "$CONTROLLER_PORT"; do
  port_free "$port" || fail "Port $port is in use; set PASSERELLE_HTTP_PORT, PASSERELLE_KAFKA_PORT or PASSERELLE_CONTROLLER_PORT."
done

say "Building the gateway (first run downloads dependencies)…"
./mvnw -q -B -DskipTests package
REGISTRY_JAVA=""
if [ "$WITH_REGISTRY" = 1 ]; then
  port_free "$REGISTRY_PORT" || fail "Port $REGISTRY_PORT is in use; set PASSERELLE_REGISTRY_PORT."
  for candidate in java /usr/lib/jvm/*/bin/java; do
    version=$("$candidate" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}') || continue
    if [ -n "$version" ] && [ "${version%%.*}" -ge 21 ]; then REGISTRY_JAVA=$candidate; break; fi
  done
  [ -n "$REGISTRY_JAVA" ] || fail "The schema registry needs Java 21 or newer; none found on PATH or in /usr/lib/jvm."
  [ -f target/schema-registry/quarkus-run.jar ] || { say "Fetching the schema registry…"; ./mvnw -q -B dependency:unpack@schema-registry; }
  TOPICS="$TOPICS,orders-avro"
fi
if [ ! -d "$KAFKA_LIB" ]; then
  say "Fetching the Kafka broker jars…"
  ./mvnw -q -B -f dev/kafka/pom.xml dependency:copy-dependencies -DoutputDirectory="$KAFKA_LIB"
fi

mkdir -p "$STATE/kafka-data"
cat > "$STATE/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=127.0.0.1:$CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$CONTROLLER_PORT
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=$STATE/kafka-data
num.partitions=3
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
PROPS
KAFKA_JAVA=(java -Xmx512m -Dlog4j2.configurationFile="$ROOT/dev/kafka/log4j2.xml" -Dpasserelle.kafka.log="$STATE/kafka.log" -cp "$KAFKA_LIB/*")
if [ ! -f "$STATE/kafka-data/meta.properties" ]; then
  CLUSTER_ID=$("${KAFKA_JAVA[@]}" kafka.tools.StorageTool random-uuid)
  "${KAFKA_JAVA[@]}" kafka.tools.StorageTool format --standalone -t "$CLUSTER_ID" -c "$STATE/server.properties" >/dev/null
fi

BROKER_PID=""
GATEWAY_PID=""
FEED_PID=""
REGISTRY_PID=""
stop() {
  trap - INT TERM EXIT
  [ -n "$REGISTRY_PID" ] && kill "$REGISTRY_PID" 2>/dev/null && wait "$REGISTRY_PID" 2>/dev/null || true
  [ -n "$FEED_PID" ] && kill "$FEED_PID" 2>/dev/null && wait "$FEED_PID" 2>/dev/null || true
  [ -n "$GATEWAY_PID" ] && kill "$GATEWAY_PID" 2>/dev/null && wait "$GATEWAY_PID" 2>/dev/null || true
  [ -n "$BROKER_PID" ] && kill "$BROKER_PID" 2>/dev/null && wait "$BROKER_PID" 2>/dev/null || true
  say "Stopped."
}
trap stop INT TERM EXIT

say "Starting Kafka on $BOOTSTRAP (data in .passerelle/kafka-data, log in .passerelle/kafka.log)…"
"${KAFKA_JAVA[@]}" kafka.Kafka "$STATE/server.properties" &
BROKER_PID=$!
for _ in $(seq 1 120); do
  port_free "$KAFKA_PORT" || break
  kill -0 "$BROKER_PID" 2>/dev/null || fail "Kafka did not start; see .passerelle/kafka.log."
  sleep 0.5
done
IFS=',' read -ra topic_list <<< "$TOPICS"
for topic in "${topic_list[@]}"; do
  "${KAFKA_JAVA[@]}" org.apache.kafka.tools.TopicCommand --bootstrap-server "$BOOTSTRAP" --create --if-not-exists \
    --topic "$topic" --partitions 3 --replication-factor 1 >/dev/null
done

SCHEMA_OPTS=()
if [ "$WITH_REGISTRY" = 1 ]; then
  say "Starting the schema registry on port $REGISTRY_PORT (log in .passerelle/registry.log)…"
  "$REGISTRY_JAVA" -Xmx512m -Dquarkus.http.port="$REGISTRY_PORT" -Dquarkus.http.host=127.0.0.1 -Dquarkus.log.level=WARN \
    -jar target/schema-registry/quarkus-run.jar >"$STATE/registry.log" 2>&1 &
  REGISTRY_PID=$!
  REGISTRY_URL="http://127.0.0.1:$REGISTRY_PORT/apis/ccompat/v7"
  for _ in $(seq 1 240); do
    java dev/Ready.java "$REGISTRY_URL/subjects" 2>/dev/null && break
    kill -0 "$REGISTRY_PID" 2>/dev/null || fail "The schema registry did not start; see .passerelle/registry.log."
    sleep 0.5
  done
  java dev/RegisterSchema.java "$REGISTRY_URL" orders-avro-value AVRO dev/orders-avro.avsc
  SCHEMA_OPTS=(-Dpasserelle.schemas.registry-url="$REGISTRY_URL" -Dpasserelle.schemas.value-topics=orders-avro)
fi

java dev/DevToken.java keys "$STATE"
TOKEN=$(java dev/DevToken.java token "$STATE" dev-user)

say "Starting the gateway on port $HTTP_PORT…"
java -Dquarkus.http.port="$HTTP_PORT" \
     -Dkafka.bootstrap.servers="$BOOTSTRAP" \
     -Dmp.jwt.verify.publickey.location="file:$STATE/dev-public.pem" \
     "${SCHEMA_OPTS[@]}" ${PASSERELLE_JAVA_OPTS:-} -jar target/quarkus-app/quarkus-run.jar &
GATEWAY_PID=$!
for _ in $(seq 1 120); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$HTTP_PORT") 2>/dev/null \
     && java dev/Ready.java "http://127.0.0.1:$HTTP_PORT/q/health/ready" 2>/dev/null; then
    break
  fi
  kill -0 "$GATEWAY_PID" 2>/dev/null || fail "The gateway did not start; see its output above."
  sleep 0.5
done

java -cp "$KAFKA_LIB/*" dev/PriceFeed.java "$BOOTSTRAP" >"$STATE/price-feed.log" 2>&1 &
FEED_PID=$!

cat <<INFO

  Passerelle is ready.

  WebSocket URL   ws://localhost:$HTTP_PORT/ws
  Dev token       $TOKEN
  Demo page       http://localhost:$HTTP_PORT/#token=$TOKEN
  Topics          $TOPICS (on Kafka at $BOOTSTRAP)

  Try it:  npx wscat -c "ws://localhost:$HTTP_PORT/ws?access_token=$TOKEN"
           > {"type":"subscribe","id":"s1","channel":"chat"}
           > {"type":"publish","id":"p1","channel":"chat","data":{"text":"hello"}}

INFO
if [ "$WITH_REGISTRY" = 1 ]; then
cat <<INFO
  Schema registry $REGISTRY_URL (Confluent-compatible API)
  Avro topic      orders-avro: > {"type":"publish","id":"p2","channel":"orders-avro","data":{"id":"o-1","amount":12.5,"currency":"EUR"}}

INFO
fi
cat <<INFO
  Ctrl-C stops everything it started.

INFO
wait "$GATEWAY_PID"
