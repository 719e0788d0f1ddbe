package io.passerelle.schema;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A client of a registry's Confluent-compatible API: writer schemas by id (immutable, kept in a bounded cache) and
 * the schema publishes to a subject use (latest or pinned, kept for a while). Every request is asynchronous and bounded in time; a failure is
 * a {@link SchemaException}, never a hang.
 * <p>
 * Threads: requests run on the HTTP client's own thread; callers that may block (readers) wait for the result with
 * the same bound.
 */
public final class SchemaRegistry {

    private record Fetched(WriterSchema schema, long fetchedAtNanos) {
    }

    private final String base;
    private final Duration timeout;
    private final long latestRefreshNanos;
    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http;
    private final ExecutorService executor;
    private final Map<Integer, WriterSchema> byId;
    private final Map<String, Fetched> forPublish;

    public SchemaRegistry(String url, Duration timeout, int cacheSize, Duration latestRefresh) {
        this.base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        this.timeout = timeout;
        this.latestRefreshNanos = latestRefresh.toNanos();
        this.executor = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "passerelle-schema-registry");
            thread.setDaemon(true);
            return thread;
        });
        this.http = HttpClient.newBuilder().connectTimeout(timeout).executor(executor).build();
        this.byId = leastRecentlyUsed(cacheSize);
        this.forPublish = leastRecentlyUsed(cacheSize);
    }

    /** A map that forgets its least recently used entries beyond the bound; callers synchronize on it. */
    private static <K, V> Map<K, V> leastRecentlyUsed(int bound) {
        return new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > bound;
            }
        };
    }

    public Duration timeout() {
        return timeout;
    }

    /** The writer schema of an id; it never changes, so it is asked once. */
    public CompletableFuture<WriterSchema> byId(int id) {
        synchronized (byId) {
            WriterSchema known = byId.get(id);
            if (known != null) {
                return CompletableFuture.completedFuture(known);
            }
        }
        return get("/schemas/ids/" + id, "schema " + id).thenApply(answer -> remember(id, answer));
    }

    /**
     * The schema a publish to the subject is written with: the given version, or the latest when it is null. Asked
     * again after {@code latest-refresh}, so that a new version (or a deleted one) is seen.
     */
    public CompletableFuture<WriterSchema> forPublish(String subject, Integer version) {
        String key = version == null ? subject : subject + "\u0000" + version;
        Fetched known;
        synchronized (forPublish) {
            known = forPublish.get(key);
        }
        if (known != null && System.nanoTime() - known.fetchedAtNanos() < latestRefreshNanos) {
            return CompletableFuture.completedFuture(known.schema());
        }
        String path = "/subjects/" + URLEncoder.encode(subject, StandardCharsets.UTF_8) + "/versions/"
                + (version == null ? "latest" : version);
        String what = "subject '" + subject + "'" + (version == null ? "" : " version " + version);
        return get(path, what).thenApply(answer -> {
            WriterSchema schema = remember(answer.path("id").asInt(), answer);
            synchronized (forPublish) {
                forPublish.put(key, new Fetched(schema, System.nanoTime()));
            }
            return schema;
        });
    }

    /** The schema of an id the registry answered with: the one already kept, else parsed from the answer and kept. */
    private WriterSchema remember(int id, JsonNode answer) {
        synchronized (byId) {
            WriterSchema known = byId.get(id);
            if (known != null) {
                return known;
            }
        }
        WriterSchema schema = parse(id, answer);
        synchronized (byId) {
            byId.put(id, schema);
        }
        return schema;
    }

    public void close() {
        executor.shutdownNow();
    }

    private CompletableFuture<JsonNode> get(String path, String what) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout)
                .header("Accept", "application/vnd.schemaregistry.v1+json, application/json").GET().build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
                .orTimeout(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
                .handle((response, failure) -> {
                    if (failure != null) {
                        throw new SchemaException(SchemaException.Kind.UNAVAILABLE,
                                "the schema registry did not answer for " + what + " in time");
                    }
                    if (response.statusCode() == 404) {
                        throw new SchemaException(SchemaException.Kind.UNKNOWN,
                                "the schema registry knows no " + what);
                    }
                    if (response.statusCode() != 200) {
                        throw new SchemaException(SchemaException.Kind.UNAVAILABLE,
                                "the schema registry answered " + response.statusCode() + " for " + what);
                    }
                    try {
                        return json.readTree(response.body());
                    } catch (Exception e) {
                        throw new SchemaException(SchemaException.Kind.UNAVAILABLE,
                                "the schema registry's answer for " + what + " is not JSON");
                    }
                });
    }

    private static WriterSchema parse(int id, JsonNode answer) {
        String type = answer.path("schemaType").asText("AVRO");
        String text = answer.path("schema").asText();
        try {
            if (answer.path("references").size() > 0) {
                throw new SchemaException(SchemaException.Kind.UNSUPPORTED,
                        "schema " + id + " refers to other subjects' schemas");
            }
            SchemaCodec codec = switch (type) {
                case "AVRO" -> AvroCodec.parse(id, text);
                case "PROTOBUF" -> ProtobufCodec.parse(id, text);
                case "JSON" -> JsonSchemaCodec.parse(id, text);
                default -> throw new SchemaException(SchemaException.Kind.UNSUPPORTED,
                        "schema " + id + " is of type " + type);
            };
            return new WriterSchema(id, codec, null);
        } catch (SchemaException e) {
            return new WriterSchema(id, null, e);
        }
    }
}
