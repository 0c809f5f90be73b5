package org.cloudkeep.accounts;

/** A request about users, devices, accounts or containers that cannot be done, and why. */
public class AccountsException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Why; each maps to one HTTP status. */
    public enum Reason {
        /** 400: a value is missing or malformed. */
        INVALID,
        /** 401: wrong username or password. */
        UNAUTHORIZED,
        /** 404: no such thing, or not the caller's. */
        NOT_FOUND,
        /** 409: already exists (a username, a device serial). */
        CONFLICT,
        /** 422: the provider is not installed, or it rejected the credentials. */
        REJECTED
    }

    private final Reason reason;

    public AccountsException(Reason reason, String message) {
        this(reason, message, null);
    }

    public AccountsException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
