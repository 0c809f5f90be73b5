package org.cloudkeep.api;

/** Nothing is at the path asked for (it may have been deleted since it was listed). */
public class NotFoundException extends ProviderException {

    private static final long serialVersionUID = 1L;

    public NotFoundException(String message) {
        super(message, null);
    }

    public NotFoundException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public boolean retryable() {
        return false;
    }
}
