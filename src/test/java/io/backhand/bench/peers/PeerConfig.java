package io.backhand.bench.peers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * A peer balancer's configuration, written to its own directory under target/bench: never the system's
 * /etc/nginx, /etc/haproxy or /etc/apache2, and never a privileged port. Each instance is a separate server
 * with its own prefix, pid file and logs, so that two of them can run side by side.
 */
public abstract class PeerConfig
{
    protected final Path dir;
    protected final int port;
    protected final List<Backend> backends;
    /** How the peer picks a backend, in its own configuration language. */
    protected final String method;

    protected PeerConfig(Path dir, int port, List<Backend> backends, String method)
    {
        this.dir = dir;
        this.port = port;
        this.backends = List.copyOf(backends);
        this.method = method;
    }

    /** Writes the configuration and returns the command that runs the server in the foreground. */
    public abstract List<String> write() throws IOException;

    public int port()
    {
        return port;
    }

    public Path dir()
    {
        return dir;
    }

    /** Where Apache heartbeats go, for the methods that balance on them; null for the others. */
    public String heartbeatUrl()
    {
        return null;
    }

    /** A directory that the server's unprivileged workers can write to. */
    protected Path openDir(String name) throws IOException
    {
        Path d = dir.resolve(name);
        Files.createDirectories(d);
        Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxrwxrwx"));
        return d;
    }

    protected Path writeFile(String name, String text) throws IOException
    {
        Files.createDirectories(dir);
        Path f = dir.resolve(name);
        Files.writeString(f, text);
        return f;
    }
}
