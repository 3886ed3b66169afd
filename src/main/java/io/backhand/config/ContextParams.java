package io.backhand.config;

import java.util.Set;

/**
 * The names of the server-wide settings (web.xml context-params, overridable per node by system property or
 * environment variable). docs/configuration.md describes each one; this list is what a typo is checked against.
 */
public final class ContextParams
{
    public static final String MULTICAST_STATS = "backhand.multicastStats";
    public static final String ACCEPT_STATS = "backhand.acceptStats";
    public static final String INTERFACE = "backhand.interface";
    public static final String PEERS = "backhand.peers";
    public static final String LISTEN = "backhand.listen";
    public static final String PEERS_REFRESH = "backhand.peersRefresh";
    public static final String LEARN_PEERS = "backhand.learnPeers";
    public static final String ANNOUNCE_INTERVAL = "backhand.announceInterval";
    public static final String FORGET_AFTER = "backhand.forgetAfter";
    public static final String STATE_DIR = "backhand.stateDir";
    public static final String SELF_REDIRECT = "backhand.selfRedirect";
    public static final String CONNECTION_POOLS = "backhand.connectionPools";
    public static final String SECRET = "backhand.secret";
    public static final String SECRET_FILE = "backhand.secretFile";
    public static final String LOG_LEVEL = "backhand.logLevel";
    public static final String STATUS_ACCESS = "backhand.statusAccess";
    public static final String NODE_NAME = "backhand.nodeName";
    public static final String ARRIBA = "backhand.arriba";
    public static final String CONTACT_PORT = "backhand.contactPort";
    public static final String STATUS_PATH = "backhand.statusPath";
    public static final String ADMIN = "backhand.admin";
    public static final String ADMIN_ACCESS = "backhand.adminAccess";
    public static final String SLOW_START = "backhand.slowStart";
    public static final String LEAVE_GRACE = "backhand.leaveGrace";
    /** Read by jetty-base/webapps/backhand.xml to place the WAR, not by the WAR itself. */
    public static final String CONTEXT_PATH = "backhand.contextPath";

    public static final Set<String> ALL = Set.of(MULTICAST_STATS, ACCEPT_STATS, INTERFACE, PEERS, LISTEN, ANNOUNCE_INTERVAL,
        FORGET_AFTER, STATE_DIR, SELF_REDIRECT, CONNECTION_POOLS, SECRET, SECRET_FILE, LOG_LEVEL, STATUS_ACCESS, NODE_NAME,
        ARRIBA, CONTACT_PORT, STATUS_PATH, CONTEXT_PATH, ADMIN, ADMIN_ACCESS, SLOW_START, LEAVE_GRACE, PEERS_REFRESH, LEARN_PEERS);

    private ContextParams()
    {
    }
}
