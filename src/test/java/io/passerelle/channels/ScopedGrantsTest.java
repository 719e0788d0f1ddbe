package io.passerelle.channels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.passerelle.testing.Frame;
import io.passerelle.testing.GatewayTestBase;
import io.passerelle.testing.KafkaTestBroker;
import io.passerelle.testing.TestSocket;
import io.passerelle.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;

/**
 * docs/security.md's example: topic {@code orders} keyed by customer; a customer reads and writes only its own key;
 * the {@code support} role reads every key of its tenant, selected by the {@code tenant} header; nobody reads another
 * tenant, in a consumer group neither.
 */
@QuarkusTest
class ScopedGrantsTest extends GatewayTestBase {

    private TestSocket customer(String sub, String tenant, String topic) {
        return TestSocket.connect(ws(), TestTokens.tokenWithClaims(sub, Map.of("tenant", tenant,
                "subscribe", List.of(topic + "[key={sub}]"),
                "publish", List.of(topic + "[key={sub};header.tenant={tenant}]"))));
    }

    private TestSocket support(String sub, String tenant) {
        return TestSocket.connect(ws(), TestTokens.tokenWithClaims(sub, Map.of("tenant", tenant), "support"));
    }

    @Test
    void customersKeepToTheirKeyAndSupportToItsTenant() {
        String topic = KafkaTestBroker.createTopic("tenant-orders", 3);
        try (TestSocket alice = customer("alice", "t1", topic);
                TestSocket bob = customer("bob", "t1", topic);
                TestSocket carol = customer("carol", "t2", topic);
                TestSocket supportT1 = support("sam", "t1");
                TestSocket supportT2 = support("sue", "t2")) {
            // Subscribing without a filter is narrowed to the grant, and the answer says so.
            alice.send(Frame.subscribe("mine", topic));
            JsonNode subscribed = alice.answerTo("mine");
            assertEquals("subscribed", subscribed.get("type").asText(), subscribed.toString());
            assertEquals("{\"keys\":[\"alice\"]}", subscribed.get("filter").toString());
            // Another customer's key is refused, on subscribe and on publish; so is another tenant.
            alice.send(Frame.subscribe("theirs", topic).with("key", "bob"));
            assertEquals("forbidden", alice.answerTo("theirs").get("code").asText());
            alice.send(Frame.publish("p-bob", topic, Map.of("n", 0)).with("key", "bob"));
            assertEquals("forbidden", alice.answerTo("p-bob").get("code").asText());
            alice.send(Frame.publish("p-t2", topic, Map.of("n", 0)).withJson("headers", "{\"tenant\":\"t2\"}"));
            assertEquals("forbidden", alice.answerTo("p-t2").get("code").asText());
            supportT1.send(Frame.subscribe("other", topic).withJson("headers", "{\"tenant\":\"t2\"}"));
            assertEquals("forbidden", supportT1.answerTo("other").get("code").asText());
            subscribeAndWait(supportT1, Frame.subscribe("tenant", topic));
            subscribeAndWait(supportT2, Frame.subscribe("tenant", topic));

            // A publish without key or tenant has both stamped from the token.
            for (TestSocket customer : List.of(bob, carol)) {
                customer.send(Frame.publish("p", topic, Map.of("n", 1)));
                assertEquals("ack", customer.answerTo("p").get("type").asText());
            }
            alice.send(Frame.publish("p", topic, Map.of("n", 1)));
            alice.send(Frame.publish("p2", topic, Map.of("n", 2)).with("key", "alice")
                    .withJson("headers", "{\"tenant\":\"t1\"}"));
            List<JsonNode> aliceGot = List.of(alice.next(), alice.next(), alice.next(), alice.next());
            assertEquals(2, aliceGot.stream().filter(f -> f.get("type").asText().equals("ack")).count(),
                    aliceGot.toString());
            List<JsonNode> aliceEvents = aliceGot.stream().filter(f -> f.get("type").asText().equals("event"))
                    .toList();

            Set<String> written = new HashSet<>();
            for (ConsumerRecord<byte[], byte[]> record : KafkaTestBroker.readAll(topic, 4, Duration.ofSeconds(20))) {
                written.add(new String(record.key(), StandardCharsets.UTF_8) + "/"
                        + new String(record.headers().lastHeader("tenant").value(), StandardCharsets.UTF_8));
            }
            assertEquals(Set.of("alice/t1", "bob/t1", "carol/t2"), written);

            assertEquals(List.of("alice", "alice"), keys(aliceEvents));
            assertEquals(Set.of("alice", "bob"), Set.copyOf(keys(supportT1.events(3))));
            assertEquals(List.of("carol"), keys(supportT2.events(1)));
            for (TestSocket socket : List.of(alice, supportT1, supportT2)) {
                socket.assertNoMoreEvents();
            }
        }
    }

    @Test
    void aConsumerGroupUnderAScopedGrantReadsItsScopeAndLosesNoneOfIt() {
        String topic = KafkaTestBroker.createTopic("tenant-orders", 2);
        for (int i = 0; i < 6; i++) {
            KafkaTestBroker.produce(topic, "customer-" + i, Integer.toString(i),
                    Map.of("tenant", i % 2 == 0 ? "t1" : "t2"));
        }
        try (TestSocket supportT1 = support("sam", "t1"); TestSocket supportT2 = support("sue", "t2")) {
            // Same group name, different tenants: each tenant's members form their own Kafka group.
            subscribeAndWait(supportT1, Frame.subscribe("g", topic).with("group", "audit").with("from", "earliest"));
            subscribeAndWait(supportT2, Frame.subscribe("g", topic).with("group", "audit").with("from", "earliest"));
            assertEquals(Set.of("0", "2", "4"), data(supportT1.events(3)));
            assertEquals(Set.of("1", "3", "5"), data(supportT2.events(3)));
            supportT1.assertNoMoreEvents();
            supportT2.assertNoMoreEvents();
        }
    }

    @Test
    void aRefreshThatMovesTheTokenToAnotherScopeEndsTheSubscriptionsOutsideIt() {
        String topic = KafkaTestBroker.createTopic("tenant-orders", 1);
        try (TestSocket support = support("sam", "t1")) {
            subscribeAndWait(support, Frame.subscribe("tenant", topic));
            support.send(Frame.refresh("r", TestTokens.tokenWithClaims("sam", Map.of("tenant", "t2"), "support")));
            JsonNode ended = support.next(f -> "error".equals(f.path("type").asText()));
            assertEquals("forbidden", ended.get("code").asText(), ended.toString());
            assertEquals("tenant", ended.get("subscription").asText());
            assertEquals("r", ended.get("id").asText());
            KafkaTestBroker.produce(topic, "c", "1", Map.of("tenant", "t1"));
            support.assertNoMoreEvents();
            // Under the new token the socket reads its new tenant.
            subscribeAndWait(support, Frame.subscribe("t2", topic));
            KafkaTestBroker.produce(topic, "c", "2", Map.of("tenant", "t2"));
            assertEquals("2", support.events(1).get(0).get("data").asText());
        }
    }

    private static List<String> keys(List<JsonNode> events) {
        return events.stream().map(e -> e.get("key").asText()).toList();
    }

    private static Set<String> data(List<JsonNode> events) {
        Set<String> values = new HashSet<>();
        events.forEach(e -> assertTrue(values.add(e.get("data").asText()), "duplicate " + e));
        return values;
    }

}
