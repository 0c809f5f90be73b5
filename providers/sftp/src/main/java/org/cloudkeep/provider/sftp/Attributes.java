package org.cloudkeep.provider.sftp;

import com.jcraft.jsch.SftpATTRS;
import java.time.Instant;
import org.cloudkeep.api.Entry;
import org.cloudkeep.api.PermanentProviderException;

/** Reads SFTP file attributes into entries, refusing what a v3 server must send but did not. */
final class Attributes {

    private Attributes() {}

    /** What an entry is, as far as a backup cares. */
    enum Kind {
        FILE,
        FOLDER,
        LINK,
        /** A device, pipe or socket: no content to back up. */
        OTHER
    }

    /**
     * The kind of a file.
     *
     * @throws PermanentProviderException when the server gave no permissions, which carry the type
     */
    static Kind kind(SftpATTRS attrs, String path) throws PermanentProviderException {
        if ((attrs.getFlags() & SftpATTRS.SSH_FILEXFER_ATTR_PERMISSIONS) == 0) {
            throw new PermanentProviderException(
                    "the server's answer for " + Failures.quote(path) + " is malformed: it gives no file type");
        }
        if (attrs.isLink()) {
            return Kind.LINK;
        }
        if (attrs.isDir()) {
            return Kind.FOLDER;
        }
        return attrs.isReg() ? Kind.FILE : Kind.OTHER;
    }

    /**
     * The entry of a file or folder.
     *
     * @throws PermanentProviderException when it is neither, or a file comes without a valid size
     */
    static Entry entry(String path, SftpATTRS attrs) throws PermanentProviderException {
        Kind kind = kind(attrs, path);
        Instant modified = modified(attrs);
        if (kind == Kind.FOLDER) {
            return Entry.folder(path, modified);
        }
        if (kind != Kind.FILE) {
            throw new PermanentProviderException(Failures.quote(path)
                    + " is neither a file nor a folder (a link, device, pipe or socket); it has no content to"
                    + " back up");
        }
        if ((attrs.getFlags() & SftpATTRS.SSH_FILEXFER_ATTR_SIZE) == 0) {
            throw new PermanentProviderException(
                    "the server's answer for " + Failures.quote(path) + " is malformed: it gives no size");
        }
        if (attrs.getSize() < 0) {
            throw new PermanentProviderException("the server's answer for " + Failures.quote(path)
                    + " is malformed: a size beyond 2^63 bytes (" + Long.toUnsignedString(attrs.getSize()) + ")");
        }
        // SFTP v3 has no hash: size and modified time decide whether a file changed.
        return Entry.file(path, attrs.getSize(), modified, null);
    }

    /** The modified time (whole seconds); the epoch when the server gives none. */
    private static Instant modified(SftpATTRS attrs) {
        if ((attrs.getFlags() & SftpATTRS.SSH_FILEXFER_ATTR_ACMODTIME) == 0) {
            return Instant.EPOCH;
        }
        // An unsigned 32-bit count of seconds: read as unsigned, it lasts until 2106.
        return Instant.ofEpochSecond(Integer.toUnsignedLong(attrs.getMTime()));
    }
}
