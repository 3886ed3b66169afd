package io.backhand.cluster;

import java.util.Locale;

/** Why a received datagram was not taken into the cluster view. Each reason has its own counter. */
public enum DropReason
{
    /** The source address is outside AcceptStats. */
    FOREIGN("source outside AcceptStats"),
    /** Not a Backhand announcement at all: wrong magic number. */
    NOT_BACKHAND("not a Backhand announcement (wrong magic number)"),
    /** A Backhand announcement in a wire version this node does not speak. */
    VERSION("unsupported wire version"),
    /** Shorter than its header says, or than its fields need. */
    TRUNCATED("truncated"),
    /** Longer than its header says or than any announcement may be. */
    OVERSIZED("oversized"),
    /** Well framed but with impossible field values. */
    MALFORMED("malformed field values"),
    /** A secret is configured and the packet carries no signature. */
    UNSIGNED("unsigned while a secret is configured"),
    /** Signed, but this node has no secret to check the signature with: the two configurations disagree. */
    UNEXPECTED_SIGNATURE("signed, but this node has no backhand.secret to check it"),
    /** The signature does not match: a wrong key or a forged packet. */
    BAD_SIGNATURE("bad signature"),
    /** Older than what was already heard from that node, or outside the freshness window. */
    REPLAYED("replayed or out of date"),
    /** Another node announces under this node's own name, so the two cannot tell each other apart. */
    NAME_CLASH("another node announces this node's name (set backhand.nodeName)"),
    /** A new name arrived while the table already holds the most members it will keep. */
    TABLE_FULL("the cluster table is full"),
    /**
     * Signed, but naming no contact address: the receiver would have to take the datagram's source, which the
     * signature does not cover, so a copy re-sent from another address could steer requests there.
     */
    UNNAMED_CONTACT("signed, but naming no contact address (as older releases send; upgrade that node)"),
    /** The contact address, named or taken from the source, lies outside backhand.memberAddresses. */
    CONTACT_OUTSIDE("contact address outside backhand.memberAddresses (by default backhand.acceptStats)"),
    /** Without a secret: a name that another source announces and that is not stale yet. */
    NAME_HELD("a name another source announces and that is not stale yet"),
    /** Without a secret: one source announced more new names than it may in a while. */
    NEW_NAMES_LIMITED("too many new names from one source");

    private final String description;

    DropReason(String description)
    {
        this.description = description;
    }

    public String description()
    {
        return description;
    }

    /** The word used in JSON and metric labels. */
    public String word()
    {
        return name().toLowerCase(Locale.ROOT);
    }
}
