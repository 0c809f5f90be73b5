package org.cloudkeep.api;

/** A failure that retrying will not cure: an operation the provider does not offer, a refused request, a malformed answer. */
public class PermanentProviderException extends ProviderException {

    private static final long serialVersionUID = 1L;

    public PermanentProviderException(String message) {
        super(message, null);
    }

    public PermanentProviderException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public boolean retryable() {
        return false;
    }
}
