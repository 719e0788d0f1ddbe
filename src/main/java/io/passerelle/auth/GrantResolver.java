package io.passerelle.auth;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

import io.quarkus.runtime.Startup;

/**
 * Derives a connection's {@link Principal} from its verified token: the {@code publish} and {@code subscribe}
 * claims plus the grants configured for each of its roles, each {@link Grant} resolved against the token's claims.
 * Nothing is granted by default. Configured grants are checked at start-up: a typo fails the start, not a user.
 */
@ApplicationScoped
@Startup
public class GrantResolver {

    public static final String PUBLISH_CLAIM = "publish";
    public static final String SUBSCRIBE_CLAIM = "subscribe";
    private static final Logger LOG = Logger.getLogger(GrantResolver.class);

    private final GrantsConfig config;

    public GrantResolver(GrantsConfig config) {
        this.config = config;
        config.roles().forEach((role, grants) -> {
            grants.publish().ifPresent(list -> list.forEach(GrantResolver::validate));
            grants.subscribe().ifPresent(list -> list.forEach(GrantResolver::validate));
        });
    }

    private static void validate(String grant) {
        try {
            Grant.validate(grant);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("passerelle.grants.roles: " + e.getMessage(), e);
        }
    }

    public Principal principal(JsonWebToken token) {
        Function<String, String> claims = name -> claimText(token.getClaim(name));
        List<Grant> publish = grants(texts(token.getClaim(PUBLISH_CLAIM)), claims);
        List<Grant> subscribe = grants(texts(token.getClaim(SUBSCRIBE_CLAIM)), claims);
        for (String role : token.getGroups()) {
            GrantsConfig.RoleGrants roleGrants = config.roles().get(role);
            if (roleGrants != null) {
                roleGrants.publish().ifPresent(list -> publish.addAll(grants(list, claims)));
                roleGrants.subscribe().ifPresent(list -> subscribe.addAll(grants(list, claims)));
            }
        }
        return new Principal(token.getSubject(), new Grants(publish, subscribe), token.getExpirationTime());
    }

    private static List<Grant> grants(List<String> texts, Function<String, String> claims) {
        List<Grant> grants = new ArrayList<>();
        for (String text : texts) {
            try {
                Grant grant = Grant.parse(text, claims);
                if (grant != null) {
                    grants.add(grant);
                }
            } catch (IllegalArgumentException e) {
                // A token's own grant that is not one grants nothing; the token stays valid for the others.
                LOG.debugf("Ignoring a grant of a token: %s", e.getMessage());
            }
        }
        return grants;
    }

    /** A claim as the text a grant compares: strings and numbers only; null for anything else or none. */
    private static String claimText(Object claim) {
        if (claim instanceof JsonString string) {
            return string.getString();
        }
        if (claim instanceof JsonNumber number) {
            return number.toString();
        }
        if (claim instanceof String || claim instanceof Number) {
            return claim.toString();
        }
        return null;
    }

    /** Claims arrive as a JSON array of strings; a single string is accepted as one grant. */
    private static List<String> texts(Object claim) {
        List<String> texts = new ArrayList<>();
        if (claim instanceof JsonArray array) {
            for (JsonValue value : array) {
                if (value instanceof JsonString string) {
                    texts.add(string.getString());
                }
            }
        } else if (claim instanceof Collection<?> values) {
            values.forEach(v -> texts.add(String.valueOf(v)));
        } else if (claim instanceof JsonString string) {
            texts.add(string.getString());
        } else if (claim instanceof String string) {
            texts.add(string);
        }
        return texts;
    }
}
