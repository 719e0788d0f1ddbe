package io.passerelle.client;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON this client reads and writes, without a JSON library (so that Android apps and services keep theirs).
 * Values are trees of {@code Map<String, Object>} (insertion order kept), {@code List<Object>}, {@code String},
 * {@code Long}, {@code BigInteger}, {@code Double}, {@code BigDecimal}, {@code Boolean} and {@code null}. Hand
 * {@link #text(Object)} to Jackson, Gson, Moshi or kotlinx.serialization to bind to your own types.
 */
public final class Json {

    private static final int MAX_DEPTH = 64;

    private Json() {
    }

    /** Parses one JSON value; trailing content, duplicate keys and nesting deeper than 64 are refused. */
    public static Object parse(String text) {
        Parser parser = new Parser(text);
        parser.skipSpace();
        Object value = parser.value(0);
        parser.skipSpace();
        if (parser.position != text.length()) {
            throw parser.failure("trailing content");
        }
        return value;
    }

    /**
     * Writes a value as JSON text: maps (string keys), iterables, arrays of objects, strings, numbers, booleans,
     * null, and {@link Raw} text written as it is.
     */
    public static String text(Object value) {
        StringBuilder out = new StringBuilder();
        write(value, out);
        return out.toString();
    }

    /** JSON text that {@link #text(Object)} embeds as it is; checked to be one JSON value when made. */
    public static Raw raw(String json) {
        parse(json);
        return new Raw(json);
    }

    /** Already-serialised JSON, from the application's own JSON library. */
    public static final class Raw {
        private final String json;

        private Raw(String json) {
            this.json = json;
        }

        @Override
        public String toString() {
            return json;
        }
    }

    static void write(Object value, StringBuilder out) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof String) {
            quote((String) value, out);
        } else if (value instanceof Raw) {
            out.append(((Raw) value).json);
        } else if (value instanceof Boolean) {
            out.append(value);
        } else if (value instanceof Double || value instanceof Float) {
            double number = ((Number) value).doubleValue();
            if (Double.isNaN(number) || Double.isInfinite(number)) {
                throw new IllegalArgumentException("JSON has no " + number);
            }
            out.append(value);
        } else if (value instanceof Number) {
            out.append(value);
        } else if (value instanceof Map) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
                if (!(entry.getKey() instanceof String)) {
                    throw new IllegalArgumentException("JSON object keys are strings, not " + entry.getKey());
                }
                if (!first) {
                    out.append(',');
                }
                first = false;
                quote((String) entry.getKey(), out);
                out.append(':');
                write(entry.getValue(), out);
            }
            out.append('}');
        } else if (value instanceof Iterable || value instanceof Object[]) {
            Iterable<?> items = value instanceof Iterable ? (Iterable<?>) value : Arrays.asList((Object[]) value);
            out.append('[');
            boolean first = true;
            for (Object item : items) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                write(item, out);
            }
            out.append(']');
        } else {
            throw new IllegalArgumentException("cannot write a " + value.getClass().getName()
                    + " as JSON: give a Map, List, String, Number, Boolean, null or Json.raw(text)");
        }
    }

    private static void quote(String text, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' :
                    out.append("\\\"");
                    break;
                case '\\' :
                    out.append("\\\\");
                    break;
                case '\n' :
                    out.append("\\n");
                    break;
                case '\r' :
                    out.append("\\r");
                    break;
                case '\t' :
                    out.append("\\t");
                    break;
                default :
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
            }
        }
        out.append('"');
    }

    private static final class Parser {
        private final String text;
        private int position;

        Parser(String text) {
            this.text = text;
        }

        Object value(int depth) {
            if (depth > MAX_DEPTH) {
                throw failure("nesting deeper than " + MAX_DEPTH);
            }
            if (position >= text.length()) {
                throw failure("unexpected end");
            }
            char c = text.charAt(position);
            switch (c) {
                case '{' :
                    return object(depth);
                case '[' :
                    return array(depth);
                case '"' :
                    return string();
                case 't' :
                    return literal("true", Boolean.TRUE);
                case 'f' :
                    return literal("false", Boolean.FALSE);
                case 'n' :
                    return literal("null", null);
                default :
                    return number();
            }
        }

        private Map<String, Object> object(int depth) {
            position++;
            Map<String, Object> object = new LinkedHashMap<>();
            skipSpace();
            if (peek() == '}') {
                position++;
                return object;
            }
            while (true) {
                skipSpace();
                if (peek() != '"') {
                    throw failure("expected a field name");
                }
                String name = string();
                skipSpace();
                expect(':');
                skipSpace();
                Object value = value(depth + 1);
                if (object.containsKey(name)) {
                    throw failure("duplicate field '" + name + "'");
                }
                object.put(name, value);
                skipSpace();
                char next = next();
                if (next == '}') {
                    return object;
                }
                if (next != ',') {
                    throw failure("expected ',' or '}'");
                }
            }
        }

        private List<Object> array(int depth) {
            position++;
            List<Object> array = new ArrayList<>();
            skipSpace();
            if (peek() == ']') {
                position++;
                return Collections.unmodifiableList(array);
            }
            while (true) {
                skipSpace();
                array.add(value(depth + 1));
                skipSpace();
                char next = next();
                if (next == ']') {
                    return Collections.unmodifiableList(array);
                }
                if (next != ',') {
                    throw failure("expected ',' or ']'");
                }
            }
        }

        private String string() {
            expect('"');
            StringBuilder out = new StringBuilder();
            while (true) {
                char c = next();
                if (c == '"') {
                    return out.toString();
                }
                if (c < 0x20) {
                    throw failure("control character in a string");
                }
                if (c != '\\') {
                    out.append(c);
                    continue;
                }
                char escape = next();
                switch (escape) {
                    case '"' :
                    case '\\' :
                    case '/' :
                        out.append(escape);
                        break;
                    case 'b' :
                        out.append('\b');
                        break;
                    case 'f' :
                        out.append('\f');
                        break;
                    case 'n' :
                        out.append('\n');
                        break;
                    case 'r' :
                        out.append('\r');
                        break;
                    case 't' :
                        out.append('\t');
                        break;
                    case 'u' :
                        if (position + 4 > text.length()) {
                            throw failure("unexpected end");
                        }
                        try {
                            out.append((char) Integer.parseInt(text.substring(position, position + 4), 16));
                        } catch (NumberFormatException e) {
                            throw failure("bad \\u escape");
                        }
                        position += 4;
                        break;
                    default :
                        throw failure("bad escape");
                }
            }
        }

        private Object number() {
            int start = position;
            if (peek() == '-') {
                position++;
            }
            int digits = position;
            while (position < text.length() && Character.isDigit(text.charAt(position))) {
                position++;
            }
            if (position == digits || (text.charAt(digits) == '0' && position - digits > 1)) {
                throw failure("bad number");
            }
            boolean integral = true;
            if (peek() == '.') {
                integral = false;
                position++;
                fraction();
            }
            if (peek() == 'e' || peek() == 'E') {
                integral = false;
                position++;
                if (peek() == '+' || peek() == '-') {
                    position++;
                }
                fraction();
            }
            String number = text.substring(start, position);
            if (integral) {
                BigInteger big = new BigInteger(number);
                return big.bitLength() < 64 ? (Object) big.longValue() : big;
            }
            double approximate = Double.parseDouble(number);
            return Double.isInfinite(approximate) ? new BigDecimal(number) : (Object) approximate;
        }

        private void fraction() {
            int digits = position;
            while (position < text.length() && Character.isDigit(text.charAt(position))) {
                position++;
            }
            if (position == digits) {
                throw failure("bad number");
            }
        }

        private Object literal(String word, Object value) {
            if (!text.startsWith(word, position)) {
                throw failure("unexpected character");
            }
            position += word.length();
            return value;
        }

        void skipSpace() {
            while (position < text.length()) {
                char c = text.charAt(position);
                if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                    return;
                }
                position++;
            }
        }

        private char peek() {
            return position < text.length() ? text.charAt(position) : '\0';
        }

        private char next() {
            if (position >= text.length()) {
                throw failure("unexpected end");
            }
            return text.charAt(position++);
        }

        private void expect(char c) {
            if (next() != c) {
                throw failure("expected '" + c + "'");
            }
        }

        IllegalArgumentException failure(String what) {
            return new IllegalArgumentException("invalid JSON at " + position + ": " + what);
        }
    }
}
