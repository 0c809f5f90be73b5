package org.cloudkeep.itests.servers;

import java.net.URI;

/** A WebDAV server run as its own process on 127.0.0.1, with one user behind basic auth. */
public abstract class WebDavServer implements AutoCloseable {

    private final LoopbackProcess process;
    private final String user;
    private final String password;
    private final String root;

    /** @param root the path of the collection that serves the folder, starting and ending with '/' */
    WebDavServer(LoopbackProcess process, String user, String password, String root) {
        this.process = process;
        this.user = user;
        this.password = password;
        this.root = root;
    }

    /** The account's root: the WebDAV collection that serves the folder. */
    public URI url() {
        return URI.create("http://127.0.0.1:" + process.port() + root);
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    public LoopbackProcess process() {
        return process;
    }

    @Override
    public void close() {
        process.close();
    }
}
