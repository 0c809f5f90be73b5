package org.cloudkeep.api;

/** The back end rejected the account's credentials (wrong, expired or revoked), or one is missing. Not retryable: someone must enter them again. */
public class BadCredentialsException extends ProviderException {

    private static final long serialVersionUID = 1L;

    public BadCredentialsException(String message) {
        super(message, null);
    }

    public BadCredentialsException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public boolean retryable() {
        return false;
    }
}
