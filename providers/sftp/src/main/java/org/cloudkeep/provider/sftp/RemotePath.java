package org.cloudkeep.provider.sftp;

import org.cloudkeep.api.EntryPaths;

/**
 * Server paths as JSch's {@code ChannelSftp} takes them. JSch expands {@code *} and {@code ?} in the
 * paths it is given and reads {@code \} as an escape, so every character of a name that would be
 * read that way is escaped: a file called {@code a*b} is asked for as itself, never as a pattern.
 */
final class RemotePath {

    private RemotePath() {}

    /**
     * The server path of a provider path below the account's root.
     *
     * @param root the root folder's absolute server path, as the server spells it
     * @param path a valid provider path ({@link EntryPaths#normalize})
     */
    static String of(String root, String path) {
        StringBuilder remote = new StringBuilder(escape(root));
        for (String name : EntryPaths.names(path)) {
            if (remote.length() == 0 || remote.charAt(remote.length() - 1) != '/') {
                remote.append('/');
            }
            remote.append(escape(name));
        }
        return remote.toString();
    }

    /** Escapes what JSch would read as a pattern or an escape. */
    static String escape(String text) {
        StringBuilder escaped = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' || c == '*' || c == '?') {
                escaped.append('\\');
            }
            escaped.append(c);
        }
        return escaped.toString();
    }
}
