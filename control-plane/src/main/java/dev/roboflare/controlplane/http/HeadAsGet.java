package dev.roboflare.controlplane.http;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.IOException;

/**
 * HEAD runs the GET route, auth and signature checks included, and Jetty drops the body. Javalin on its own answers
 * 200 to HEAD on any path that has a GET route without running the route, so an unauthenticated HEAD looked like an
 * accepted request.
 */
public final class HeadAsGet implements Filter {
    private static final String ATTRIBUTE = HeadAsGet.class.getName();

    /** True when the GET being handled is really a HEAD: a handler may skip producing a large body. */
    public static boolean isHead(HttpServletRequest request) {
        return request.getAttribute(ATTRIBUTE) != null;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (request instanceof HttpServletRequest http && "HEAD".equals(http.getMethod())) {
            http.setAttribute(ATTRIBUTE, Boolean.TRUE);
            chain.doFilter(new HttpServletRequestWrapper(http) {
                @Override
                public String getMethod() {
                    return "GET";
                }
            }, response);
            return;
        }
        chain.doFilter(request, response);
    }
}
