package io.passerelle.clients;

import static io.passerelle.testing.AdminApi.asAdmin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.passerelle.client.Ack;
import io.passerelle.client.Assignment;
import io.passerelle.client.ConnectionState;
import io.passerelle.client.Event;
import io.passerelle.client.Json;
import io.passerelle.client.Message;
import io.passerelle.client.PasserelleClient;
import io.passerelle.client.PasserelleException;
import io.passerelle.client.PublishOptions;
import io.passerelle.client.SubscribeOptions;
import io.passerelle.client.Subscription;
import io.passerelle.client.SubscriptionEnded;
import io.passerelle.testing.AdminApi;
import io.passerelle.testing.Await;
import io.passerelle.testing.GatewayTestBase;
import io.passerelle.testing.KafkaTestBroker;
import io.passerelle.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;

/** The Java client (client-java/) against the real gateway and a real Kafka broker. */
@QuarkusTest
class JavaClientTest extends GatewayTestBase {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private final List<PasserelleClient> clients = new ArrayList<>();

    @AfterEach
    void closeClients() {
        clients.forEach(PasserelleClient::close);
    }

    private PasserelleClient client(Supplier<String> tokens) {
        PasserelleClient client = PasserelleClient.builder(ws().toString()).tokenSupplier(tokens)
                .reconnectDelays(Duration.ofMillis(20), Duration.ofMillis(200)).build();
        clients.add(client);
        return client;
    }

    private PasserelleClient client(String user, String... topics) {
        String token = TestTokens.token(user, List.of(topics), List.of(topics));
        return client(() -> token);
    }

