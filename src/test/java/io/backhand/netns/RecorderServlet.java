package io.backhand.netns;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The application at the root context of every host of the namespace cluster: it answers with its node's name
 * and writes down every request it receives, so that the test can prove what reached which backend.
 *
 * <p>A POST's body is read whole and its SHA-256 compared with the client's {@code X-Body-Sha256} header; the
 * line {@code POST <request-id> <sha256> ok|bad <bytes>} is appended to the record file before the answer is
 * sent, in one write, so that a line on disk means the body arrived and a kill -9 cannot leave half a line.
 * Every other request is recorded as {@code <method> <request-id> - - 0}.</p>
 *
 * <p>Copied as a class file into the webapp the harness builds (see {@link RecorderWebapp}); it uses nothing
 * but the servlet API and the JDK.</p>
 */
public class RecorderServlet extends HttpServlet
{
    private static final long serialVersionUID = 1L;
    public static final String REQUEST_ID = "X-Request-Id";
    public static final String CHECKSUM = "X-Body-Sha256";

    private transient FileChannel record;
    private String nodeName;

    @Override
    public void init() throws ServletException
    {
        nodeName = getServletContext().getInitParameter("recorder.nodeName");
        try
        {
            record = FileChannel.open(Path.of(getServletContext().getInitParameter("recorder.file")),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        }
        catch (IOException e)
        {
            throw new ServletException("cannot open the record file", e);
        }
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException
    {
        String id = request.getHeader(REQUEST_ID);
        if (id == null || !id.matches("[A-Za-z0-9._-]{1,80}"))
            id = "-";
        int status = HttpServletResponse.SC_OK;
        if ("POST".equals(request.getMethod()))
        {
            MessageDigest sha = sha256();
            long bytes = 0;
            byte[] buffer = new byte[8192];
            try (InputStream in = request.getInputStream())
            {
                for (int n; (n = in.read(buffer)) >= 0; )
                {
                    sha.update(buffer, 0, n);
                    bytes += n;
                }
            }
            String actual = HexFormat.of().formatHex(sha.digest());
            boolean ok = actual.equalsIgnoreCase(String.valueOf(request.getHeader(CHECKSUM)));
            append("POST " + id + " " + actual + " " + (ok ? "ok" : "bad") + " " + bytes + "\n");
            if (!ok)
                status = HttpServletResponse.SC_BAD_REQUEST;
        }
        else
        {
            append(request.getMethod() + " " + id + " - - 0\n");
        }
        response.setStatus(status);
        response.setContentType("text/plain;charset=utf-8");
        response.getWriter().println(nodeName);
    }

    private synchronized void append(String line) throws IOException
    {
        ByteBuffer b = ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8));
        while (b.hasRemaining())
            record.write(b);
    }

    private static MessageDigest sha256()
    {
        try
        {
            return MessageDigest.getInstance("SHA-256");
        }
        catch (NoSuchAlgorithmException e)
        {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void destroy()
    {
        try
        {
            record.close();
        }
        catch (IOException e)
        {
            // Nothing is buffered: every line was written through when it was appended.
        }
    }
}
