package io.passerelle.auth;

/**
 * A grant pattern over topic names: {@code *} matches any run of characters, everything else matches itself. It
 * keeps only its literal parts (every socket holds its grants, so they are kept small) and matches without
 * regular expressions.
 */
public final class TopicPattern {

    private final String pattern;
    /** The text between the wildcards: one part without a wildcard, two around one wildcard, and so on. */
    private final String[] literals;

    private TopicPattern(String pattern) {
        this.pattern = pattern;
        this.literals = pattern.split("\\*", -1);
    }

    public static TopicPattern of(String pattern) {
        return new TopicPattern(pattern);
    }

    public boolean matches(String topic) {
        String first = literals[0];
        if (literals.length == 1) {
            return topic.equals(first);
        }
        String last = literals[literals.length - 1];
        if (topic.length() < first.length() + last.length() || !topic.startsWith(first) || !topic.endsWith(last)) {
            return false;
        }
        // Each middle part at its leftmost place after the previous one: a wildcard can always stretch.
        int from = first.length();
        int end = topic.length() - last.length();
        for (int i = 1; i < literals.length - 1; i++) {
            int at = topic.indexOf(literals[i], from);
            if (at < 0 || at + literals[i].length() > end) {
                return false;
            }
            from = at + literals[i].length();
        }
        return true;
    }

    @Override
    public String toString() {
        return pattern;
    }
}
