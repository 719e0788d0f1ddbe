package io.passerelle.direct;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.passerelle.cluster.ConnectionIds;
import io.passerelle.cluster.Replica;
import io.passerelle.cluster.ReplicaDirectory;
import io.passerelle.cluster.ReplicasConfig;
import io.passerelle.kafka.RecordPublisher;
import io.passerelle.protocol.GatewayHeaders;

/**
 * Questions about connections, answered by the replica that holds them: inspect, send to, close, list. The id of a
 * connection names its replica; a question for another replica goes through the outbox, addressed to that replica,
 * and its answer comes back the same way. No replica keeps a copy of the others' connections.
 * <p>
 * Threads: questions are asked from any thread; answers are written and received on the outbox reader's thread.
 */
@ApplicationScoped
public class ClusterQuestions {

    /** What became of a question about one connection. */
    public enum Status {
        /** Open, and the operation was done. */
        OK,
        /** Closed, or its replica ended. */
        GONE,
        /** No such connection. */
        NOT_FOUND
    }

    /** The answer about one connection; {@code connection} is set when it is open. */
    public record Outcome(Status status, ConnectionInfo connection, boolean local) {
    }

    /** A replica that did not answer in time, or a question Kafka did not take. */
    public static final class UnansweredException extends RuntimeException {

        UnansweredException(String message) {
            super(message, null, false, false);
        }
    }

    private static final Logger LOG = Logger.getLogger(ClusterQuestions.class);

    private final LocalConnections local;
    private final ReplicaDirectory replicas;
    private final RecordPublisher publisher;
    private final ObjectMapper json;
    private final String outbox;
    private final long timeoutMillis;
    private final Map<String, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();

    public ClusterQuestions(LocalConnections local, ReplicaDirectory replicas, RecordPublisher publisher,
            ObjectMapper json, OutboxConfig outbox, ReplicasConfig config) {
        this.local = local;
        this.replicas = replicas;
        this.publisher = publisher;
        this.json = json;
        this.outbox = outbox.topic();
        this.timeoutMillis = config.questionTimeout().toMillis();
    }

    /** True when the connection is (or was) this replica's. */
    public boolean isLocal(String id) {
        return replicas.self().equals(ConnectionIds.replicaOf(id));
    }

    public CompletionStage<Outcome> inspect(String id) {
        return about(id, "inspect", null);
    }

    public CompletionStage<Outcome> send(String id, byte[] body) {
        return about(id, "send", body);
    }

    public CompletionStage<Outcome> disconnect(String id) {
        return about(id, "disconnect", null);
    }

    /** A page of the connections of this replica, or of every live replica. */
    public CompletionStage<ConnectionPage> list(String user, ConnectionPage.After after, int limit,
            boolean clusterWide) {
        if (!clusterWide) {
            return CompletableFuture.completedFuture(local.list(user, after, limit));
        }
        List<CompletableFuture<ConnectionPage>> pages = new ArrayList<>();
        for (Replica replica : replicas.live()) {
            if (replica.tag().equals(replicas.self())) {
                pages.add(CompletableFuture.completedFuture(local.list(user, after, limit)));
            } else {
                ObjectNode question = json.createObjectNode().put("ask", "list").put("limit", limit);
                if (user != null) {
                    question.put("user", user);
                }
                if (after.id() != null) {
                    question.put("afterOpenedAt", after.openedAt()).put("afterId", after.id());
                }
                pages.add(ask(replica, question).thenApply(this::page));
            }
        }
        return CompletableFuture.allOf(pages.toArray(CompletableFuture[]::new))
                .thenApply(ignored -> merge(pages.stream().map(CompletableFuture::join).toList(), limit));
    }

    /** Handles a record of the outbox addressed to a replica: a question to this one, or an answer to it. */
    void handle(ConsumerRecord<byte[], byte[]> record) {
        String correlation = OutboxHeaders.text(record, GatewayHeaders.CORRELATION_ID);
        if (correlation == null || record.value() == null) {
            return;
        }
        JsonNode message;
        try {
            message = json.readTree(record.value());
        } catch (Exception e) {
            LOG.debugf("An unreadable question or answer at %d/%d", record.partition(), record.offset());
            return;
        }
        String replyTo = OutboxHeaders.text(record, GatewayHeaders.REPLY_TO_REPLICA);
        if (replyTo == null) {
            CompletableFuture<JsonNode> waiting = pending.remove(correlation);
            if (waiting != null) {
                waiting.complete(message);
            }
            return;
        }
        write(replyTo, correlation, null, answer(message));
    }

