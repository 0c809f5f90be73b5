package org.cloudkeep.api;

/**
 * A provider operation failed. The subclass says what kind of failure it is, so that the core can
 * decide what to do: ask for new credentials, skip, wait, retry or give up.
 */
public abstract class ProviderException extends Exception {

    private static final long serialVersionUID = 1L;

    protected ProviderException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Whether the same call may succeed later without anyone changing anything. */
    public abstract boolean retryable();
}
