package org.cloudkeep.api;

/** A failure that may pass by itself: a lost connection, a time-out, a 5xx answer. Retry with backoff. */
public class TransientProviderException extends ProviderException {

    private static final long serialVersionUID = 1L;

    public TransientProviderException(String message) {
        super(message, null);
    }

    public TransientProviderException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public boolean retryable() {
        return true;
    }
}
