package io.passerelle.protocol;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * Reads a frame's text in one pass and holds it to RFC 8259 with nothing allowed beyond it: no comments, no
 * trailing commas, no leading zeros, no control characters in strings, no duplicate names at any depth, nothing but
 * whitespace after the value; with the frame's limits on nesting depth and number length. It keeps where each
 * top-level member's value lies, string values decoded, so a publish's {@code data} is validated here and kept as
 * the bytes received without being built into a tree.
 * <p>
 * The bytes are UTF-8 already: the transport checks every text message before it reaches the parser, and a
 * {@link String} encodes to UTF-8. Bytes beyond ASCII are therefore taken as they are inside strings (and refused
 * outside them, where JSON has none). One instance reads one frame; it is not thread-safe.
 */
final class StrictJson {

    /** Why a text was refused; thrown without a stack trace, as clients can cause it at will. */
    static final class Refused extends RuntimeException {

        static final Refused INVALID = new Refused("not valid JSON");
        static final Refused NOT_AN_OBJECT = new Refused("not a JSON object");
        static final Refused LIMIT = new Refused("beyond a JSON limit");

        private Refused(String message) {
            super(message, null, false, false);
        }
    }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long LOW_BITS = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;
    private static final long QUOTES = LOW_BITS * '"';
    private static final long BACKSLASHES = LOW_BITS * '\\';
    private static final long SPACES = LOW_BITS * ' ';

    /**
     * Strings a reader expects often (names and values of its format): read as the same {@link String} each time
     * instead of a new one per frame. Immutable and thread-safe.
     */
    static final class Words {

        /** The words by their length in UTF-8 bytes, as bytes and as strings. */
        private final byte[][][] bytesByLength;
        private final String[][] wordsByLength;

        Words(String... words) {
            int longest = 0;
            for (String word : words) {
                longest = Math.max(longest, word.getBytes(StandardCharsets.UTF_8).length);
            }
            bytesByLength = new byte[longest + 1][0][];
            wordsByLength = new String[longest + 1][0];
            for (String word : words) {
                byte[] bytes = word.getBytes(StandardCharsets.UTF_8);
                int length = bytes.length;
                bytesByLength[length] = Arrays.copyOf(bytesByLength[length], bytesByLength[length].length + 1);
                bytesByLength[length][bytesByLength[length].length - 1] = bytes;
                wordsByLength[length] = Arrays.copyOf(wordsByLength[length], wordsByLength[length].length + 1);
                wordsByLength[length][wordsByLength[length].length - 1] = word;
            }
        }

        /** The word spelled by the bytes, or null. */
        String find(byte[] text, int start, int stop) {
            int length = stop - start;
            if (length >= bytesByLength.length) {
                return null;
            }
            byte[][] candidates = bytesByLength[length];
            next : for (int i = 0; i < candidates.length; i++) {
                byte[] word = candidates[i];
                for (int j = 0; j < length; j++) {
                    if (word[j] != text[start + j]) {
                        continue next;
                    }
                }
                return wordsByLength[length][i];
            }
            return null;
        }
    }

    /** Beyond this many names, an object's duplicate check hashes instead of comparing each to each. */
    private static final int LINEAR_NAMES = 16;

    private final byte[] text;
    private final int end;
    private final int maxDepth;
    private final int maxNumberDigits;
    private final Words words;

    /** The top-level members: names, string values decoded (null for other values), value spans. */
    private String[] names = new String[8];
    private String[] strings = new String[8];
    private int[] spans = new int[16];
    private int size;

    /**
     * The names read so far in every object still open, for the duplicate check: spans of {start, end, escaped},
     * one segment per depth (the frame's own object is depth 1).
     */
    private int[] nameSpans = new int[24];
    private int nameSpansTop;
    private int[] segmentOf = new int[8];
    /** An open object's names as a set, once it has more than {@link #LINEAR_NAMES}; by depth. */
    private Set<String>[] hashedNames;
    /** Where the name {@link #member} last read ends, at its closing quote. */
    private int nameStop;
    /** Bit d is set while the container open at depth d is an object, clear for an array. */
    private long[] objects;
    /** Whether the string last skipped held an escape. */
    private boolean escaped;

    private StrictJson(byte[] text, int maxDepth, int maxNumberDigits, Words words) {
        this.text = text;
        this.words = words;
        this.end = text.length;
        this.maxDepth = maxDepth;
        this.maxNumberDigits = maxNumberDigits;
    }

