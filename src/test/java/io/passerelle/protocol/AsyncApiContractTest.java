package io.passerelle.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.passerelle.testing.Frame;
import io.passerelle.testing.GatewayTestBase;
import io.passerelle.testing.KafkaTestBroker;
import io.passerelle.testing.NodeScript;
import io.passerelle.testing.TestSocket;
import io.passerelle.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;

/**
 * docs/asyncapi.yaml cannot drift from the gateway: every frame type is driven through a running gateway and
 * captured, then src/test/contract/check-asyncapi.mjs parses the document with the AsyncAPI parser, compares its
 * error codes, close codes and frame types with the implementation's, and validates every captured frame against
 * its message's schema. .ci/run installs the npm packages; elsewhere the test is skipped when they are missing, and
 * fails when CI is set.
 */
@QuarkusTest
class AsyncApiContractTest extends GatewayTestBase {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path CHECKER = Path.of("src/test/contract");
    private static final Path OUT = Path.of("target/asyncapi");

    private final List<Map<String, Object>> captured = new ArrayList<>();

    @Test
    void theDocumentListsTheImplementationsCodesAndFramesAndEveryCapturedFrameMatchesItsSchema() throws Exception {
        if (System.getenv("CI") == null) {
            Assumptions.assumeTrue(Files.isDirectory(CHECKER.resolve("node_modules")),
                    "the npm packages are missing: run .ci/run, or npm ci --prefix src/test/contract");
        }
        captureEveryFrame();
        Files.createDirectories(OUT);
        Path frames = OUT.resolve("frames.json");
        Path implementation = OUT.resolve("implementation.json");
        JSON.writerWithDefaultPrettyPrinter().writeValue(frames.toFile(), captured);
        JSON.writerWithDefaultPrettyPrinter().writeValue(implementation.toFile(), implementation());

        int exit = NodeScript.run(CHECKER, "asyncapi/check.log", Map.of(), Duration.ofMinutes(2), "node",
                "check-asyncapi.mjs", Path.of("docs/asyncapi.yaml").toAbsolutePath().toString(),
                frames.toAbsolutePath().toString(), implementation.toAbsolutePath().toString());
        assertEquals(0, exit, NodeScript.output("asyncapi/check.log"));
    }

    /** The codes and frame types of the implementation, from the code itself. */
    private static Map<String, Object> implementation() throws Exception {
        Map<String, Object> implementation = new LinkedHashMap<>();
        implementation.put("errorCodes", Arrays.stream(ErrorCode.values()).map(ErrorCode::wire).toList());
        implementation.put("closeCodes", Arrays.stream(CloseCode.values())
                .map(close -> Map.of("code", close.code(), "reason", close.reason())).toList());
        implementation.put("clientFrames", Arrays.stream(ClientFrame.class.getPermittedSubclasses())
                .map(type -> type.getSimpleName().toLowerCase(java.util.Locale.ROOT)).toList());
        List<String> gatewayFrames = new ArrayList<>();
        for (Class<?> type : ServerFrame.class.getPermittedSubclasses()) {
            String wire = blank(type).type();
            if (!gatewayFrames.contains(wire)) {
                gatewayFrames.add(wire);
            }
        }
        implementation.put("gatewayFrames", gatewayFrames);
        return implementation;
    }

