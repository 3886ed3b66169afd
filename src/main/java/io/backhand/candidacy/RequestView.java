package io.backhand.candidacy;

/**
 * The little of a request that candidacy functions may look at. The web layer adapts the servlet
 * request; tests and benchmarks implement it directly.
 */
public interface RequestView
{
    String method();

    /** The path as sent, still percent-encoded, without the query. */
    String path();

    /** The first value of a header, or null. */
    String header(String name);

    /** A cookie's value, or null. */
    String cookie(String name);

    /** A query parameter's value, or null. */
    String queryParameter(String name);

    /** A {@code ;name=value} path parameter's value, or null. */
    String pathParameter(String name);

    RequestView NONE = new RequestView()
    {
        @Override
        public String method()
        {
            return "GET";
        }

        @Override
        public String path()
        {
            return "/";
        }

        @Override
        public String header(String name)
        {
            return null;
        }

        @Override
        public String cookie(String name)
        {
            return null;
        }

        @Override
        public String queryParameter(String name)
        {
            return null;
        }

        @Override
        public String pathParameter(String name)
        {
            return null;
        }
    };
}
