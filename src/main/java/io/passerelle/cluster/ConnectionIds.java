package io.passerelle.cluster;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Connection ids that name their replica. An id is UUID-shaped (version 8, custom) and its first eight hex digits are
 * the tag of the replica that holds it, drawn at random when the replica starts. Any replica can tell from an id
 * alone whom to ask about it, so no replica keeps a copy of the others' connections.
 */
@ApplicationScoped
public class ConnectionIds {

    private static final HexFormat HEX = HexFormat.of();

    private final String tag;
    private final long tagBits;

    public ConnectionIds() {
        byte[] random = new byte[4];
        new SecureRandom().nextBytes(random);
        this.tag = HEX.formatHex(random);
        this.tagBits = Long.parseUnsignedLong(tag, 16) << 32;
    }

    /** This replica's tag: eight lowercase hex digits, new at every start. */
    public String tag() {
        return tag;
    }

    /** A new id for a connection of this replica: its tag, then 90 random bits. */
    public String next() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long most = tagBits | (random.nextLong() & 0xFFFF_0FFFL) | 0x8000L;
        long least = (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(most, least).toString();
    }

    /** The tag of the replica that holds (or held) the connection, or null when the id is not one of ours. */
    public static String replicaOf(String id) {
        if (id == null || id.length() != 36) {
            return null;
        }
        try {
            UUID uuid = UUID.fromString(id);
            if (!uuid.toString().equals(id) || uuid.version() != 8 || uuid.variant() != 2) {
                return null;
            }
        } catch (IllegalArgumentException e) {
            return null;
        }
        return id.substring(0, 8);
    }
}
