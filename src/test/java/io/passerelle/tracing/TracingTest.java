package io.passerelle.tracing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.StreamSupport;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.passerelle.testing.Await;
import io.passerelle.testing.Frame;
import io.passerelle.testing.GatewayTestBase;
import io.passerelle.testing.KafkaTestBroker;
import io.passerelle.testing.TestSocket;
import io.passerelle.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * With the OpenTelemetry SDK on, a client's W3C trace context is continued through the gateway: the upgrade, the
 * publish until Kafka's ack and the record until its delivery are spans of the client's trace, the record carries
 * the publish span as its parent, and the event carries the record's {@code traceparent}.
 */
@QuarkusTest
@TestProfile(TracingTest.TracingOn.class)
class TracingTest extends GatewayTestBase {

    public static class TracingOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.otel.sdk.disabled", "false", "quarkus.otel.bsp.schedule.delay", "20ms",
                    "quarkus.otel.exporter.otlp.enabled", "false");
        }
    }

    private static final String CLIENT_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String CLIENT_SPAN = "00f067aa0ba902b7";
    private static final String CLIENT_TRACEPARENT = "00-" + CLIENT_TRACE + "-" + CLIENT_SPAN + "-01";

    @Inject
    InMemorySpanExporter spans;

    @BeforeEach
    void forget() {
        spans.reset();
    }

    @Test
    void aClientsTraceIsContinuedInTheRecordAndReturnedOnTheEvent() {
        String topic = KafkaTestBroker.createTopic("traced", 1);
        try (TestSocket subscriber = connect("bob", topic); TestSocket publisher = connect("alice", topic)) {
            subscribeAndWait(subscriber, Frame.subscribe("s", topic));
            publisher.send(Frame.publish("p", topic, Map.of("qty", 1))
                    .with("headers", Map.of("traceparent", CLIENT_TRACEPARENT, "tracestate", "shop=1", "h", "v")));
            assertEquals("ack", publisher.answerTo("p").path("type").asText());

            SpanData publish = span(each -> each.getName().equals("send " + topic));
            assertEquals(SpanKind.PRODUCER, publish.getKind());
            assertEquals(CLIENT_TRACE, publish.getTraceId());
            assertEquals(CLIENT_SPAN, publish.getParentSpanId());
            assertEquals(topic, publish.getAttributes().get(AttributeKey.stringKey("messaging.destination.name")));

            ConsumerRecord<byte[], byte[]> record = KafkaTestBroker.readAll(topic, 1, Duration.ofSeconds(20)).get(0);
            String recordTraceparent = "00-" + CLIENT_TRACE + "-" + publish.getSpanId() + "-01";
            assertEquals(List.of(recordTraceparent), values(record, "traceparent"));
            assertEquals(List.of("shop=1"), values(record, "tracestate"));
            assertEquals(List.of("v"), values(record, "h"));

            JsonNode event = subscriber.events(1).get(0);
            assertEquals(recordTraceparent, event.path("headers").path("traceparent").asText(), event.toString());
            assertEquals("shop=1", event.path("headers").path("tracestate").asText(), event.toString());

            SpanData delivery = span(each -> each.getName().equals("process " + topic));
            assertEquals(SpanKind.CONSUMER, delivery.getKind());
            assertEquals(CLIENT_TRACE, delivery.getTraceId());
            assertEquals(publish.getSpanId(), delivery.getParentSpanId());
            assertEquals(1L, delivery.getAttributes().get(AttributeKey.longKey("passerelle.deliveries")));
        }
    }

    @Test
    void aRecordWithoutTraceContextStartsNoDeliverySpan() {
        String topic = KafkaTestBroker.createTopic("untraced", 1);
        try (TestSocket subscriber = connect("bob", topic)) {
            subscribeAndWait(subscriber, Frame.subscribe("s", topic));
            KafkaTestBroker.produce(topic, "k", "{\"n\":1}", Map.of());
            KafkaTestBroker.produce(topic, "k", "{\"n\":2}", Map.of("traceparent", CLIENT_TRACEPARENT));
            List<JsonNode> events = subscriber.events(2);
            assertFalse(events.get(0).path("headers").has("traceparent"), events.get(0).toString());

            SpanData delivery = span(each -> each.getName().equals("process " + topic));
            assertEquals(CLIENT_SPAN, delivery.getParentSpanId());
            assertEquals(1L, delivery.getAttributes().get(AttributeKey.longKey("messaging.kafka.offset")));
            assertEquals(1, spans.getFinishedSpanItems().stream()
                    .filter(each -> each.getName().equals("process " + topic)).count());
        }
    }

    @Test
    void theUpgradeIsASpanOfTheRequestsTrace() {
        String token = TestTokens.token("alice", List.of("a"), List.of("a"));
        try (TestSocket ignored = TestSocket.connect(ws(),
                Map.of("Authorization", "Bearer " + token, "traceparent", CLIENT_TRACEPARENT), List.of())) {
            SpanData upgrade = span(each -> each.getName().equals("GET /ws") && each.getKind() == SpanKind.SERVER
                    && CLIENT_SPAN.equals(each.getParentSpanId()));
            assertEquals(CLIENT_TRACE, upgrade.getTraceId());
            assertEquals(101L, upgrade.getAttributes().get(AttributeKey.longKey("http.response.status_code")));
        }
        String refusedTrace = "0af7651916cd43dd8448eb211c80319c";
        int status = assertRefused(() -> TestSocket.connect(ws(),
                Map.of("Authorization", "Bearer not-a-token", "traceparent",
                        "00-" + refusedTrace + "-b7ad6b7169203331-01"),
                List.of()));
        SpanData refused = span(each -> each.getTraceId().equals(refusedTrace) && each.getKind() == SpanKind.SERVER);
        assertEquals("/ws", refused.getAttributes().get(AttributeKey.stringKey("url.path")));
        assertEquals((long) status, refused.getAttributes().get(AttributeKey.longKey("http.response.status_code")));
    }

    @Test
    void aRefusedPublishEndsItsSpanWithTheErrorCode() {
        try (TestSocket publisher = connect("alice", "no-such-*")) {
            publisher.send(Frame.publish("p", "no-such-topic", 1)
                    .with("headers", Map.of("traceparent", CLIENT_TRACEPARENT)));
            assertEquals("unknown_channel", publisher.answerTo("p").path("code").asText());
            SpanData publish = span(each -> each.getName().equals("send no-such-topic"));
            assertEquals(StatusCode.ERROR, publish.getStatus().getStatusCode());
            assertEquals("unknown_channel", publish.getAttributes().get(AttributeKey.stringKey("error.type")));
            assertNotEquals(CLIENT_SPAN, publish.getSpanId());
        }
    }

    private SpanData span(Predicate<SpanData> matching) {
        Await.until("the span expected", Duration.ofSeconds(20),
                () -> spans.getFinishedSpanItems().stream().anyMatch(matching));
        return spans.getFinishedSpanItems().stream().filter(matching).findFirst().orElseThrow();
    }

    private static int assertRefused(Runnable connect) {
        try {
            connect.run();
        } catch (TestSocket.UpgradeRefused refused) {
            return refused.status();
        }
        throw new AssertionError("the upgrade was accepted");
    }

    private static List<String> values(ConsumerRecord<byte[], byte[]> record, String name) {
        return StreamSupport.stream(record.headers().headers(name).spliterator(), false)
                .map(Header::value).map(value -> new String(value, StandardCharsets.UTF_8)).toList();
    }
}
