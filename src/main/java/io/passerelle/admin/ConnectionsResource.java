package io.passerelle.admin;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.passerelle.direct.ConnectionDirectory;
import io.passerelle.kafka.InstanceId;
import io.passerelle.protocol.CloseCode;
import io.passerelle.session.ClientSession;
import io.passerelle.session.SessionRegistry;

/**
 * The connections management API, like the {@code @connections} API of AWS API Gateway: inspect, send to and
 * close connections, on this replica directly, on others through the outbox.
 */
@Path("/connections")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("${passerelle.admin.role:gateway-admin}")
@SecurityScheme(securitySchemeName = "bearer", type = SecuritySchemeType.HTTP, scheme = "bearer", bearerFormat = "JWT")
@SecurityRequirement(name = "bearer")
public class ConnectionsResource {

    private final SessionRegistry sessions;
    private final ConnectionDirectory directory;
    private final OutboxCommands outbox;
    private final String instance;

    public ConnectionsResource(SessionRegistry sessions, ConnectionDirectory directory, OutboxCommands outbox,
            InstanceId instance) {
        this.sessions = sessions;
        this.directory = directory;
        this.outbox = outbox;
        this.instance = instance.value();
    }

    @GET
    @Operation(summary = "List the connections open on this replica", description = "Optionally only those of one user.")
    public List<ConnectionView> list(@QueryParam("user") String user) {
        return sessions.all().stream()
                .filter(session -> user == null || user.equals(session.user()))
                .sorted(Comparator.comparing(ClientSession::openedAt))
                .map(this::view)
                .toList();
    }

    @GET
    @Path("{id}")
    @Operation(summary = "Inspect a connection")
    @APIResponse(responseCode = "200", description = "Open: every detail on its own replica, the essentials elsewhere")
    @APIResponse(responseCode = "404", description = "Malformed or unknown id")
    @APIResponse(responseCode = "410", description = "The connection is closed")
    public ConnectionView get(@PathParam("id") String id) {
        ClientSession session = sessions.get(id);
        if (session != null) {
            return view(session);
        }
        ConnectionDirectory.Known remote = openElsewhere(id);
        return new ConnectionView(id, remote.user(), remote.instance(), false, remote.openedAt(), null, null, null,
                null);
    }

    @POST
    @Path("{id}")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Send a message to a connection", description = "The body (JSON, else text) arrives as a "
            + "'message' frame.")
    @APIResponse(responseCode = "202", description = "Delivered to the socket, or forwarded to its replica")
    @APIResponse(responseCode = "404", description = "Malformed or unknown id")
    @APIResponse(responseCode = "410", description = "The connection is closed")
    @APIResponse(responseCode = "503", description = "Kafka did not take the request in time")
    public CompletionStage<RestResponse<Accepted>> send(@PathParam("id") String id, byte[] body) {
        ClientSession session = sessions.get(id);
        if (session != null) {
            outbox.deliverLocally(session, body);
            return CompletableFuture.completedFuture(accepted(id, "local"));
        }
        return forwarded(id, () -> outbox.send(id, body));
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "Close a connection", description = "Closed with code 4000, reason 'closed by operator'.")
    @APIResponse(responseCode = "202", description = "Closing, or forwarded to its replica")
    @APIResponse(responseCode = "404", description = "Malformed or unknown id")
    @APIResponse(responseCode = "410", description = "The connection is closed already")
    @APIResponse(responseCode = "503", description = "Kafka did not take the request in time")
    public CompletionStage<RestResponse<Accepted>> disconnect(@PathParam("id") String id) {
        ClientSession session = sessions.get(id);
        if (session != null) {
            session.close(CloseCode.CLOSED_BY_OPERATOR);
            return CompletableFuture.completedFuture(accepted(id, "local"));
        }
        return forwarded(id, () -> outbox.disconnect(id));
    }

    /** Every refusal of this API: its status and body. */
    @ServerExceptionMapper
    public RestResponse<ApiError> refused(ApiException refusal) {
        return RestResponse.status(refusal.status(), refusal.error());
    }

    private CompletionStage<RestResponse<Accepted>> forwarded(String id, Supplier<CompletionStage<Void>> forward) {
        openElsewhere(id);
        // Completed by hand, so that a refusal reaches the exception mapper as itself, not wrapped.
        CompletableFuture<RestResponse<Accepted>> answer = new CompletableFuture<>();
        forward.get().whenComplete((ignored, failure) -> {
            if (failure == null) {
                answer.complete(accepted(id, "kafka"));
            } else {
                answer.completeExceptionally(new ApiException(RestResponse.Status.SERVICE_UNAVAILABLE,
                        new ApiError("unavailable", "Kafka did not take the request in time")));
            }
        });
        return answer;
    }

    /** What the lifecycle topic says of a connection open on another replica; refused when it is not open. */
    private ConnectionDirectory.Known openElsewhere(String id) {
        Optional<ConnectionDirectory.Known> known = knownElsewhere(id);
        if (known.isEmpty()) {
            throw new ApiException(RestResponse.Status.NOT_FOUND,
                    new ApiError("not_found", "no connection " + abbreviate(id) + " is known"));
        }
        if (!known.get().open()) {
            throw new ApiException(RestResponse.Status.GONE, new ApiError("gone", "connection " + id + " is closed"));
        }
        return known.get();
    }

    private Optional<ConnectionDirectory.Known> knownElsewhere(String id) {
        return isWellFormed(id) ? directory.find(id) : Optional.empty();
    }

    private static boolean isWellFormed(String id) {
        try {
            return UUID.fromString(id).toString().equals(id);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private ConnectionView view(ClientSession session) {
        return new ConnectionView(session.connectionId(), session.user(), instance, true,
                session.openedAt().toEpochMilli(), session.remoteAddress(), List.copyOf(session.channels()),
                session.framesIn(), session.outbound().framesOut());
    }

    private static RestResponse<Accepted> accepted(String id, String route) {
        return RestResponse.status(RestResponse.Status.ACCEPTED, new Accepted(id, route));
    }

    private static String abbreviate(String id) {
        return id.length() <= 64 ? id : id.substring(0, 64) + "…";
    }

    /** The answer to a request the gateway accepted: how it was routed. */
    public record Accepted(String connection, String route) {
    }

}
