package io.backhand.proxy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;

/**
 * A request whose body the filter has read, as the proxy must pass it on: a whole body goes with its
 * Content-Length (the node sees a plain, complete request however the client framed it), and no request
 * keeps {@code Expect: 100-continue}, which the client has had its answer to already.
 */
final class BufferedBodyRequest extends HttpServletRequestWrapper
{
    private final BufferedBody body;

    BufferedBodyRequest(HttpServletRequest request, BufferedBody body)
    {
        super(request);
        this.body = body;
    }

    private boolean hidden(String name)
    {
        return name.equalsIgnoreCase("Expect") || (body.isWhole() && name.equalsIgnoreCase("Transfer-Encoding"));
    }

    @Override
    public int getContentLength()
    {
        return body.isWhole() ? body.bytes().length : super.getContentLength();
    }

    @Override
    public long getContentLengthLong()
    {
        return body.isWhole() ? body.bytes().length : super.getContentLengthLong();
    }

    @Override
    public String getHeader(String name)
    {
        if (hidden(name))
            return null;
        if (body.isWhole() && name.equalsIgnoreCase("Content-Length"))
            return Integer.toString(body.bytes().length);
        return super.getHeader(name);
    }

    @Override
    public Enumeration<String> getHeaders(String name)
    {
        if (hidden(name))
            return Collections.emptyEnumeration();
        if (body.isWhole() && name.equalsIgnoreCase("Content-Length"))
            return Collections.enumeration(List.of(Integer.toString(body.bytes().length)));
        return super.getHeaders(name);
    }

    @Override
    public Enumeration<String> getHeaderNames()
    {
        List<String> names = new ArrayList<>();
        boolean length = false;
        for (String n : Collections.list(super.getHeaderNames()))
        {
            if (hidden(n))
                continue;
            length |= n.equalsIgnoreCase("Content-Length");
            names.add(n);
        }
        if (body.isWhole() && !length)
            names.add("Content-Length");
        return Collections.enumeration(names);
    }

    /** The whole body again, for whoever reads the stream rather than asking the proxy's hook. */
    @Override
    public ServletInputStream getInputStream() throws IOException
    {
        if (!body.isWhole())
            return super.getInputStream();
        ByteArrayInputStream in = new ByteArrayInputStream(body.bytes());
        return new ServletInputStream()
        {
            @Override
            public int read()
            {
                return in.read();
            }

            @Override
            public int read(byte[] b, int off, int len)
            {
                return in.read(b, off, len);
            }

            @Override
            public boolean isFinished()
            {
                return in.available() == 0;
            }

            @Override
            public boolean isReady()
            {
                return true;
            }

            @Override
            public void setReadListener(ReadListener listener)
            {
                try
                {
                    listener.onDataAvailable();
                    if (isFinished())
                        listener.onAllDataRead();
                }
                catch (IOException | RuntimeException e)
                {
                    listener.onError(e);
                }
            }
        };
    }
}