    private ObjectNode answer(JsonNode question) {
        ObjectNode answer = json.createObjectNode();
        String id = question.path("connection").asText(null);
        switch (question.path("ask").asText()) {
            case "list" -> {
                ConnectionPage.After after = question.has("afterId")
                        ? new ConnectionPage.After(question.path("afterOpenedAt").asLong(),
                                question.path("afterId").asText())
                        : ConnectionPage.After.START;
                ConnectionPage page = local.list(question.path("user").asText(null), after,
                        question.path("limit").asInt(1));
                answer.put("status", "ok").put("more", page.more());
                answer.set("connections", json.valueToTree(page.connections()));
            }
            case "inspect" -> putOutcome(answer, local.inspect(id));
            case "send" -> putOutcome(answer, local.send(id, Base64.getDecoder().decode(question.path("body")
                    .asText(""))));
            case "disconnect" -> putOutcome(answer, local.disconnect(id));
            default -> answer.put("status", "unknown_question");
        }
        return answer;
    }

    private void putOutcome(ObjectNode answer, Outcome outcome) {
        answer.put("status", outcome.status().name().toLowerCase(java.util.Locale.ROOT));
        if (outcome.connection() != null) {
            answer.set("connection", json.valueToTree(outcome.connection()));
        }
    }

    private CompletionStage<Outcome> about(String id, String ask, byte[] body) {
        String tag = ConnectionIds.replicaOf(id);
        if (tag == null) {
            return CompletableFuture.completedFuture(new Outcome(Status.NOT_FOUND, null, false));
        }
        if (tag.equals(replicas.self())) {
            return CompletableFuture.completedFuture(switch (ask) {
                case "inspect" -> local.inspect(id);
                case "send" -> local.send(id, body);
                default -> local.disconnect(id);
            });
        }
        Replica replica = replicas.find(tag).orElse(null);
        if (replica == null) {
            return CompletableFuture.completedFuture(new Outcome(Status.NOT_FOUND, null, false));
        }
        if (!replicas.isLive(replica)) {
            return CompletableFuture.completedFuture(new Outcome(Status.GONE, null, false));
        }
        ObjectNode question = json.createObjectNode().put("ask", ask).put("connection", id);
        if (body != null) {
            question.put("body", Base64.getEncoder().encodeToString(body));
        }
        return ask(replica, question).thenApply(this::outcome);
    }

    private Outcome outcome(JsonNode answer) {
        Status status = switch (answer.path("status").asText()) {
            case "ok" -> Status.OK;
            case "gone" -> Status.GONE;
            case "not_found" -> Status.NOT_FOUND;
            default -> throw new UnansweredException("the replica did not understand the question");
        };
        ConnectionInfo connection = answer.hasNonNull("connection")
                ? json.convertValue(answer.get("connection"), ConnectionInfo.class)
                : null;
        return new Outcome(status, connection, false);
    }

    private ConnectionPage page(JsonNode answer) {
        List<ConnectionInfo> connections = new ArrayList<>();
        for (JsonNode connection : answer.path("connections")) {
            connections.add(json.convertValue(connection, ConnectionInfo.class));
        }
        return new ConnectionPage(connections, answer.path("more").asBoolean());
    }

    private static ConnectionPage merge(Collection<ConnectionPage> pages, int limit) {
        List<ConnectionInfo> all = new ArrayList<>();
        boolean more = false;
        for (ConnectionPage page : pages) {
            all.addAll(page.connections());
            more |= page.more();
        }
        all.sort(ConnectionPage.ORDER);
        more |= all.size() > limit;
        return new ConnectionPage(List.copyOf(all.subList(0, Math.min(limit, all.size()))), more);
    }

    private CompletableFuture<JsonNode> ask(Replica replica, ObjectNode question) {
        String correlation = UUID.randomUUID().toString();
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(correlation, answer);
        write(replica.tag(), correlation, replicas.self(), question).whenComplete((ignored, failure) -> {
            if (failure != null) {
                pending.remove(correlation);
                answer.completeExceptionally(new UnansweredException("Kafka did not take the question in time"));
            }
        });
        return answer.orTimeout(timeoutMillis, TimeUnit.MILLISECONDS).handle((value, failure) -> {
            pending.remove(correlation);
            if (failure == null) {
                return value;
            }
            if (failure instanceof UnansweredException unanswered) {
                throw unanswered;
            }
            throw new UnansweredException("replica " + replica.instance() + " did not answer in time");
        });
    }

    private CompletionStage<?> write(String toReplica, String correlation, String replyTo, ObjectNode message) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(GatewayHeaders.TARGET_REPLICA, toReplica.getBytes(StandardCharsets.UTF_8));
        headers.add(GatewayHeaders.CORRELATION_ID, correlation.getBytes(StandardCharsets.UTF_8));
        if (replyTo != null) {
            headers.add(GatewayHeaders.REPLY_TO_REPLICA, replyTo.getBytes(StandardCharsets.UTF_8));
        }
        return publisher.publish(new ProducerRecord<>(outbox, null, (byte[]) null,
                message.toString().getBytes(StandardCharsets.UTF_8), headers));
    }

}