    /** Reads a frame's text, which must be one JSON object; top-level names and strings among the words are shared. */
    static StrictJson read(byte[] utf8, int maxDepth, int maxNumberDigits, Words words) {
        StrictJson json = new StrictJson(utf8, maxDepth, maxNumberDigits, words);
        json.readFrame();
        return json;
    }

    int size() {
        return size;
    }

    String name(int member) {
        return names[member];
    }

    /** The member's decoded value when it is a string, else null. */
    String string(int member) {
        return strings[member];
    }

    /** The first byte of the member's value: '"', '{', '[', 't', 'f', 'n', or the start of a number. */
    byte kind(int member) {
        return text[spans[2 * member]];
    }

    int start(int member) {
        return spans[2 * member];
    }

    int end(int member) {
        return spans[2 * member + 1];
    }

    private void readFrame() {
        int pos = skipSpace(0);
        if (pos == end) {
            // No value at all: the frame is no object (as it would be in any JSON reader, not a syntax error).
            throw Refused.NOT_AN_OBJECT;
        }
        if (text[pos] != '{') {
            pos = skipSpace(skipValue(pos, 0));
            throw pos == end ? Refused.NOT_AN_OBJECT : Refused.INVALID;
        }
        enter(1);
        openNames(1);
        pos = skipSpace(pos + 1);
        if (at(pos) == '}') {
            pos++;
        } else {
            while (true) {
                int valueStart = member(pos, 1);
                String name = word(pos + 1, nameStop);
                pos = valueStart;
                String string = null;
                if (at(pos) == '"') {
                    pos = skipString(pos);
                    string = word(valueStart + 1, pos - 1);
                } else {
                    pos = skipValue(pos, 1);
                }
                add(name, string, valueStart, pos);
                pos = skipSpace(pos);
                int next = at(pos);
                if (next == '}') {
                    pos++;
                    break;
                }
                if (next != ',') {
                    throw Refused.INVALID;
                }
                pos = skipSpace(pos + 1);
            }
        }
        if (skipSpace(pos) != end) {
            throw Refused.INVALID;
        }
    }

    private void add(String name, String string, int start, int stop) {
        if (size == names.length) {
            names = Arrays.copyOf(names, size * 2);
            strings = Arrays.copyOf(strings, size * 2);
            spans = Arrays.copyOf(spans, size * 4);
        }
        names[size] = name;
        strings[size] = string;
        spans[2 * size] = start;
        spans[2 * size + 1] = stop;
        size++;
    }

    /**
     * Skips one value that starts at {@code pos} inside containers {@code depth} deep; returns the position after
     * it. Iterative: a configured depth limit of any size costs no stack.
     */
    private int skipValue(int pos, int depth) {
        int base = depth;
        if (objects == null) {
            objects = new long[(Math.max(maxDepth, 1) >>> 6) + 1];
        }
        while (true) {
            int c = at(pos);
            switch (c) {
                case '{' -> {
                    depth++;
                    enter(depth);
                    objects[depth >>> 6] |= 1L << depth;
                    openNames(depth);
                    pos = skipSpace(pos + 1);
                    if (at(pos) == '}') {
                        closeNames(depth);
                        depth--;
                        pos++;
                        break;
                    }
                    pos = member(pos, depth);
                    continue;
                }
                case '[' -> {
                    depth++;
                    enter(depth);
                    objects[depth >>> 6] &= ~(1L << depth);
                    pos = skipSpace(pos + 1);
                    if (at(pos) == ']') {
                        depth--;
                        pos++;
                        break;
                    }
                    continue;
                }
                case '"' -> pos = skipString(pos);
                case 't' -> pos = literal(pos, "true");
                case 'f' -> pos = literal(pos, "false");
                case 'n' -> pos = literal(pos, "null");
                default -> pos = skipNumber(pos);
            }
            // After a value: close what ends here, up to the next value or the end of the one being skipped.
            while (depth > base) {
                boolean inObject = (objects[depth >>> 6] & 1L << depth) != 0;
                pos = skipSpace(pos);
                int next = at(pos);
                if (next == ',') {
                    pos = skipSpace(pos + 1);
                    if (inObject) {
                        pos = member(pos, depth);
                    }
                    break;
                }
                if (next != (inObject ? '}' : ']')) {
                    throw Refused.INVALID;
                }
                if (inObject) {
                    closeNames(depth);
                }
                depth--;
                pos++;
            }
            if (depth == base) {
                return pos;
            }
        }
    }

