package io.passerelle.auth;

/**
 * The authenticated party behind one connection.
 *
 * @param subject the token's {@code sub}
 * @param grants what the connection may publish to and subscribe to
 * @param expiresAt the token's {@code exp}, in epoch seconds
 */
public record Principal(String subject, Grants grants, long expiresAt) {
}
