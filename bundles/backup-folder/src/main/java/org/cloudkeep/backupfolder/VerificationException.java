package org.cloudkeep.backupfolder;

import java.io.IOException;

/** Size or hash mismatch: the bytes are not what the provider listed. The staging file is gone. */
public class VerificationException extends IOException {

    private static final long serialVersionUID = 1L;

    public VerificationException(String message) {
        super(message);
    }
}