    /** A frame record made of empty values, to ask it its wire type. */
    private static ServerFrame blank(Class<?> type) throws Exception {
        RecordComponent[] components = type.getRecordComponents();
        Class<?>[] types = Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new);
        Object[] values = new Object[types.length];
        for (int i = 0; i < types.length; i++) {
            values[i] = types[i] == int.class
                    ? 0
                    : types[i] == long.class
                            ? 0L
                            : types[i] == boolean.class
                                    ? false
                                    : Map.class.isAssignableFrom(types[i])
                                            ? Map.of()
                                            : List.class.isAssignableFrom(types[i]) ? List.of() : null;
        }
        Constructor<?> canonical = type.getDeclaredConstructor(types);
        return (ServerFrame) canonical.newInstance(values);
    }

    private void captureEveryFrame() throws Exception {
        String records = KafkaTestBroker.createTopic("contract", 1);
        String jobs = KafkaTestBroker.createTopic("contract-jobs", 2);
        String doomed = KafkaTestBroker.createTopic("contract-doomed", 1);
        List<String> topics = List.of(records, jobs, doomed);
        String user = "contract-user";
        List<String> scopedGrant = List.of(records + "[key={sub}]");
        try (TestSocket socket = TestSocket.connect(ws(), TestTokens.token(user, topics, topics));
                TestSocket scoped = TestSocket.connect(ws(), TestTokens.shortLivedToken("contract-scoped",
                        List.of(), scopedGrant, Duration.ofSeconds(5)))) {
            answer(scoped, Frame.subscribe("narrowed", records)); // subscribed with the filter in force
            next(scoped, frame -> "token_expiring".equals(frame.path("type").asText()));
            answer(scoped, Frame.refresh("renew", TestTokens.token("contract-scoped", List.of(), scopedGrant)));

            answer(socket, Frame.ping("ping"));
            answer(socket, Frame.publish("pub", records, Map.of("sku", "A", "qty", 3)).with("key", "k-1")
                    .with("headers", Map.of("source", "app")));
            answer(socket, Frame.publish("forbidden", "not-granted", 1));
            answer(socket, Frame.publish("ask", records, Map.of("question", "6x7")).with("reply", true));
            socket.send("{\"type\":\"nope\",\"id\":\"bad\"}");
            next(socket, frame -> "bad".equals(frame.path("id").asText()));
            socket.send("not json"); // answered with an error without id
            next(socket, frame -> "error".equals(frame.path("type").asText()) && !frame.has("id"));

            backendAnswers(records);
            next(socket, frame -> "reply".equals(frame.path("type").asText()));
            KafkaTestBroker.produce("passerelle.outbox", "k", "{\"note\":\"for you\"}",
                    Map.of("passerelle-target-user", user));
            next(socket, frame -> "message".equals(frame.path("type").asText()));

            produceEveryKindOfValue(records);
            answer(socket, Frame.subscribe("all", records).with("from", "earliest"));
            for (int i = 0; i < 7; i++) { // the two publishes above and the five records
                next(socket, frame -> "event".equals(frame.path("type").asText()));
            }
            answer(socket, Frame.subscribe("some", records).with("keyPrefix", "k").with("keys", List.of("k-1"))
                    .with("headers", Map.of("source", "app")));
            answer(socket, Frame.subscribe("beyond", records).fromOffsets(Map.of(0, 1_000L)));
            answer(socket, Frame.subscribe("workers", jobs).with("group", "contract-" + jobs)
                    .with("from", "earliest"));
            next(socket, frame -> "assigned".equals(frame.path("type").asText())
                    && frame.path("partitions").size() == 2);
            KafkaTestBroker.produce(jobs, 0, "j", "{\"job\":1}");
            JsonNode job = next(socket, frame -> "event".equals(frame.path("type").asText())
                    && jobs.equals(frame.path("channel").asText()));
            answer(socket, Frame.commit("done", jobs, job.get("partition").asInt(), job.get("offset").asLong())
                    .with("subscription", "workers"));
            answer(socket, Frame.unsubscribe("leave", jobs));
            answer(socket, Frame.unsubscribeOne("leave-one", "some"));

            answer(socket, Frame.subscribe("doomed", doomed));
            KafkaTestBroker.deleteTopic(doomed);
            next(socket, frame -> "doomed".equals(frame.path("subscription").asText()));
        }
    }

    private static void produceEveryKindOfValue(String topic) throws Exception {
        Map<String, Object> config = Map.of("bootstrap.servers", KafkaTestBroker.bootstrapServers());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            byte[] notUtf8 = {(byte) 0xC3, (byte) 0x28};
            producer.send(new ProducerRecord<>(topic, 0, bytes("json"), bytes("{\"bid\":1.1}"))).get();
            producer.send(new ProducerRecord<>(topic, 0, bytes("text"), bytes("plain words"))).get();
            producer.send(new ProducerRecord<>(topic, 0, bytes("binary"), notUtf8)).get();
            producer.send(new ProducerRecord<>(topic, 0, bytes("tombstone"), null)).get();
            producer.send(new ProducerRecord<>(topic, 0, notUtf8, bytes("7"))).get();
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** The backend of request/reply: a plain consumer of the request and a plain producer of its answer. */
    private static void backendAnswers(String topic) {
        ConsumerRecord<byte[], byte[]> request = KafkaTestBroker.readAll(topic, 2, Duration.ofSeconds(20)).stream()
                .filter(r -> r.headers().lastHeader("passerelle-correlation-id") != null).findFirst().orElseThrow();
        Map<String, String> headers = new HashMap<>();
        request.headers().forEach(h -> headers.put(h.key(), new String(h.value(), StandardCharsets.UTF_8)));
        KafkaTestBroker.produce(headers.get("passerelle-reply-to"), null, "{\"answer\":42}",
                Map.of("passerelle-target-connection", headers.get("passerelle-connection"),
                        "passerelle-correlation-id", headers.get("passerelle-correlation-id")));
    }

    /** Sends a frame and waits for its answer, capturing both and every frame between. */
    private JsonNode answer(TestSocket socket, Frame frame) throws Exception {
        captured.add(Map.of("from", "client", "frame", JSON.readTree(frame.toString())));
        socket.send(frame);
        return next(socket, answer -> frame.id().equals(answer.path("id").asText()));
    }

    private JsonNode next(TestSocket socket, Predicate<JsonNode> wanted) {
        while (true) {
            JsonNode frame = socket.next();
            captured.add(Map.of("from", "gateway", "frame", frame));
            if (wanted.test(frame)) {
                return frame;
            }
        }
    }
}
