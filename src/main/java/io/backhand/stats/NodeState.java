package io.backhand.stats;

/** What a node says about its own willingness to take new requests. */
public enum NodeState
{
    /** Takes new requests. */
    READY(0),
    /** Finishes what it has and takes no new requests, except sessions pinned to it. */
    DRAINING(1),
    /** Shutting down: peers forget it at once instead of waiting for it to age out. */
    LEAVING(2);

    private final int code;

    NodeState(int code)
    {
        this.code = code;
    }

    public int code()
    {
        return code;
    }

    /** Null for a code this version does not know, so that decoders can reject it. */
    public static NodeState ofCode(int code)
    {
        for (NodeState s : values())
        {
            if (s.code == code)
                return s;
        }
        return null;
    }

    public String word()
    {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
