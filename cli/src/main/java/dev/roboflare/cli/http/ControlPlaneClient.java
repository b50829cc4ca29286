package dev.roboflare.cli.http;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The operator API as the CLI uses it: one {@link JsonTransport} (base URL, token, retries, error messages) shared
 * by one client per resource.
 */
public final class ControlPlaneClient {
    public static final ObjectMapper JSON = JsonTransport.JSON;

    private final JsonTransport transport;
    private final ArtifactsClient artifacts;
    private final ReleasesClient releases;
    private final RobotsClient robots;
    private final FleetsClient fleets;
    private final DeploymentsClient deployments;
    private final AdminClient admin;

    public ControlPlaneClient(String baseUrl, String token) {
        transport = new JsonTransport(baseUrl, token);
        artifacts = new ArtifactsClient(transport);
        releases = new ReleasesClient(transport);
        robots = new RobotsClient(transport);
        fleets = new FleetsClient(transport);
        deployments = new DeploymentsClient(transport);
        admin = new AdminClient(transport);
    }

    public ArtifactsClient artifacts() {
        return artifacts;
    }

    public ReleasesClient releases() {
        return releases;
    }

    public RobotsClient robots() {
        return robots;
    }

    public FleetsClient fleets() {
        return fleets;
    }

    public DeploymentsClient deployments() {
        return deployments;
    }

    public AdminClient admin() {
        return admin;
    }

    public String baseUrl() {
        return transport.baseUrl();
    }
}
