package dev.roboflare.protocol;

import java.nio.charset.StandardCharsets;

/**
 * Every API path, declared once: the control plane registers these templates ({@code {id}} is Javalin's path
 * parameter syntax and OpenAPI's), the agent and the CLI fill them in with {@link #path}. A renamed route breaks
 * the build of all three, not a robot in the field.
 */
public final class ApiRoutes {
    private ApiRoutes() {
    }

    public static final String OPENAPI = "/api/openapi.json";

    public static final String ARTIFACTS = "/api/artifacts";
    public static final String ARTIFACT = "/api/artifacts/{id}";
    public static final String ARTIFACT_DOWNLOAD = "/api/artifacts/{id}/download";
    public static final String ARTIFACT_CHUNKS = "/api/artifacts/{id}/chunks";
    public static final String ARTIFACT_CONTENT = "/api/artifacts/{id}/content";

    public static final String RELEASES = "/api/releases";
    public static final String RELEASE = "/api/releases/{id}";
    public static final String RELEASE_SIGNATURES = "/api/releases/{id}/signatures";

    public static final String ROBOTS = "/api/robots";
    public static final String ROBOT = "/api/robots/{id}";
    public static final String ROBOT_TOKENS = "/api/robots/{id}/tokens";
    public static final String ROBOT_REVOKE = "/api/robots/{id}/revoke";

    public static final String FLEETS = "/api/fleets";
    public static final String FLEET = "/api/fleets/{id}";
    public static final String FLEET_ROBOT = "/api/fleets/{id}/robots/{robot_id}";

    public static final String DEPLOYMENTS = "/api/deployments";
    public static final String DEPLOYMENT = "/api/deployments/{id}";
    public static final String DEPLOYMENT_CANCEL = "/api/deployments/{id}/cancel";
    public static final String DEPLOYMENT_EVENTS = "/api/deployments/{id}/events";

    public static final String ORGS = "/api/orgs";
    public static final String ORG_QUOTA = "/api/orgs/{name}/quota";
    public static final String OPERATOR_TOKENS = "/api/operator-tokens";
    public static final String OPERATOR_TOKEN_REVOKE = "/api/operator-tokens/{token_id}/revoke";

    /** The robot's side: poll for dispatched work, report an outcome. */
    public static final String AGENT_DEPLOYMENTS = "/api/agent/deployments";
    public static final String AGENT_EVENTS = "/api/agent/deployments/{id}/events";

    /**
     * The template with its parameters filled in, in order, each percent-encoded as one path segment:
     * {@code path(FLEET_ROBOT, fleetId, robotId)}.
     */
    public static String path(String template, String... values) {
        StringBuilder out = new StringBuilder(template.length() + 64);
        int next = 0;
        int from = 0;
        for (int open = template.indexOf('{'); open >= 0; open = template.indexOf('{', from)) {
            if (next == values.length) {
                throw new IllegalArgumentException(template + " needs more than " + values.length + " value(s)");
            }
            out.append(template, from, open).append(segment(values[next++]));
            from = template.indexOf('}', open) + 1;
        }
        if (next != values.length) {
            throw new IllegalArgumentException(template + " takes " + next + " value(s), got " + values.length);
        }
        return out.append(template, from, template.length()).toString();
    }

    /** RFC 3986 path segment: unreserved characters as they are, every other UTF-8 byte as %XX. */
    private static String segment(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~".indexOf(c) >= 0) {
                out.append(c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }
}
