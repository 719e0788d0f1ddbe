package io.passerelle.admin;

/**
 * The body of a management API error: a stable code and a plain message.
 */
public record ApiError(String code, String message) {
}