    private static <T> T await(CompletableFuture<T> future) throws Exception {
        return future.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    private static PasserelleException failure(CompletableFuture<?> future) {
        ExecutionException failed = assertThrows(ExecutionException.class, () -> await(future));
        return assertInstanceOf(PasserelleException.class, failed.getCause());
    }

    @Test
    void aPublishCompletesWithTheAckOfTheRecordKafkaHoldsAndARefusalWithItsCode() throws Exception {
        String topic = KafkaTestBroker.createTopic("jc-publish", 2);
        PasserelleClient client = client("jane", topic);

        Ack ack = await(client.publish(topic, Map.of("sku", "A", "qty", 3),
                PublishOptions.create().key("k-1").header("source", "app")));
        assertEquals(topic, ack.channel());
        ConsumerRecord<byte[], byte[]> record = KafkaTestBroker.readAll(topic, 1, WAIT).get(0);
        assertEquals(ack.partition(), record.partition());
        assertEquals(ack.offset(), record.offset());
        assertEquals("k-1", new String(record.key(), StandardCharsets.UTF_8));
        assertEquals(Map.of("sku", "A", "qty", 3L), Json.parse(new String(record.value(), StandardCharsets.UTF_8)));
        assertEquals("app", new String(record.headers().lastHeader("source").value(), StandardCharsets.UTF_8));

        assertEquals("forbidden", failure(client.publish("not-granted", "x")).code());
        assertEquals("bad_request", failure(client.publish(topic, "x",
                PublishOptions.create().header("passerelle-user", "someone-else"))).code());
    }

    @Test
    void subscriptionsStartLatestEarliestOrAtOffsetsAndRunOnTheGivenExecutor() throws Exception {
        String topic = KafkaTestBroker.createTopic("jc-start", 1);
        for (String value : List.of("1", "2", "3")) {
            KafkaTestBroker.produce(topic, 0, "k" + value, value);
        }
        ExecutorService application = Executors.newSingleThreadExecutor(runnable -> new Thread(runnable, "app"));
        try {
            String token = TestTokens.token("stan", List.of(topic), List.of(topic));
            PasserelleClient client = PasserelleClient.builder(ws().toString()).token(token)
                    .callbackExecutor(application).build();
            clients.add(client);
            Inbox<Event> earliest = new Inbox<>();
            Inbox<Event> fromOffset = new Inbox<>();
            Inbox<Event> latest = new Inbox<>();
            Inbox<String> threads = new Inbox<>();
            Subscription all = await(client.subscribe(topic, event -> {
                threads.accept(Thread.currentThread().getName());
                earliest.accept(event);
            }, SubscribeOptions.create().id("all").fromEarliest()));
            assertEquals("all", all.id());
            assertNull(all.narrowedTo());
            await(client.subscribe(topic, fromOffset,
                    SubscribeOptions.create().keyPrefix("k").fromOffsets(Map.of(0, 1L))));
            await(client.subscribe(topic, latest, SubscribeOptions.create().key("k4")));

            assertEquals(List.of(1L, 2L, 3L), data(earliest.await(3, WAIT)));
            assertEquals(List.of(2L, 3L), data(fromOffset.await(2, WAIT)));
            KafkaTestBroker.produce(topic, 0, "k4", "4");
            KafkaTestBroker.produce(topic, 0, "k5", "5");
            assertEquals(List.of(4L), data(latest.await(1, WAIT)));
            Event fourth = earliest.await(5, WAIT).get(3);
            assertEquals("all", fourth.subscription());
            assertEquals("k4", fourth.key());
            assertEquals(3, fourth.offset());
            assertEquals(Map.of(0, 5L), all.positions());
            assertEquals(Set.of("app"), new HashSet<>(threads.all()));
            assertEquals(1, latest.settle(Duration.ofMillis(300)).size());

            await(all.unsubscribe());
            KafkaTestBroker.produce(topic, 0, "k6", "6");
            assertEquals(List.of(2L, 3L, 4L, 5L, 6L), data(fromOffset.await(5, WAIT))); // still subscribed
            assertEquals(5, earliest.settle(Duration.ofMillis(300)).size());
        } finally {
            application.shutdown();
        }
    }

    private static List<Object> data(List<Event> events) {
        return events.stream().map(Event::data).collect(Collectors.toList());
    }

    @Test
    void afterAConnectionCutEverySubscriptionResumesWithNoGapAndNoDuplicate() throws Exception {
        String topic = KafkaTestBroker.createTopic("jc-resume", 2);
        String token = TestTokens.token("rhea", List.of(topic), List.of(topic));
        GatedTokens tokens = new GatedTokens(() -> token);
        PasserelleClient client = client(tokens);
        Inbox<Event> events = new Inbox<>();
        Inbox<ConnectionState> states = new Inbox<>();
        client.onState(states);
        await(client.subscribe(topic, events));

        Streams.produce(topic, 0, 6);
        events.await(6, WAIT);
        tokens.hold();
        asAdmin().delete("/connections/" + AdminApi.connectionOf("rhea")).then().statusCode(202);
        Await.until("the client waits for a token to reconnect", WAIT, tokens::waiting);
        assertEquals(4000, client.lastCloseCode());
        assertEquals(ConnectionState.RECONNECTING, client.state());
        Streams.produce(topic, 6, 12); // while it is away
        tokens.release();
        Await.until("reconnected", WAIT, () -> client.state() == ConnectionState.OPEN);
        Streams.produce(topic, 12, 18);

        Streams.assertEachOnceInOrder(events, 18, WAIT);
        assertTrue(states.all().containsAll(List.of(ConnectionState.OPEN, ConnectionState.RECONNECTING)));
    }

    @Test
    void anExpiringTokenIsRefreshedThroughTheSupplierWithoutAReconnect() throws Exception {
        String topic = KafkaTestBroker.createTopic("jc-refresh", 1);
        String first = TestTokens.shortLivedToken("tess", List.of(topic), List.of(topic), Duration.ofSeconds(4));
        String second = TestTokens.token("tess", List.of(topic), List.of(topic));
        GatedTokens tokens = new GatedTokens(new Supplier<>() {
            private int asked;

            @Override
            public synchronized String get() {
                return ++asked == 1 ? first : second;
            }
        });
        PasserelleClient client = client(tokens);
        Inbox<ConnectionState> states = new Inbox<>();
        client.onState(states);
        await(client.connect());
        long expiresAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(4);

        Await.until("the supplier is asked for a new token", WAIT, () -> tokens.asked() == 2);
        Thread.sleep(Math.max(0, TimeUnit.NANOSECONDS.toMillis(expiresAt - System.nanoTime())) + 1500);
        await(client.ping());
        await(client.publish(topic, "still here"));
        assertEquals(2, tokens.asked());
        assertEquals(0, client.lastCloseCode(), "the first connection never closed");
        assertFalse(states.all().contains(ConnectionState.RECONNECTING), states.all().toString());
    }

    @Test
    void aGroupSubscriptionHearsItsAssignmentAndItsCommitsHold() throws Exception {
        String topic = KafkaTestBroker.createTopic("jc-group", 2);
        String group = "workers-" + topic;
        PasserelleClient first = client("gus", topic);
        Inbox<Assignment> assignments = new Inbox<>();
        first.onAssigned(assignments);
        Inbox<Event> events = new Inbox<>();
        await(first.subscribe(topic, events, SubscribeOptions.create().id("g").group(group).fromEarliest()));
        Streams.produce(topic, 0, 4);
        for (Event event : events.await(4, WAIT)) {
            await(first.commit(topic, event.partition(), event.offset(), "g"));
        }
        Assignment assigned = assignments.await(1, WAIT).get(0);
        assertEquals("g", assigned.subscription());
        assertEquals(topic, assigned.channel());
        first.close();

        // The commits hold: the group's next member starts after them.
        PasserelleClient second = client("gus", topic);
        Inbox<Event> after = new Inbox<>();
        await(second.subscribe(topic, after, SubscribeOptions.create().group(group).fromEarliest()));
        Streams.produce(topic, 4, 6);
        assertEquals(Set.of("4", "5"), after.await(2, Duration.ofSeconds(40)).stream()
                .map(e -> e.data().toString()).collect(Collectors.toSet()));
        assertEquals(2, after.settle(Duration.ofMillis(500)).size());
    }

    @Test
    void directMessagesAndRepliesReachTheirListeners() throws Exception {
        String requests = KafkaTestBroker.createTopic("jc-requests", 1);
        PasserelleClient client = client("dora", requests);
        Inbox<Message> messages = new Inbox<>();
        Inbox<Message> replies = new Inbox<>();
        client.onMessage(messages);
        client.onReply(replies);
        await(client.connect());

        KafkaTestBroker.produce("passerelle.outbox", "k", "{\"note\":\"for dora\"}",
                Map.of("passerelle-target-user", "dora"));
        Message message = messages.await(1, WAIT).get(0);
        assertEquals(Map.of("note", "for dora"), message.data());
        assertEquals("k", message.key());
        assertNull(message.id());

        Ack ack = await(client.publish(requests, Map.of("question", "6x7"), PublishOptions.create().reply(true)));
        ConsumerRecord<byte[], byte[]> request = KafkaTestBroker.readAll(requests, 1, WAIT).get(0);
        Map<String, String> headers = new HashMap<>();
        request.headers().forEach(h -> headers.put(h.key(), new String(h.value(), StandardCharsets.UTF_8)));
        KafkaTestBroker.produce(headers.get("passerelle-reply-to"), null, "{\"answer\":42}",
                Map.of("passerelle-target-connection", headers.get("passerelle-connection"),
                        "passerelle-correlation-id", headers.get("passerelle-correlation-id")));
        Message reply = replies.await(1, WAIT).get(0);
        assertEquals(ack.id(), reply.id());
        assertEquals("{\"answer\":42}", reply.dataJson());
    }

    @Test
    void aSubscriptionTheGatewayEndsIsReportedWithItsCode() throws Exception {
        String topic = KafkaTestBroker.createTopic("jc-ended", 1);
        PasserelleClient client = client("eddie", topic);
        Inbox<SubscriptionEnded> ended = new Inbox<>();
        client.onSubscriptionEnded(ended);
        await(client.subscribe(topic, new Inbox<>(), SubscribeOptions.create().id("doomed")));
        KafkaTestBroker.deleteTopic(topic);
        SubscriptionEnded end = ended.await(1, Duration.ofSeconds(40)).get(0);
        assertEquals("doomed", end.subscription());
        assertEquals(topic, end.channel());
        assertEquals("unknown_channel", end.cause().code());
        assertTrue(client.positions("doomed").isEmpty());
    }

    @Test
    void requestsAreBoundedAndCloseFailsWhatIsPendingAndStopsTheClientsThreads() throws Exception {
        String topic = KafkaTestBroker.createTopic("jc-close", 1);
        String token = TestTokens.token("cleo", List.of(topic), List.of(topic));
        GatedTokens tokens = new GatedTokens(() -> token);
        tokens.hold();
        PasserelleClient client = PasserelleClient.builder(ws().toString()).tokenSupplier(tokens)
                .maxPendingRequests(2).build();
        CompletableFuture<Ack> first = client.publish(topic, 1);
        CompletableFuture<Ack> second = client.publish(topic, 2);
        assertEquals(PasserelleException.BUFFER_FULL, failure(client.publish(topic, 3)).code());
        CompletableFuture<Subscription> subscription = client.subscribe(topic, new Inbox<>());
        Await.until("connecting", WAIT, tokens::waiting);

        client.close();
        assertEquals(PasserelleException.CLOSED, failure(first).code());
        assertEquals(PasserelleException.CLOSED, failure(second).code());
        assertEquals(PasserelleException.CLOSED, failure(subscription).code());
        assertEquals(ConnectionState.CLOSED, client.state());
        assertEquals(PasserelleException.CLOSED, failure(client.publish(topic, 4)).code());
        Await.until("the client's threads stopped", WAIT, () -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(thread -> thread.getName().startsWith("passerelle-client-")));
        assertTrue(KafkaTestBroker.readAll(topic, 1, Duration.ofSeconds(1)).isEmpty());
    }
}
