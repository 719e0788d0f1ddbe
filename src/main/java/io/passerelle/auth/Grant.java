package io.passerelle.auth;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.passerelle.protocol.ChannelFilter;

/**
 * One grant: the topics a pattern names, optionally limited to a scope of their records. The text form, the same in
 * a token's claims and in {@code passerelle.grants.roles.*}, is a topic pattern, then conditions in brackets,
 * separated by {@code ;} and all required:
 *
 * <pre>
 * orders                        every record of orders
 * orders[key={sub}]             records keyed by the token's sub
 * orders[key={tenant}/*]        records whose key starts with the tenant claim and a slash
 * orders[header.tenant={tenant}] records whose header tenant is the tenant claim
 * </pre>
 *
 * {@code {name}} is the value of the token's claim {@code name}; a grant that names a claim the token lacks (or whose
 * value is not a string or a number) grants nothing.
 *
 * @param topics the topics it applies to
 * @param scope the records of those topics it allows; {@link ChannelFilter#ALL} when unscoped
 */
public record Grant(TopicPattern topics, ChannelFilter scope) {

    private static final Pattern SYNTAX = Pattern.compile("([a-zA-Z0-9._*-]+)(?:\\[([^\\]]*)\\])?");
    private static final Pattern CLAIM = Pattern.compile("\\{([^{}]+)\\}");

    public boolean isScoped() {
        return !scope.isAll();
    }

    /**
     * The grant a text gives under a token whose claims {@code claims} returns (null for an absent one), or null when
     * it grants nothing (it names a claim the token lacks).
     *
     * @throws IllegalArgumentException when the text is not a grant
     */
    public static Grant parse(String text, Function<String, String> claims) {
        Matcher matcher = SYNTAX.matcher(text.strip());
        if (!matcher.matches()) {
            throw new IllegalArgumentException("not a grant: '" + text + "'");
        }
        TopicPattern topics = TopicPattern.of(matcher.group(1));
        if (matcher.group(2) == null) {
            return new Grant(topics, ChannelFilter.ALL);
        }
        ChannelFilter scope = ChannelFilter.ALL;
        for (String condition : matcher.group(2).split(";")) {
            ChannelFilter one = condition(condition.strip(), claims, text);
            if (one == null) {
                return null;
            }
            scope = scope.and(one);
            if (scope == null) {
                return null;
            }
        }
        return new Grant(topics, scope);
    }

    /** Fails on a text that is not a grant; claims are not resolved. For configuration checked at start-up. */
    public static void validate(String text) {
        parse(text, claim -> "x");
    }

    private static ChannelFilter condition(String condition, Function<String, String> claims, String text) {
        int equals = condition.indexOf('=');
        if (equals <= 0) {
            throw new IllegalArgumentException("a condition is key=<value> or header.<name>=<value>, in '" + text
                    + "'");
        }
        String subject = condition.substring(0, equals).strip();
        String value = resolve(condition.substring(equals + 1).strip(), claims);
        if (value == null) {
            return null;
        }
        if (subject.equals("key")) {
            if (value.endsWith("*")) {
                String prefix = value.substring(0, value.length() - 1);
                return prefix.isEmpty() ? ChannelFilter.ALL : new ChannelFilter(null, prefix, Map.of());
            }
            return new ChannelFilter(Set.of(value), null, Map.of());
        }
        if (subject.startsWith("header.") && subject.length() > "header.".length()) {
            Map<String, String> header = new HashMap<>();
            header.put(subject.substring("header.".length()), value);
            return new ChannelFilter(null, null, header);
        }
        throw new IllegalArgumentException("a condition is key=<value> or header.<name>=<value>, in '" + text + "'");
    }

    /** The value with each {@code {claim}} replaced, or null when a claim is absent. */
    private static String resolve(String template, Function<String, String> claims) {
        Matcher matcher = CLAIM.matcher(template);
        StringBuilder value = new StringBuilder();
        List<String> missing = new ArrayList<>();
        while (matcher.find()) {
            String claim = claims.apply(matcher.group(1));
            if (claim == null || claim.isEmpty()) {
                missing.add(matcher.group(1));
                claim = "";
            }
            matcher.appendReplacement(value, Matcher.quoteReplacement(claim));
        }
        matcher.appendTail(value);
        return missing.isEmpty() ? value.toString() : null;
    }

    @Override
    public String toString() {
        return scope.isAll() ? topics.toString() : topics + "[" + scope.canonical() + "]";
    }
}
