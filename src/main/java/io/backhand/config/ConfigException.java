package io.backhand.config;

/**
 * A configuration value that cannot be used. The message always names the parameter, where its value
 * came from (web.xml line, system property or environment variable) and what was expected, because the
 * operator reading it has only the deployment log to go on.
 */
public final class ConfigException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    public ConfigException(String message)
    {
        super(message);
    }

    public ConfigException(String message, Throwable cause)
    {
        super(message, cause);
    }
}
