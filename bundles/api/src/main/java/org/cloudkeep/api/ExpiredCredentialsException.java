package org.cloudkeep.api;

/**
 * The back end says the credentials were good but have expired (an OAuth2 access token past its
 * lifetime, with no refresh token or a refresh that was refused). Someone must authorize again.
 */
public class ExpiredCredentialsException extends BadCredentialsException {

    private static final long serialVersionUID = 1L;

    public ExpiredCredentialsException(String message) {
        super(message);
    }

    public ExpiredCredentialsException(String message, Throwable cause) {
        super(message, cause);
    }
}
