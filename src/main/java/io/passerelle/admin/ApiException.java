package io.passerelle.admin;

import org.jboss.resteasy.reactive.RestResponse;

/** A refusal of the management API: answered with its status and an {@link ApiError} body, never a stack trace. */
final class ApiException extends RuntimeException {

    private final RestResponse.Status status;
    private final ApiError error;

    ApiException(RestResponse.Status status, ApiError error) {
        super(error.message(), null, false, false);
        this.status = status;
        this.error = error;
    }

    RestResponse.Status status() {
        return status;
    }

    ApiError error() {
        return error;
    }
}