    /**
     * Reads a member's name and colon in the object {@code depth} deep, refusing a name the object has already;
     * returns where its value starts ({@link #nameStop} and {@link #escaped} tell of the name).
     */
    private int member(int pos, int depth) {
        if (at(pos) != '"') {
            throw Refused.INVALID;
        }
        int nameEnd = skipString(pos);
        nameStop = nameEnd - 1;
        addName(depth, pos + 1, nameStop, escaped);
        pos = skipSpace(nameEnd);
        if (at(pos) != ':') {
            throw Refused.INVALID;
        }
        return skipSpace(pos + 1);
    }

    private void enter(int depth) {
        if (depth > maxDepth) {
            throw Refused.LIMIT;
        }
    }

    private void openNames(int depth) {
        if (segmentOf.length <= depth) {
            segmentOf = Arrays.copyOf(segmentOf, depth + 8);
        }
        segmentOf[depth] = nameSpansTop;
    }

    private void closeNames(int depth) {
        nameSpansTop = segmentOf[depth];
        if (hashedNames != null && depth < hashedNames.length) {
            hashedNames[depth] = null;
        }
    }

    @SuppressWarnings("unchecked")
    private void addName(int depth, int start, int stop, boolean nameEscaped) {
        if (hashedNames != null && depth < hashedNames.length && hashedNames[depth] != null) {
            if (!hashedNames[depth].add(decode(start, stop, nameEscaped))) {
                throw Refused.INVALID;
            }
            return;
        }
        int from = segmentOf[depth];
        for (int i = from; i < nameSpansTop; i += 3) {
            if (sameName(nameSpans[i], nameSpans[i + 1], nameSpans[i + 2] != 0, start, stop, nameEscaped)) {
                throw Refused.INVALID;
            }
        }
        if ((nameSpansTop - from) / 3 == LINEAR_NAMES) {
            if (hashedNames == null || hashedNames.length <= depth) {
                hashedNames = hashedNames == null ? new Set[depth + 8] : Arrays.copyOf(hashedNames, depth + 8);
            }
            Set<String> hashed = new HashSet<>();
            for (int i = from; i < nameSpansTop; i += 3) {
                hashed.add(decode(nameSpans[i], nameSpans[i + 1], nameSpans[i + 2] != 0));
            }
            hashed.add(decode(start, stop, nameEscaped));
            hashedNames[depth] = hashed;
            return;
        }
        if (nameSpansTop + 3 > nameSpans.length) {
            nameSpans = Arrays.copyOf(nameSpans, Math.max(24, nameSpans.length * 2));
        }
        nameSpans[nameSpansTop++] = start;
        nameSpans[nameSpansTop++] = stop;
        nameSpans[nameSpansTop++] = nameEscaped ? 1 : 0;
    }

    private boolean sameName(int start, int stop, boolean startEscaped, int otherStart, int otherStop,
            boolean otherEscaped) {
        if (!startEscaped && !otherEscaped) {
            return Arrays.equals(text, start, stop, text, otherStart, otherStop);
        }
        return decode(start, stop, startEscaped).equals(decode(otherStart, otherStop, otherEscaped));
    }

    /** Skips the string starting at the quote at {@code pos}; returns the position after its closing quote. */
    private int skipString(int pos) {
        boolean sawEscape = false;
        pos++;
        while (true) {
            if (pos + Long.BYTES <= end) {
                long special = special((long) LONGS.get(text, pos));
                if (special == 0) {
                    pos += Long.BYTES;
                    continue;
                }
                pos += Long.numberOfTrailingZeros(special) >>> 3;
            } else {
                while (pos < end && !special(text[pos])) {
                    pos++;
                }
                if (pos == end) {
                    throw Refused.INVALID;
                }
            }
            byte c = text[pos];
            if (c == '"') {
                escaped = sawEscape;
                return pos + 1;
            }
            if (c != '\\') {
                throw Refused.INVALID; // a control character
            }
            sawEscape = true;
            pos = skipEscape(pos + 1);
        }
    }

    /** A byte that ends a string, starts an escape or may not be in one. */
    private static boolean special(byte c) {
        return c == '"' || c == '\\' || c >= 0 && c < 0x20;
    }

    /**
     * The special bytes among eight, as their high bits: a string's plain content is skipped a word at a time.
     * The lowest bit set is always a real one (the tricks may also flag a byte above it in vain), so it is where
     * the next special byte is.
     */
    private static long special(long word) {
        return hasZeroByte(word ^ QUOTES) | hasZeroByte(word ^ BACKSLASHES) | (word - SPACES) & ~word & HIGH_BITS;
    }

