package org.cloudkeep.api;

import java.io.InputStream;
import java.util.Map;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * One connected account at a provider. Listing is page by page, so that the core never needs a
 * whole account in memory. A session need not be thread-safe; the core uses one per thread.
 */
@ConsumerType
public interface ProviderSession extends AutoCloseable {

    /**
     * Lists the direct children of a folder, one page at a time, in a stable order.
     *
     * @param folder an absolute provider path, {@code "/"} for the root
     * @param pageToken {@code null} for the first page, else {@link EntryPage#nextPageToken()} of
     *     the page before
     * @throws NotFoundException when the folder does not exist
     */
    EntryPage list(String folder, String pageToken) throws ProviderException;

    /**
     * Lists every entry below a folder, at any depth, page by page. Only providers with {@link
     * Capability#RECURSIVE_LISTING} offer it.
     */
    default EntryPage listTree(String folder, String pageToken) throws ProviderException {
        throw new PermanentProviderException("this provider does not list whole trees; list folder by folder");
    }

    /**
     * A cursor that marks "now" for {@link #changesSince(String)}. Only providers with {@link
     * Capability#CHANGE_CURSOR} offer it.
     */
    default String changeCursor(String folder) throws ProviderException {
        throw new PermanentProviderException("this provider has no change cursor; list again instead");
    }

    /**
     * The changes made since a cursor, oldest first. Only providers with {@link
     * Capability#CHANGE_CURSOR} offer it. Every path whose entry changed is reported, including
     * each entry below a folder that was moved or renamed; a deleted folder may be reported alone
     * (everything below it is then gone too).
     *
     * @throws PermanentProviderException when the cursor is no longer valid: list again
     */
    default ChangePage changesSince(String cursor) throws ProviderException {
        throw new PermanentProviderException("this provider has no change cursor; list again instead");
    }

    /**
     * Describes one entry.
     *
     * @throws NotFoundException when nothing is at that path
     */
    Entry stat(String path) throws ProviderException;

    /**
     * Opens a file's content, starting at a byte offset. Providers without {@link
     * Capability#RANGED_READS} accept only offset 0.
     *
     * @param offset the first byte to return, {@code 0 <= offset <= size}
     * @throws NotFoundException when no file is at that path
     */
    InputStream open(String path, long offset) throws ProviderException;

    /**
     * Credentials that replace the ones given to {@link CloudDriveProvider#connect}, after the
     * session renewed them (an OAuth2 refresh); empty when nothing changed. The core stores them,
     * sealed, in place of the old ones.
     */
    default Map<String, String> renewedCredentials() {
        return Map.of();
    }

    /** Releases the connection; never throws. */
    @Override
    void close();
}
