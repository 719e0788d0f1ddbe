package io.passerelle.auth;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonArray;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Derives a connection's {@link Principal} from its verified token: the {@code publish} and {@code subscribe}
 * claims plus the grants configured for each of its roles. Nothing is granted by default.
 */
@ApplicationScoped
public class GrantResolver {

    public static final String PUBLISH_CLAIM = "publish";
    public static final String SUBSCRIBE_CLAIM = "subscribe";

    private final GrantsConfig config;

    public GrantResolver(GrantsConfig config) {
        this.config = config;
    }

    public Principal principal(JsonWebToken token) {
        List<TopicPattern> publish = patterns(token.getClaim(PUBLISH_CLAIM));
        List<TopicPattern> subscribe = patterns(token.getClaim(SUBSCRIBE_CLAIM));
        for (String role : token.getGroups()) {
            GrantsConfig.RoleGrants roleGrants = config.roles().get(role);
            if (roleGrants != null) {
                roleGrants.publish().ifPresent(list -> list.forEach(p -> publish.add(TopicPattern.of(p))));
                roleGrants.subscribe().ifPresent(list -> list.forEach(p -> subscribe.add(TopicPattern.of(p))));
            }
        }
        return new Principal(token.getSubject(), new Grants(publish, subscribe), token.getExpirationTime());
    }

    /** Claims arrive as a JSON array of strings; a single string is accepted as one pattern. */
    private static List<TopicPattern> patterns(Object claim) {
        List<TopicPattern> patterns = new ArrayList<>();
        if (claim instanceof JsonArray array) {
            for (JsonValue value : array) {
                if (value instanceof JsonString string) {
                    patterns.add(TopicPattern.of(string.getString()));
                }
            }
        } else if (claim instanceof Collection<?> values) {
            values.forEach(v -> patterns.add(TopicPattern.of(String.valueOf(v))));
        } else if (claim instanceof JsonString string) {
            patterns.add(TopicPattern.of(string.getString()));
        } else if (claim instanceof String string) {
            patterns.add(TopicPattern.of(string));
        }
        return patterns;
    }
}