    private static long hasZeroByte(long word) {
        return (word - LOW_BITS) & ~word & HIGH_BITS;
    }

    private int skipEscape(int pos) {
        switch (at(pos)) {
            case '"', '\\', '/', 'b', 'f', 'n', 'r', 't' -> {
                return pos + 1;
            }
            case 'u' -> {
                for (int i = 1; i <= 4; i++) {
                    if (hex(at(pos + i)) < 0) {
                        throw Refused.INVALID;
                    }
                }
                return pos + 5;
            }
            default -> throw Refused.INVALID;
        }
    }

    /** The content of the string just skipped: a shared word when it is one. */
    private String word(int start, int stop) {
        if (!escaped && stop > start) {
            String word = words.find(text, start, stop);
            if (word != null) {
                return word;
            }
        }
        return decode(start, stop, escaped);
    }

    /** The text of a string's content, {@code start} after its opening quote, {@code stop} at its closing one. */
    private String decode(int start, int stop, boolean hasEscapes) {
        if (!hasEscapes) {
            return new String(text, start, stop - start, StandardCharsets.UTF_8);
        }
        StringBuilder decoded = new StringBuilder(stop - start);
        int run = start;
        int pos = start;
        while (pos < stop) {
            if (text[pos] != '\\') {
                pos++;
                continue;
            }
            decoded.append(new String(text, run, pos - run, StandardCharsets.UTF_8));
            byte escape = text[pos + 1];
            switch (escape) {
                case 'b' -> decoded.append('\b');
                case 'f' -> decoded.append('\f');
                case 'n' -> decoded.append('\n');
                case 'r' -> decoded.append('\r');
                case 't' -> decoded.append('\t');
                case 'u' -> decoded.append((char) (hex(text[pos + 2]) << 12 | hex(text[pos + 3]) << 8
                        | hex(text[pos + 4]) << 4 | hex(text[pos + 5])));
                default -> decoded.append((char) escape);
            }
            pos += escape == 'u' ? 6 : 2;
            run = pos;
        }
        return decoded.append(new String(text, run, stop - run, StandardCharsets.UTF_8)).toString();
    }

    private static int hex(int c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    private int literal(int pos, String word) {
        for (int i = 0; i < word.length(); i++) {
            if (at(pos + i) != word.charAt(i)) {
                throw Refused.INVALID;
            }
        }
        return pos + word.length();
    }

    /**
     * Skips a number: {@code -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?}. Too many digits is a limit, as
     * in the frame's other readers: the integer part's digits for an integer, all digits for any other number.
     */
    private int skipNumber(int pos) {
        if (at(pos) == '-') {
            pos++;
        }
        int first = at(pos);
        if (first < '0' || first > '9') {
            throw Refused.INVALID;
        }
        int digitsStart = pos;
        pos = first == '0' ? pos + 1 : skipDigits(pos);
        int integerDigits = pos - digitsStart;
        int otherDigits = 0;
        boolean integer = true;
        if (at(pos) == '.') {
            integer = false;
            int fraction = pos + 1;
            pos = skipDigits(fraction);
            if (pos == fraction) {
                throw Refused.INVALID;
            }
            otherDigits += pos - fraction;
        }
        int e = at(pos);
        if (e == 'e' || e == 'E') {
            integer = false;
            pos++;
            int sign = at(pos);
            if (sign == '+' || sign == '-') {
                pos++;
            }
            int exponent = pos;
            pos = skipDigits(exponent);
            if (pos == exponent) {
                throw Refused.INVALID;
            }
            otherDigits += pos - exponent;
        }
        if ((integer ? integerDigits : integerDigits + otherDigits) > maxNumberDigits) {
            throw Refused.LIMIT;
        }
        return pos;
    }

    private int skipDigits(int pos) {
        while (pos < end && text[pos] >= '0' && text[pos] <= '9') {
            pos++;
        }
        return pos;
    }

    /** Skips JSON's four whitespace characters. */
    private int skipSpace(int pos) {
        while (pos < end) {
            byte c = text[pos];
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                break;
            }
            pos++;
        }
        return pos;
    }

    /** The byte at {@code pos}, or -1 past the end. */
    private int at(int pos) {
        return pos < end ? text[pos] & 0xFF : -1;
    }
}
