package io.passerelle.admin;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.passerelle.direct.ClusterQuestions;
import io.passerelle.direct.ClusterQuestions.Outcome;
import io.passerelle.direct.ConnectionInfo;
import io.passerelle.direct.ConnectionPage;

/**
 * The connections management API, like the {@code @connections} API of AWS API Gateway: list, inspect, send to and
 * close any connection of the cluster, from any replica. The replica that holds a connection answers for it.
 */
@Path("/connections")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("${passerelle.admin.role:gateway-admin}")
@SecurityScheme(securitySchemeName = "bearer", type = SecuritySchemeType.HTTP, scheme = "bearer", bearerFormat = "JWT")
@SecurityRequirement(name = "bearer")
public class ConnectionsResource {

    static final int MAX_LIMIT = 1000;

    private final ClusterQuestions questions;

    public ConnectionsResource(ClusterQuestions questions) {
        this.questions = questions;
    }

    @GET
    @Operation(summary = "List open connections, a page at a time", description = "In opening order, of every "
            + "replica (scope=cluster) or of this one (scope=replica), optionally of one user. A Link header with "
            + "rel=\"next\" gives the next page.")
    @APIResponse(responseCode = "200", description = "A page of connections")
    @APIResponse(responseCode = "400", description = "A malformed limit, cursor or scope")
    @APIResponse(responseCode = "503", description = "A replica did not answer in time")
    public CompletionStage<RestResponse<List<ConnectionView>>> list(@QueryParam("user") String user,
            @QueryParam("limit") @DefaultValue("100") int limit, @QueryParam("cursor") String cursor,
            @QueryParam("scope") @DefaultValue("cluster") String scope, @jakarta.ws.rs.core.Context UriInfo uri) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw badRequest("limit must be between 1 and " + MAX_LIMIT);
        }
        if (!scope.equals("cluster") && !scope.equals("replica")) {
            throw badRequest("scope must be cluster or replica");
        }
        ConnectionPage.After after = cursor == null ? ConnectionPage.After.START : parseCursor(cursor);
        return answered(questions.list(user, after, limit, scope.equals("cluster")).thenApply(page -> {
            List<ConnectionView> views = page.connections().stream()
                    .map(info -> ConnectionView.of(info, questions.isLocal(info.id()))).toList();
            RestResponse.ResponseBuilder<List<ConnectionView>> response = RestResponse.ResponseBuilder.ok(views);
            if (page.more() && !views.isEmpty()) {
                ConnectionInfo last = page.connections().get(page.connections().size() - 1);
                response.header("Link", "<" + uri.getRequestUriBuilder().replaceQueryParam("cursor",
                        cursorOf(last)).build() + ">; rel=\"next\"");
            }
            return response.build();
        }));
    }

    @GET
    @Path("{id}")
    @Operation(summary = "Inspect a connection", description = "Answered by the replica that holds it.")
    @APIResponse(responseCode = "200", description = "Open")
    @APIResponse(responseCode = "404", description = "Malformed or unknown id")
    @APIResponse(responseCode = "410", description = "The connection is closed, or its replica ended")
    @APIResponse(responseCode = "503", description = "Its replica did not answer in time")
    public CompletionStage<ConnectionView> get(@PathParam("id") String id) {
        return answered(questions.inspect(id).thenApply(outcome -> {
            refuseUnlessOk(id, outcome);
            return ConnectionView.of(outcome.connection(), outcome.local());
        }));
    }

    @POST
    @Path("{id}")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Send a message to a connection", description = "The body (JSON, else text) arrives as a "
            + "'message' frame.")
    @APIResponse(responseCode = "202", description = "Queued on the socket, by this replica or by its own")
    @APIResponse(responseCode = "404", description = "Malformed or unknown id")
    @APIResponse(responseCode = "410", description = "The connection is closed, or its replica ended")
    @APIResponse(responseCode = "503", description = "Kafka or its replica did not answer in time")
    public CompletionStage<RestResponse<Accepted>> send(@PathParam("id") String id, byte[] body) {
        return answered(questions.send(id, body).thenApply(outcome -> accepted(id, outcome)));
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "Close a connection", description = "Closed with code 4000, reason 'closed by operator'.")
    @APIResponse(responseCode = "202", description = "Closing, by this replica or by its own")
    @APIResponse(responseCode = "404", description = "Malformed or unknown id")
    @APIResponse(responseCode = "410", description = "The connection is closed already, or its replica ended")
    @APIResponse(responseCode = "503", description = "Kafka or its replica did not answer in time")
    public CompletionStage<RestResponse<Accepted>> disconnect(@PathParam("id") String id) {
        return answered(questions.disconnect(id).thenApply(outcome -> accepted(id, outcome)));
    }

    /** Every refusal of this API: its status and body. */
    @ServerExceptionMapper
    public RestResponse<ApiError> refused(ApiException refusal) {
        return RestResponse.status(refusal.status(), refusal.error());
    }

    /** Completed by hand, so that a refusal reaches the exception mapper as itself, not wrapped. */
    private static <T> CompletionStage<T> answered(CompletionStage<T> answer) {
        CompletableFuture<T> result = new CompletableFuture<>();
        answer.whenComplete((value, failure) -> {
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause()
                    : failure;
            if (cause == null) {
                result.complete(value);
            } else if (cause instanceof ApiException) {
                result.completeExceptionally(cause);
            } else if (cause instanceof ClusterQuestions.UnansweredException) {
                result.completeExceptionally(new ApiException(RestResponse.Status.SERVICE_UNAVAILABLE,
                        new ApiError("unavailable", cause.getMessage())));
            } else {
                result.completeExceptionally(cause);
            }
        });
        return result;
    }

    private static RestResponse<Accepted> accepted(String id, Outcome outcome) {
        refuseUnlessOk(id, outcome);
        return RestResponse.status(RestResponse.Status.ACCEPTED, new Accepted(id, outcome.local() ? "local" : "kafka"));
    }

    private static void refuseUnlessOk(String id, Outcome outcome) {
        switch (outcome.status()) {
            case OK -> {
            }
            case GONE -> throw new ApiException(RestResponse.Status.GONE,
                    new ApiError("gone", "connection " + id + " is closed"));
            case NOT_FOUND -> throw new ApiException(RestResponse.Status.NOT_FOUND,
                    new ApiError("not_found", "no connection " + abbreviate(id) + " is known"));
        }
    }

    /** Opaque to clients: the opening time and id of the last connection of a page. */
    private static String cursorOf(ConnectionInfo last) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((last.openedAt() + ":" + last.id()).getBytes(StandardCharsets.UTF_8));
    }

    private static ConnectionPage.After parseCursor(String cursor) {
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return new ConnectionPage.After(Long.parseLong(decoded.substring(0, colon)),
                    decoded.substring(colon + 1));
        } catch (RuntimeException e) {
            throw badRequest("the cursor is not one this API gave");
        }
    }

    private static ApiException badRequest(String message) {
        return new ApiException(RestResponse.Status.BAD_REQUEST, new ApiError("bad_request", message));
    }

    private static String abbreviate(String id) {
        return id.length() <= 64 ? id : id.substring(0, 64) + "…";
    }

    /** The answer to a request the gateway accepted: how it was routed. */
    public record Accepted(String connection, String route) {
    }
}
