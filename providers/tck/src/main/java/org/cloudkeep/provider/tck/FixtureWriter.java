package org.cloudkeep.provider.tck;

/**
 * Writes into the account under test through the server itself (its own API or the folder it
 * serves), never through the provider under test, so that a provider bug cannot hide itself.
 * Paths are provider paths ({@code /a/b.txt}).
 */
public interface FixtureWriter {

    /** Creates or replaces a file, creating its parent folders as needed. */
    void write(String path, byte[] content) throws Exception;

    /** Creates a folder and its parents; an existing folder is left as it is. */
    void mkdirs(String path) throws Exception;

    /** Deletes a file. */
    void delete(String path) throws Exception;
}
