package io.passerelle.exchange;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.passerelle.auth.GrantResolver;
import io.passerelle.auth.Principal;
import io.passerelle.fanout.Fanout;
import io.passerelle.fanout.Subscription;
import io.passerelle.protocol.ClientFrame;
import io.passerelle.protocol.ErrorCode;
import io.passerelle.protocol.ServerFrame;
import io.passerelle.session.ClientSession;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.vertx.core.Vertx;

/**
 * In-band token refresh: a new token is verified as fully as at the upgrade (signature, issuer, audience,
 * expiry), must name the same subject, and its grants replace the old ones. Subscriptions the new grants no longer
 * cover are ended with {@code forbidden}.
 */
@ApplicationScoped
public class TokenRefresh {

    private final JWTParser parser;
    private final GrantResolver grants;
    private final Fanout fanout;
    private final Vertx vertx;

    public TokenRefresh(JWTParser parser, GrantResolver grants, Fanout fanout, Vertx vertx) {
        this.parser = parser;
        this.grants = grants;
        this.fanout = fanout;
        this.vertx = vertx;
    }

    void refresh(ClientSession session, ClientFrame.Refresh frame) {
        // Verification may fetch keys (JWKS), so it runs on a worker thread.
        vertx.<JsonWebToken>executeBlocking(() -> parser.parse(frame.token()), false).onComplete(result -> {
            if (result.failed()) {
                invalid(session, frame, "the token is not valid");
            } else if (!session.user().equals(result.result().getSubject())) {
                invalid(session, frame, "the token is for another subject");
            } else {
                apply(session, frame, grants.principal(result.result()));
            }
        });
    }

    private void apply(ClientSession session, ClientFrame.Refresh frame, Principal refreshed) {
        session.replacePrincipal(refreshed);
        for (Subscription subscription : session.subscriptions()) {
            String channel = subscription.channel();
            if (!refreshed.grants().covers(channel, subscription.filter())
                    && session.removeSubscription(subscription)) {
                fanout.unsubscribe(subscription);
                session.outbound().send(new ServerFrame.SubscriptionEnded(frame.id(), subscription.id(), channel,
                        ErrorCode.FORBIDDEN,
                        "the refreshed token no longer grants '" + channel + "'; the subscription ended"));
            }
        }
        session.outbound().send(new ServerFrame.Refreshed(frame.id(), refreshed.expiresAt() * 1000));
    }

    private static void invalid(ClientSession session, ClientFrame.Refresh frame, String message) {
        session.outbound().send(new ServerFrame.Error(frame.id(), ErrorCode.INVALID_TOKEN,
                message + "; the current token stays in force until it expires"));
    }
}
