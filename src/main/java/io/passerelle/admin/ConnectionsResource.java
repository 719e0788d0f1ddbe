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
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;

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
    public Response get(@PathParam("id") String id) {
        ClientSession session = sessions.get(id);
        if (session != null) {
            return Response.ok(view(session)).build();
        }
        Optional<ConnectionDirectory.Known> known = knownElsewhere(id);
        if (known.isEmpty()) {
            return unknown(id);
        }
        if (!known.get().open()) {
            return gone(id);
        }
        ConnectionDirectory.Known remote = known.get();
        return Response.ok(new ConnectionView(id, remote.user(), remote.instance(), false, remote.openedAt(), null,
                null, null, null)).build();
    }

    @POST
    @Path("{id}")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Send a message to a connection", description = "The body (JSON, else text) arrives as a "
            + "'message' frame.")
    @APIResponse(responseCode = "202", description = "Delivered to the socket, or forwarded to its replica")
    @APIResponse(responseCode = "404", description = "Malformed or unknown id")
    @APIResponse(responseCode = "410", description = "The connection is closed")
    public CompletionStage<Response> send(@PathParam("id") String id, byte[] body) {
        ClientSession session = sessions.get(id);
        if (session != null) {
            return outbox.deliverLocally(session, body).thenApply(ignored -> accepted(id, "local"));
        }
        return routed(id, () -> outbox.send(id, body));
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "Close a connection", description = "Closed with code 4000, reason 'closed by operator'.")
    @APIResponse(responseCode = "202", description = "Closing, or forwarded to its replica")
    @APIResponse(responseCode = "404", description = "Malformed or unknown id")
    @APIResponse(responseCode = "410", description = "The connection is closed already")
    public CompletionStage<Response> disconnect(@PathParam("id") String id) {
        ClientSession session = sessions.get(id);
        if (session != null) {
            session.close(CloseCode.CLOSED_BY_OPERATOR);
            return CompletableFuture.completedFuture(accepted(id, "local"));
        }
        return routed(id, () -> outbox.disconnect(id));
    }

    private CompletionStage<Response> routed(String id,
            Supplier<CompletionStage<Void>> forward) {
        Optional<ConnectionDirectory.Known> known = knownElsewhere(id);
        if (known.isEmpty()) {
            return CompletableFuture.completedFuture(unknown(id));
        }
        if (!known.get().open()) {
            return CompletableFuture.completedFuture(gone(id));
        }
        return forward.get().handle((ignored, failure) -> failure == null
                ? accepted(id, "kafka")
                : Response.status(Response.Status.SERVICE_UNAVAILABLE)
                        .entity(new ApiError("unavailable", "Kafka did not take the request in time")).build());
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

    private static Response accepted(String id, String route) {
        return Response.accepted(new Accepted(id, route)).build();
    }

    private static Response unknown(String id) {
        return Response.status(Response.Status.NOT_FOUND)
                .entity(new ApiError("not_found", "no connection " + abbreviate(id) + " is known")).build();
    }

    private static Response gone(String id) {
        return Response.status(Response.Status.GONE)
                .entity(new ApiError("gone", "connection " + id + " is closed")).build();
    }

    private static String abbreviate(String id) {
        return id.length() <= 64 ? id : id.substring(0, 64) + "…";
    }

    /** The answer to a request the gateway accepted: how it was routed. */
    public record Accepted(String connection, String route) {
    }

}
