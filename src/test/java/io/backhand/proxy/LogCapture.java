package io.backhand.proxy;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.eclipse.jetty.logging.JettyLogger;
import org.eclipse.jetty.logging.StdErrAppender;
import org.slf4j.LoggerFactory;

/**
 * What Jetty's logging (the WAR's SLF4J binding) writes while it is open, still passed on to stderr: for
 * checking that an operator sees a log line, not only that the client got an answer.
 */
final class LogCapture implements AutoCloseable
{
    private final StdErrAppender appender;
    /** The appender's own stream, or null when it writes to whatever System.err is at the time. */
    private final PrintStream original;
    private final PrintStream passOn;
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

    LogCapture(String loggerName)
    {
        JettyLogger logger = (JettyLogger) LoggerFactory.getLogger(loggerName);
        this.appender = (StdErrAppender) logger.getAppender();
        this.original = appender.getStream();
        this.passOn = original != null ? original : System.err;
        OutputStream tee = new OutputStream()
        {
            @Override
            public void write(int b)
            {
                passOn.write(b);
                synchronized (captured)
                {
                    captured.write(b);
                }
            }

            @Override
            public void write(byte[] b, int off, int len)
            {
                passOn.write(b, off, len);
                synchronized (captured)
                {
                    captured.write(b, off, len);
                }
            }
        };
        appender.setStream(new PrintStream(tee, true, StandardCharsets.UTF_8));
    }

    String text()
    {
        synchronized (captured)
        {
            return captured.toString(StandardCharsets.UTF_8);
        }
    }

    @Override
    public void close()
    {
        appender.setStream(original);
    }
}
