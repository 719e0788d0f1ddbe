package io.passerelle.auth;

import java.util.regex.Pattern;

/**
 * A grant pattern over topic names: {@code *} matches any run of characters, everything else matches itself.
 */
public record TopicPattern(String pattern, Pattern regex) {

    public static TopicPattern of(String pattern) {
        StringBuilder regex = new StringBuilder();
        for (String literal : pattern.split("\\*", -1)) {
            if (!regex.isEmpty()) {
                regex.append(".*");
            }
            regex.append(Pattern.quote(literal));
        }
        return new TopicPattern(pattern, Pattern.compile(regex.toString()));
    }

    public boolean matches(String topic) {
        return regex.matcher(topic).matches();
    }
}
